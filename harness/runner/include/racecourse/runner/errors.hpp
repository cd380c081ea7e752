// The runner's error for usage and setup mistakes.
#pragma once

#include <stdexcept>
#include <string>

namespace racecourse::runner {

// A mistake in how the runner was invoked or set up: an unknown case, an
// invalid option value, a missing or malformed manifest, an unwritable
// report directory. The CLI prints the message on one line and exits with
// status 2, so the message names the bad value and how to fix it.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace racecourse::runner

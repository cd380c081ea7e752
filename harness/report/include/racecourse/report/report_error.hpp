// The one exception type of the report library.
#pragma once

#include <stdexcept>
#include <string>

namespace racecourse::report {

// A report could not be written or read. The message names the path or the
// field involved, the reason and, where there is one, what to do about it.
class ReportError : public std::runtime_error {
 public:
  explicit ReportError(const std::string& message)
      : std::runtime_error(message) {}
};

}  // namespace racecourse::report

// Go's sync.Once.
#pragma once

#include <exception>
#include <functional>
#include <utility>

#include "racecourse/detail/lock.hpp"
#include "racecourse/detail/wait_list.hpp"
#include "racecourse/source_location.hpp"

namespace racecourse {

// Runs a function once: the first call(f) runs f, concurrent calls wait
// until it returns, later calls return at once. As in Go, an f that ends
// with an exception still counts as done (the exception propagates to its
// caller). Calling call() on the same Once from inside f deadlocks, as in
// Go. Not copyable; usable at namespace scope.
//
// Happens-before: f's return happens before every call() returns.
class Once {
 public:
  constexpr Once() noexcept = default;
  Once(const Once&) = delete;
  Once& operator=(const Once&) = delete;

  template <class F>
  void call(F&& f, SourceLocation where = SourceLocation::current()) {
    if (!begin(where)) {
      return;
    }
    try {
      std::invoke(std::forward<F>(f));
    } catch (...) {
      finish();
      throw;
    }
    finish();
  }

 private:
  // Returns true when the caller must run f; otherwise waits until done.
  bool begin(SourceLocation where);
  void finish();

  detail::InternalLock lock_;
  bool done_ = false;     // guarded by lock_
  bool running_ = false;  // guarded by lock_
  detail::WaitList waiters_;
  char done_sync_ = 0;  // released when f returns, acquired by callers
};

}  // namespace racecourse

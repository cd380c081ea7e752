// Go's sync.WaitGroup.
#pragma once

#include <cstdint>

#include "racecourse/detail/lock.hpp"
#include "racecourse/detail/tsan.hpp"
#include "racecourse/detail/wait_list.hpp"
#include "racecourse/source_location.hpp"

namespace racecourse {

// Waits for a collection of goroutines to finish: add(n) before starting
// them, done() as each finishes, wait() until the counter is back to zero.
//
// Callers must make the add() that raises the counter from zero happen
// before wait(); as Go's race detector does, an unordered pair is reported
// as a data race. A negative counter panics with "sync: negative WaitGroup
// counter". Not copyable; usable at namespace scope; may be destroyed as
// soon as wait() returns.
//
// Happens-before: every done() happens before the return of the wait() it
// releases.
class WaitGroup {
 public:
  constexpr WaitGroup() noexcept = default;
  WaitGroup(const WaitGroup&) = delete;
  WaitGroup& operator=(const WaitGroup&) = delete;

  // Adds `delta`, which may be negative, to the counter.
  void add(std::int64_t delta,
           SourceLocation where = SourceLocation::current()) {
    if (add_internal(delta, where)) {
      // First add after zero: must be ordered with any wait().
      detail::tsan::race_read(&race_byte_);
    }
  }

  // Decrements the counter by one.
  void done(SourceLocation where = SourceLocation::current()) {
    add_internal(-1, where);
  }

  // Blocks until the counter is zero.
  void wait(SourceLocation where = SourceLocation::current()) {
    const WaitStart start = wait_begin();
    if (start == WaitStart::done) {
      return;
    }
    if (start == WaitStart::first_waiter) {
      // Only the first waiter of a round writes, so concurrent waits do not
      // race with each other, only with an unordered add() from zero.
      detail::tsan::race_write(&race_byte_);
    }
    wait_finish(where);
  }

 private:
  enum class WaitStart { done, first_waiter, later_waiter };

  // Returns true when the counter went from zero to `delta` > 0.
  bool add_internal(std::int64_t delta, SourceLocation where);
  // Registers the caller as a waiter of this round, unless the counter is
  // zero (then it returns `done`, with the edge from done() published).
  WaitStart wait_begin();
  void wait_finish(SourceLocation where);

  detail::InternalLock lock_;
  std::int64_t counter_ = 0;  // guarded by lock_
  int waiter_count_ = 0;      // waiters since the counter was last zero
  detail::WaitList waiters_;  // guarded by lock_
  // The address done() releases and wait() acquires, and Go's race address
  // for add versus wait.
  char race_byte_ = 0;
};

}  // namespace racecourse

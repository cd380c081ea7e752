// The parts of a Mutex's state the lock-cycle detector reads.
#pragma once

#include <atomic>

#include "racecourse/source_location.hpp"

namespace racecourse::detail {

struct G;

// Ownership as the deadlock detector sees it. `owner` changes only while
// the mutex's own lock is held, and a hand-off to a blocked goroutine
// changes it under the scheduler lock too, so a detector holding the
// scheduler lock sees each blocked goroutine's mutex with a settled owner.
class MutexCore {
 public:
  G* owner() const noexcept { return owner_.load(std::memory_order_relaxed); }
  SourceLocation locked_at() const noexcept { return locked_at_; }

 protected:
  std::atomic<G*> owner_{nullptr};
  SourceLocation locked_at_;
};

}  // namespace racecourse::detail

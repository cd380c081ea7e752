// The table behind detail/handles.hpp. Internal to the runtime; everything
// here runs inside a tsan::Hidden region.
//
// Lock order: the registry lock is the innermost lock. The scheduler takes
// it while holding its own lock; nothing is locked while holding it.
#pragma once

#include <unordered_map>
#include <vector>

#include "racecourse/detail/lock.hpp"

namespace racecourse::detail {

class ChanCore;

class HandleRegistry {
 public:
  void attach(const ChanCore* core, const void* handle) noexcept;
  void detach(const ChanCore* core, const void* handle) noexcept;
  void move(const ChanCore* core, const void* from, const void* to) noexcept;

  InternalLock& lock() noexcept { return lock_; }
  // With lock() held: the addresses of `core`'s live handles, or nullptr
  // when none is left.
  const std::vector<const void*>* handles_locked(
      const ChanCore* core) const noexcept;
  // With lock() held: false once a handle could not be recorded (out of
  // memory); from then on nothing may be proven.
  bool complete_locked() const noexcept { return complete_; }

 private:
  InternalLock lock_;
  std::unordered_map<const ChanCore*, std::vector<const void*>> handles_;
  bool complete_ = true;
};

HandleRegistry& handle_registry();
// Whether handles are tracked: not with RACECOURSE_LEAKS=off.
bool tracking_handles() noexcept;

}  // namespace racecourse::detail

// Go's sync.Mutex and sync.RWMutex.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "racecourse/detail/lock.hpp"
#include "racecourse/detail/mutex_core.hpp"
#include "racecourse/detail/wait_list.hpp"
#include "racecourse/source_location.hpp"

namespace racecourse {

// A mutual-exclusion lock, Go's sync.Mutex; a Lockable, so it works with
// std::lock_guard, std::unique_lock and std::scoped_lock.
//
// As in Go it is not tied to a goroutine: any goroutine may unlock it.
// Unlocking an unlocked Mutex is Go's fatal error "sync: unlock of
// unlocked mutex" (exit status 2). Waiters are served in arrival order.
// Not copyable; usable at namespace scope.
//
// Happens-before: the n-th unlock() happens before the (n+1)-th lock()
// returns. TSan treats it as a mutex, so it also checks lock order.
//
// Beyond Go: goroutines that wait for each other's Mutex in a cycle are
// reported at once as a lock cycle (exit status 2), even while other
// goroutines run. That includes a goroutine locking a Mutex it already
// holds, although Go would let a third goroutine unlock it.
//
// NOTE: TSan ties a mutex to the thread that locked it, so an unlock from
// another goroutine, legal in Go, is reported by TSan as mutex misuse.
//
// Each member takes the caller's location by const reference: passed by
// value, the 24-byte struct made the uncontended pair several times slower
// (the callee's wide load could not be forwarded from the caller's
// narrower stores).
class Mutex : public detail::MutexCore {
 public:
  constexpr Mutex() noexcept = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;
  ~Mutex();

  void lock(const SourceLocation& where = SourceLocation::current());
  void unlock(const SourceLocation& where = SourceLocation::current());
  bool try_lock(const SourceLocation& where = SourceLocation::current());

 private:
  static constexpr std::uint32_t kLocked = 1;
  static constexpr std::uint32_t kWaiters = 2;  // set only while locked

  bool try_acquire(detail::G* self, const SourceLocation& where) noexcept;
  void lock_slow(detail::G* self, const SourceLocation& where);
  void unlock_slow(const SourceLocation& where);

  // kLocked | kWaiters. The uncontended paths only touch this word; lock_
  // guards the queue, and kWaiters is set or cleared only under lock_, so
  // it is set exactly when the queue is non-empty.
  std::atomic<std::uint32_t> state_{0};
  detail::InternalLock lock_;
  detail::WaitList waiters_;  // guarded by lock_
};

// A reader/writer lock, Go's sync.RWMutex: many readers (lock_shared) or
// one writer (lock). A waiting writer keeps new readers out, so writers
// are not starved. Works with std::shared_lock for the read side.
//
// Happens-before, as Go states it: the n-th unlock() happens before the
// return of every lock_shared() that follows it, and each unlock_shared()
// happens before the next lock() returns.
class RWMutex {
 public:
  constexpr RWMutex() noexcept = default;
  RWMutex(const RWMutex&) = delete;
  RWMutex& operator=(const RWMutex&) = delete;
  ~RWMutex();

  void lock(const SourceLocation& where = SourceLocation::current());
  bool try_lock(const SourceLocation& where = SourceLocation::current());
  void unlock(const SourceLocation& where = SourceLocation::current());
  void lock_shared(const SourceLocation& where = SourceLocation::current());
  bool try_lock_shared(const SourceLocation& where = SourceLocation::current());
  void unlock_shared(const SourceLocation& where = SourceLocation::current());

 private:
  std::vector<detail::G*> grant_waiters_locked();
  static void wake_all(const std::vector<detail::G*>& woken);

  detail::InternalLock lock_;
  // Guarded by lock_.
  bool writer_ = false;
  int readers_ = 0;
  int writers_waiting_ = 0;
  detail::WaitList waiters_;
};

}  // namespace racecourse

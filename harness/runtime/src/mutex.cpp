#include "racecourse/mutex.hpp"

#include <vector>

#include "racecourse/detail/sched.hpp"
#include "racecourse/detail/tsan.hpp"
#include "racecourse/panic.hpp"

#if RACECOURSE_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace racecourse {
namespace {

// TSan's mutex annotations, called outside Hidden regions: inside one,
// TSan would drop the release and acquire they carry.
#if RACECOURSE_TSAN
constexpr unsigned kReadLock = __tsan_mutex_read_lock;
constexpr unsigned kTryLock = __tsan_mutex_try_lock;
constexpr unsigned kTryLockFailed = __tsan_mutex_try_lock_failed;
void pre_lock(void* m, unsigned flags) {
  __tsan_mutex_pre_lock(m, flags);
}
void post_lock(void* m, unsigned flags) {
  __tsan_mutex_post_lock(m, flags, 0);
}
void pre_unlock(void* m, unsigned flags) {
  __tsan_mutex_pre_unlock(m, flags);
}
void post_unlock(void* m, unsigned flags) {
  __tsan_mutex_post_unlock(m, flags);
}
void destroy(void* m) {
  __tsan_mutex_destroy(m, 0);
}
#else
constexpr unsigned kReadLock = 0;
constexpr unsigned kTryLock = 0;
constexpr unsigned kTryLockFailed = 0;
void pre_lock(void*, unsigned) {}
void post_lock(void*, unsigned) {}
void pre_unlock(void*, unsigned) {}
void post_unlock(void*, unsigned) {}
void destroy(void*) {}
#endif

}  // namespace

Mutex::~Mutex() {
  bool idle = false;
  {
    detail::tsan::Hidden hidden;
    idle = state_.load(std::memory_order_relaxed) == 0;
  }
  // A Mutex destroyed while held (at exit, with goroutines still running)
  // keeps its TSan state rather than raising a destroy-while-locked report.
  if (idle) {
    destroy(this);
  }
}

bool Mutex::try_acquire(detail::G* self, const SourceLocation& where) noexcept {
  std::uint32_t expected = 0;
  // Acquire pairs with the release in unlock(). Both are hidden from TSan,
  // which gets the edge from the mutex annotations instead.
  if (!state_.compare_exchange_strong(expected, kLocked,
                                      std::memory_order_acquire)) {
    return false;
  }
  owner_.store(self, std::memory_order_relaxed);
  locked_at_ = where;
  return true;
}

void Mutex::lock_slow(detail::G* self, const SourceLocation& where) {
  lock_.lock();
  for (;;) {
    std::uint32_t state = state_.load(std::memory_order_relaxed);
    if ((state & kLocked) == 0) {
      if (try_acquire(self, where)) {
        lock_.unlock();
        return;
      }
      continue;
    }
    if ((state & kWaiters) != 0 ||
        state_.compare_exchange_weak(state, state | kWaiters,
                                     std::memory_order_relaxed)) {
      break;
    }
  }
  detail::WaitNode node;
  node.g = self;
  waiters_.push_back(&node);
  detail::block(self, "sync.Mutex.Lock", where, this);
  lock_.unlock();
  // unlock() hands the mutex straight to us: it is ours when we wake.
  detail::park(self);
  locked_at_ = where;
}

void Mutex::lock(const SourceLocation& where) {
  pre_lock(this, 0);
  {
    detail::tsan::Hidden hidden;
    detail::G* self = detail::current_g();
    if (!try_acquire(self, where)) {
      lock_slow(self, where);
    }
  }
  post_lock(this, 0);
}

bool Mutex::try_lock(const SourceLocation& where) {
  pre_lock(this, kTryLock);
  bool locked = false;
  {
    detail::tsan::Hidden hidden;
    locked = try_acquire(detail::current_g(), where);
  }
  post_lock(this, locked ? kTryLock : kTryLock | kTryLockFailed);
  return locked;
}

void Mutex::unlock(const SourceLocation& where) {
  {
    detail::tsan::Hidden hidden;
    if ((state_.load(std::memory_order_relaxed) & kLocked) == 0) {
      detail::fatal_error("sync: unlock of unlocked mutex", where);
    }
  }
  pre_unlock(this, 0);
  {
    detail::tsan::Hidden hidden;
    owner_.store(nullptr, std::memory_order_relaxed);
    std::uint32_t expected = kLocked;
    // Release pairs with the acquire in try_acquire().
    if (!state_.compare_exchange_strong(expected, 0,
                                        std::memory_order_release)) {
      unlock_slow(where);
    }
  }
  post_unlock(this, 0);
}

// Waiters are queued: hand the mutex to the first one, keeping kLocked set.
void Mutex::unlock_slow(const SourceLocation& where) {
  lock_.lock();
  const std::uint32_t state = state_.load(std::memory_order_relaxed);
  if ((state & kLocked) == 0) {
    lock_.unlock();
    detail::fatal_error("sync: unlock of unlocked mutex", where);
  }
  detail::WaitNode* node = waiters_.pop_front();
  if (node == nullptr) {
    state_.store(0, std::memory_order_release);
    lock_.unlock();
    return;
  }
  detail::G* next = node->g;
  state_.store(waiters_.empty() ? kLocked : kLocked | kWaiters,
               std::memory_order_release);
  // The new owner is stored before ready() takes the scheduler lock, so the
  // lock-cycle detector, which holds that lock, never sees the waiter
  // running with a stale owner.
  owner_.store(next, std::memory_order_relaxed);
  detail::ready(next);
  lock_.unlock();
  detail::unpark(next);
}

RWMutex::~RWMutex() {
  bool idle = false;
  {
    detail::tsan::Hidden hidden;
    detail::InternalGuard guard(lock_);
    idle = !writer_ && readers_ == 0 && waiters_.empty();
  }
  if (idle) {
    destroy(this);
  }
}

void RWMutex::lock(const SourceLocation& where) {
  pre_lock(this, 0);
  {
    detail::tsan::Hidden hidden;
    detail::G* self = detail::current_g();
    lock_.lock();
    if (!writer_ && readers_ == 0) {
      writer_ = true;
      lock_.unlock();
    } else {
      detail::WaitNode node;
      node.g = self;
      waiters_.push_back(&node);
      ++writers_waiting_;
      detail::block(self, "sync.RWMutex.Lock", where);
      lock_.unlock();
      detail::park(self);
    }
  }
  post_lock(this, 0);
}

bool RWMutex::try_lock(const SourceLocation&) {
  pre_lock(this, kTryLock);
  bool locked = false;
  {
    detail::tsan::Hidden hidden;
    detail::InternalGuard guard(lock_);
    if (!writer_ && readers_ == 0) {
      writer_ = true;
      locked = true;
    }
  }
  post_lock(this, locked ? kTryLock : kTryLock | kTryLockFailed);
  return locked;
}

void RWMutex::lock_shared(const SourceLocation& where) {
  pre_lock(this, kReadLock);
  {
    detail::tsan::Hidden hidden;
    detail::G* self = detail::current_g();
    lock_.lock();
    if (!writer_ && writers_waiting_ == 0) {
      ++readers_;
      lock_.unlock();
    } else {
      detail::WaitNode node;
      node.g = self;
      node.shared = true;
      waiters_.push_back(&node);
      detail::block(self, "sync.RWMutex.RLock", where);
      lock_.unlock();
      detail::park(self);
    }
  }
  post_lock(this, kReadLock);
}

bool RWMutex::try_lock_shared(const SourceLocation&) {
  pre_lock(this, kReadLock | kTryLock);
  bool locked = false;
  {
    detail::tsan::Hidden hidden;
    detail::InternalGuard guard(lock_);
    if (!writer_ && writers_waiting_ == 0) {
      ++readers_;
      locked = true;
    }
  }
  post_lock(this, locked ? kReadLock | kTryLock
                         : kReadLock | kTryLock | kTryLockFailed);
  return locked;
}

// Grants the free lock to waiters in arrival order: the first waiting
// writer alone, or every reader up to the next writer. Called with lock_
// held; returns the goroutines to unpark once it is dropped.
std::vector<detail::G*> RWMutex::grant_waiters_locked() {
  std::vector<detail::G*> woken;
  while (detail::WaitNode* front = waiters_.front()) {
    if (!front->shared) {
      if (readers_ == 0 && woken.empty()) {
        waiters_.pop_front();
        --writers_waiting_;
        writer_ = true;
        detail::ready(front->g);
        woken.push_back(front->g);
      }
      break;
    }
    waiters_.pop_front();
    ++readers_;
    detail::ready(front->g);
    woken.push_back(front->g);
  }
  return woken;
}

void RWMutex::unlock(const SourceLocation& where) {
  {
    detail::tsan::Hidden hidden;
    lock_.lock();
    if (!writer_) {
      lock_.unlock();
      detail::fatal_error("sync: Unlock of unlocked RWMutex", where);
    }
  }
  pre_unlock(this, 0);
  std::vector<detail::G*> woken;
  {
    detail::tsan::Hidden hidden;
    writer_ = false;
    woken = grant_waiters_locked();
    lock_.unlock();
  }
  post_unlock(this, 0);
  wake_all(woken);
}

void RWMutex::unlock_shared(const SourceLocation& where) {
  {
    detail::tsan::Hidden hidden;
    lock_.lock();
    if (readers_ == 0) {
      lock_.unlock();
      detail::fatal_error("sync: RUnlock of unlocked RWMutex", where);
    }
  }
  pre_unlock(this, kReadLock);
  std::vector<detail::G*> woken;
  {
    detail::tsan::Hidden hidden;
    --readers_;
    if (readers_ == 0) {
      woken = grant_waiters_locked();
    }
    lock_.unlock();
  }
  post_unlock(this, kReadLock);
  wake_all(woken);
}

void RWMutex::wake_all(const std::vector<detail::G*>& woken) {
  detail::tsan::Hidden hidden;
  for (detail::G* g : woken) {
    detail::unpark(g);
  }
}

}  // namespace racecourse

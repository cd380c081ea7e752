// The runtime's internal lock and the per-goroutine parking word.
//
// Both are built on futexes rather than std::mutex: TSan intercepts
// pthread mutexes, and even inside a Hidden region it still feeds them to
// its lock-order detector, which would then report the runtime's own
// locks. An atomic word plus a futex system call is invisible to it. Every
// use must sit inside a tsan::Hidden region.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace racecourse::detail {

// Blocks while `*word == expected`, at most `timeout` when one is given.
// Spurious returns are allowed; callers loop.
void futex_wait(std::atomic<std::uint32_t>* word,
                std::uint32_t expected) noexcept;
void futex_wait_for(std::atomic<std::uint32_t>* word,
                    std::uint32_t expected,
                    std::chrono::nanoseconds timeout) noexcept;
// Wakes up to `count` threads blocked on `word`.
void futex_wake(std::atomic<std::uint32_t>* word, int count) noexcept;

// A mutual-exclusion lock for runtime internals (three-state futex lock:
// 0 free, 1 locked, 2 locked with waiters). Constant-initialized, so it
// works at namespace scope before any constructor has run.
class InternalLock {
 public:
  constexpr InternalLock() noexcept = default;
  InternalLock(const InternalLock&) = delete;
  InternalLock& operator=(const InternalLock&) = delete;

  void lock() noexcept {
    std::uint32_t expected = 0;
    // Acquire pairs with the release exchange in unlock().
    if (!state_.compare_exchange_strong(expected, 1,
                                        std::memory_order_acquire)) {
      lock_slow();
    }
  }

  void unlock() noexcept {
    // Release pairs with the acquire in lock() and lock_slow().
    if (state_.exchange(0, std::memory_order_release) == 2) {
      futex_wake(&state_, 1);
    }
  }

 private:
  void lock_slow() noexcept;

  std::atomic<std::uint32_t> state_{0};
};

// Scoped holder for InternalLock.
class InternalGuard {
 public:
  explicit InternalGuard(InternalLock& lock) noexcept : lock_(lock) {
    lock_.lock();
  }
  ~InternalGuard() { lock_.unlock(); }
  InternalGuard(const InternalGuard&) = delete;
  InternalGuard& operator=(const InternalGuard&) = delete;

 private:
  InternalLock& lock_;
};

}  // namespace racecourse::detail

// Linux futex calls for the runtime's internal lock and parking.
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "racecourse/detail/lock.hpp"

namespace racecourse::detail {
namespace {

long futex(std::atomic<std::uint32_t>* word,
           int op,
           std::uint32_t value,
           const timespec* timeout) noexcept {
  // std::atomic<uint32_t> has the size and alignment of uint32_t here, which
  // the futex call requires.
  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));
  return syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word),
                 op | FUTEX_PRIVATE_FLAG, value, timeout, nullptr, 0);
}

}  // namespace

void futex_wait(std::atomic<std::uint32_t>* word,
                std::uint32_t expected) noexcept {
  futex(word, FUTEX_WAIT, expected, nullptr);
}

void futex_wait_for(std::atomic<std::uint32_t>* word,
                    std::uint32_t expected,
                    std::chrono::nanoseconds timeout) noexcept {
  if (timeout.count() <= 0) {
    return;
  }
  timespec relative{};
  relative.tv_sec = static_cast<time_t>(timeout.count() / 1'000'000'000);
  relative.tv_nsec = static_cast<long>(timeout.count() % 1'000'000'000);
  futex(word, FUTEX_WAIT, expected, &relative);
}

void futex_wake(std::atomic<std::uint32_t>* word, int count) noexcept {
  futex(word, FUTEX_WAKE, static_cast<std::uint32_t>(count), nullptr);
}

void InternalLock::lock_slow() noexcept {
  // Mark the lock contended before sleeping so unlock() knows to wake us.
  while (state_.exchange(2, std::memory_order_acquire) != 0) {
    futex_wait(&state_, 2);
  }
}

}  // namespace racecourse::detail

// How the runtime talks to ThreadSanitizer.
//
// The runtime's own bookkeeping (internal locks, queues, reference counts)
// runs inside `Hidden` regions, where TSan ignores every memory access and
// every synchronization. The runtime then publishes exactly the
// happens-before edges of Go's memory model with `publish_release` and
// `publish_acquire`. Without TSan every function here compiles to nothing.
#pragma once

#include <atomic>

#if defined(__SANITIZE_THREAD__)
#define RACECOURSE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RACECOURSE_TSAN 1
#endif
#endif
#ifndef RACECOURSE_TSAN
#define RACECOURSE_TSAN 0
#endif

#if RACECOURSE_TSAN
extern "C" {
void __tsan_read1(void* addr);
void __tsan_write1(void* addr);
}
#endif

namespace racecourse::detail::tsan {

inline constexpr bool kEnabled = RACECOURSE_TSAN != 0;

#if RACECOURSE_TSAN
void hide_begin() noexcept;
void hide_end() noexcept;
// Both must be called inside a Hidden region: they lift the region's
// ignore-sync for the one annotation, so the edge is recorded.
void publish_release(const void* addr) noexcept;
void publish_acquire(const void* addr) noexcept;
#else
inline void hide_begin() noexcept {}
inline void hide_end() noexcept {}
inline void publish_release(const void*) noexcept {}
inline void publish_acquire(const void*) noexcept {}
#endif

// A 1-byte read or write that TSan attributes to the calling code. Used
// outside Hidden regions to report Go's races on runtime objects (a close
// racing with a send, an add racing with a wait) at the user's line.
inline void race_read(const void* addr) noexcept {
#if RACECOURSE_TSAN
  __tsan_read1(const_cast<void*>(addr));
#else
  (void)addr;
#endif
}

inline void race_write(const void* addr) noexcept {
#if RACECOURSE_TSAN
  __tsan_write1(const_cast<void*>(addr));
#else
  (void)addr;
#endif
}

// Scope in which TSan sees neither memory accesses nor synchronization.
// Regions nest.
class Hidden {
 public:
  Hidden() noexcept { hide_begin(); }
  ~Hidden() { hide_end(); }
  Hidden(const Hidden&) = delete;
  Hidden& operator=(const Hidden&) = delete;
};

// A fresh synchronization object for one operation. TSan keeps a clock per
// address until the memory is freed, so each exchange gets its own heap
// token instead of a reused address, and no clock leaks into a later,
// unrelated exchange. Tokens exist only under TSan; otherwise nullptr.
struct Token {
  // A select's token is shared by its waiters on several channels, each
  // guarded by a different channel lock, hence atomic.
  std::atomic<int> refs{1};
};

// Allocate and free tokens; both must run inside a Hidden region.
Token* new_token() noexcept;
void ref(Token* token) noexcept;
void unref(Token* token) noexcept;

}  // namespace racecourse::detail::tsan

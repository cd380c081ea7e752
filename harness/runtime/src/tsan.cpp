#include "racecourse/detail/tsan.hpp"

#if RACECOURSE_TSAN
extern "C" {
void AnnotateIgnoreSyncBegin(const char* file, int line);
void AnnotateIgnoreSyncEnd(const char* file, int line);
void AnnotateIgnoreReadsBegin(const char* file, int line);
void AnnotateIgnoreReadsEnd(const char* file, int line);
void AnnotateIgnoreWritesBegin(const char* file, int line);
void AnnotateIgnoreWritesEnd(const char* file, int line);
void __tsan_acquire(void* addr);
void __tsan_release(void* addr);
}
#endif

namespace racecourse::detail::tsan {

#if RACECOURSE_TSAN
void hide_begin() noexcept {
  AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
  AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
  AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
}

void hide_end() noexcept {
  AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
  AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
  AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
}

void publish_release(const void* addr) noexcept {
  AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
  __tsan_release(const_cast<void*>(addr));
  AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
}

void publish_acquire(const void* addr) noexcept {
  AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
  __tsan_acquire(const_cast<void*>(addr));
  AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
}
#endif

Token* new_token() noexcept {
  if constexpr (kEnabled) {
    return new Token;
  }
  return nullptr;
}

void ref(Token* token) noexcept {
  if (token != nullptr) {
    token->refs.fetch_add(1, std::memory_order_relaxed);
  }
}

void unref(Token* token) noexcept {
  if (token != nullptr &&
      token->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    // Freeing the token also drops the clock TSan kept for its address.
    delete token;
  }
}

}  // namespace racecourse::detail::tsan

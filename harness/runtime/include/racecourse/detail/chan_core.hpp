// The type-erased channel behind Chan<T>, after Go's runtime/chan.go.
//
// Invariants, guarded by `lock_`:
// - kQueues: at most one of `recvq_` and `sendq_` is non-empty; a waiting
//   receiver means an empty buffer, a waiting sender a full one.
// - kRing: `count_` elements live in slots recvx_, recvx_+1, ... (mod cap);
//   the next send goes to sendx_ == (recvx_ + count_) % cap.
// - kClosed: once `closed_` is set no sender waits and none is added.
//
// What TSan sees (Go's memory model, nothing more):
// - unbuffered: a send happens before its receive completes, and the
//   receive happens before the send completes (one fresh token per pair);
// - buffered, capacity C: send k releases slot k%C and receive k acquires
//   it; receive k releases the slot and send k+C acquires it, so the k-th
//   receive happens before the (k+C)-th send completes;
// - close happens before every receive that returns because of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

#include "racecourse/detail/lock.hpp"
#include "racecourse/detail/tsan.hpp"
#include "racecourse/source_location.hpp"

namespace racecourse::detail {

struct G;
class ChanCore;
class SelectLocks;

// How to move and destroy the element type, so the core needs no template.
struct ElemOps {
  std::size_t size;
  std::size_t align;
  void (*move_construct)(void* dst, void* src) noexcept;
  void (*destroy)(void* obj) noexcept;
};

template <class T>
inline constexpr ElemOps kElemOps{
    sizeof(T),
    alignof(T),
    [](void* dst, void* src) noexcept {
      ::new (dst) T(std::move(*static_cast<T*>(src)));
    },
    [](void* obj) noexcept { static_cast<T*>(obj)->~T(); },
};

// A goroutine waiting on one channel (Go's sudog). Lives on the waiting
// goroutine's stack until it wakes.
struct Waiter {
  G* g = nullptr;
  ChanCore* chan = nullptr;
  void* elem = nullptr;  // send: the value to move; receive: raw storage
  int case_index = -1;   // its select case, or -1 for a plain operation
  bool is_select = false;
  bool queued = false;
  bool success = false;  // a value moved; false when woken by close
  tsan::Token* token = nullptr;
  Waiter* prev = nullptr;
  Waiter* next = nullptr;
};

class WaitQueue {
 public:
  bool empty() const noexcept { return head_ == nullptr; }
  void push_back(Waiter* w) noexcept;
  void remove(Waiter* w) noexcept;
  // Pops the first waiter that may fire: a select waiter only if it wins
  // its select's race. Returns nullptr when none.
  Waiter* pop_fireable() noexcept;
  Waiter* pop_front() noexcept;

 private:
  Waiter* head_ = nullptr;
  Waiter* tail_ = nullptr;
};

// One select case as the core sees it.
struct SelectCase {
  ChanCore* chan = nullptr;  // nullptr: a nil channel, never ready
  bool is_send = false;
  void* elem = nullptr;   // send: value to move; receive: raw storage
  bool received = false;  // receive: a value was constructed in elem
};

class ChanCore {
 public:
  static ChanCore* create(const ElemOps* ops, std::size_t capacity);

  void retain() noexcept;
  void release() noexcept;

  // Moves *src into the channel, blocking as Go does. Panics when closed.
  void send(void* src, SourceLocation where) noexcept;
  // Constructs the next value in `dst` (raw storage) and returns true, or
  // returns false when the channel is closed and drained.
  bool recv(void* dst, SourceLocation where) noexcept;
  void close(SourceLocation where) noexcept;
  // Sends without blocking and without registering the calling thread as
  // a goroutine (the timer thread). Returns false when the send would
  // block or the channel is closed.
  bool offer(void* src) noexcept;
  std::size_t len() noexcept;
  std::size_t cap() const noexcept { return cap_; }

  // Go's raceaddr: read by senders, written by close(), so an unordered
  // send and close are reported as a race at the user's lines.
  const void* race_address() const noexcept { return &race_byte_; }

  // Runs a select (Go's selectgo). Returns the chosen case, or -1 when
  // `has_default` and no case was ready. Panics on a send case whose
  // channel is closed.
  static int select(SelectCase* cases,
                    int count,
                    bool has_default,
                    SourceLocation where) noexcept;

 private:
  friend class SelectLocks;
  ChanCore(const ElemOps* ops, std::size_t capacity);
  ~ChanCore();

  void* slot(std::size_t index) noexcept;
  void advance(std::size_t& index) const noexcept;

  // The steps below run with lock_ held.
  // Each try_ sets *done when the operation completed without waiting and
  // returns the goroutine it made runnable, to unpark once unlocked.
  G* try_send_locked(void* src, bool* done) noexcept;
  G* try_recv_locked(void* dst, bool* received, bool* done) noexcept;
  void send_to_waiter(Waiter* receiver, void* src) noexcept;
  void send_to_buffer(void* src) noexcept;
  void recv_from_buffer(void* dst) noexcept;
  void recv_from_waiter(Waiter* sender, void* dst) noexcept;
  void consume_pending(std::size_t index) noexcept;
  // Queues `w`, first giving it a token holding the caller's clock.
  void enqueue_locked(Waiter* w, bool is_send) noexcept;
  // After park(): completes the TSan protocol for a plain waiter.
  static void finish_wait(Waiter* w) noexcept;
  // Tries one select case with every lock held. On success unlocks them
  // all and returns `index`; otherwise returns -1.
  static int poll_case_locked(SelectCase& c,
                              SourceLocation where,
                              SelectLocks& locks,
                              int index) noexcept;

  InternalLock lock_;
  const ElemOps* ops_;
  const std::size_t cap_;
  std::size_t count_ = 0;
  std::size_t sendx_ = 0;
  std::size_t recvx_ = 0;
  unsigned char* buffer_ = nullptr;
  bool closed_ = false;
  WaitQueue recvq_;
  WaitQueue sendq_;
  std::atomic<std::int64_t> handles_{1};
  char race_byte_ = 0;
  // TSan only, one entry per slot: the slot's sync address; a receiver's
  // token whose clock the next send to the slot must acquire (a value
  // handed straight to a waiting receiver); and a blocked sender's token
  // that travels with the value it left in the slot.
  char* slot_sync_ = nullptr;
  tsan::Token** pending_receiver_ = nullptr;
  tsan::Token** sender_token_ = nullptr;
};

}  // namespace racecourse::detail

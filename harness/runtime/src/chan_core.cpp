#include "racecourse/detail/chan_core.hpp"

#include <algorithm>
#include <new>
#include <vector>

#include "racecourse/detail/sched.hpp"
#include "racecourse/panic.hpp"

namespace racecourse::detail {
namespace {

std::align_val_t buffer_alignment(const ElemOps* ops) {
  return std::align_val_t(std::max(ops->align, alignof(std::max_align_t)));
}

// Hands a popped waiter its result; the caller unparks waiter->g after
// dropping the channel lock.
void fire(Waiter* w) noexcept {
  if (w->is_select) {
    w->g->fired_waiter = w;
  }
  ready(w->g);
}

}  // namespace

void WaitQueue::push_back(Waiter* w) noexcept {
  w->queued = true;
  w->next = nullptr;
  w->prev = tail_;
  if (tail_ != nullptr) {
    tail_->next = w;
  } else {
    head_ = w;
  }
  tail_ = w;
}

void WaitQueue::remove(Waiter* w) noexcept {
  if (w->prev != nullptr) {
    w->prev->next = w->next;
  } else {
    head_ = w->next;
  }
  if (w->next != nullptr) {
    w->next->prev = w->prev;
  } else {
    tail_ = w->prev;
  }
  w->queued = false;
  w->prev = nullptr;
  w->next = nullptr;
}

Waiter* WaitQueue::pop_front() noexcept {
  Waiter* w = head_;
  if (w != nullptr) {
    remove(w);
  }
  return w;
}

Waiter* WaitQueue::pop_fireable() noexcept {
  while (Waiter* w = pop_front()) {
    if (!w->is_select) {
      return w;
    }
    // A select waits on several channels; only the first waker wins. The
    // loser's waiter is dropped here and the select cleans up the rest.
    std::uint32_t expected = 0;
    if (w->g->select_done.compare_exchange_strong(expected, 1,
                                                  std::memory_order_acq_rel)) {
      return w;
    }
  }
  return nullptr;
}

ChanCore* ChanCore::create(const ElemOps* ops, std::size_t capacity) {
  tsan::Hidden hidden;
  return new ChanCore(ops, capacity);
}

ChanCore::ChanCore(const ElemOps* ops, std::size_t capacity)
    : ops_(ops), cap_(capacity) {
  if (cap_ > 0) {
    buffer_ = static_cast<unsigned char*>(
        ::operator new(cap_ * ops_->size, buffer_alignment(ops_)));
  }
  if constexpr (tsan::kEnabled) {
    const std::size_t slots = std::max<std::size_t>(cap_, 1);
    slot_sync_ = new char[slots]();
    pending_receiver_ = new tsan::Token*[slots]();
    sender_token_ = new tsan::Token*[slots]();
  }
}

ChanCore::~ChanCore() {
  for (std::size_t i = 0, index = recvx_; i < count_; ++i) {
    ops_->destroy(slot(index));
    advance(index);
  }
  if (buffer_ != nullptr) {
    ::operator delete(buffer_, buffer_alignment(ops_));
  }
  if constexpr (tsan::kEnabled) {
    for (std::size_t i = 0; i < std::max<std::size_t>(cap_, 1); ++i) {
      tsan::unref(pending_receiver_[i]);
      tsan::unref(sender_token_[i]);
    }
    delete[] slot_sync_;
    delete[] pending_receiver_;
    delete[] sender_token_;
  }
}

void ChanCore::retain() noexcept {
  // Hidden: a reference count TSan could see would order every pair of
  // goroutines that copy or drop a handle.
  tsan::Hidden hidden;
  handles_.fetch_add(1, std::memory_order_relaxed);
}

void ChanCore::release() noexcept {
  tsan::Hidden hidden;
  // acq_rel pairs with the other handles' decrements, so the deleting
  // thread sees every use of the channel.
  if (handles_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    delete this;
  }
}

void* ChanCore::slot(std::size_t index) noexcept {
  return buffer_ + index * ops_->size;
}

void ChanCore::advance(std::size_t& index) const noexcept {
  if (++index == cap_) {
    index = 0;
  }
}

std::size_t ChanCore::len() noexcept {
  tsan::Hidden hidden;
  InternalGuard guard(lock_);
  return count_;
}

void ChanCore::consume_pending(std::size_t index) noexcept {
  if constexpr (tsan::kEnabled) {
    if (pending_receiver_[index] != nullptr) {
      tsan::publish_acquire(pending_receiver_[index]);
      tsan::unref(pending_receiver_[index]);
      pending_receiver_[index] = nullptr;
    }
  }
}

void ChanCore::send_to_waiter(Waiter* receiver, void* src) noexcept {
  if constexpr (tsan::kEnabled) {
    if (cap_ == 0) {
      // Send before receive completes, and receive before send completes.
      tsan::publish_release(receiver->token);
      tsan::publish_acquire(receiver->token);
    } else {
      // As if the value passed through slot recvx_: this send takes the
      // slot's edges, and the receiver's clock waits in the slot for the
      // send that next uses it (receive k before send k+C completes).
      const std::size_t index = recvx_;
      consume_pending(index);
      tsan::publish_acquire(&slot_sync_[index]);
      tsan::publish_release(&slot_sync_[index]);
      tsan::publish_release(receiver->token);
      tsan::ref(receiver->token);
      pending_receiver_[index] = receiver->token;
    }
  }
  if (cap_ > 0) {
    advance(recvx_);
    sendx_ = recvx_;
  }
  ops_->move_construct(receiver->elem, src);
  receiver->success = true;
  fire(receiver);
}

void ChanCore::send_to_buffer(void* src) noexcept {
  const std::size_t index = sendx_;
  if constexpr (tsan::kEnabled) {
    consume_pending(index);
    tsan::publish_acquire(&slot_sync_[index]);
    tsan::publish_release(&slot_sync_[index]);
  }
  ops_->move_construct(slot(index), src);
  advance(sendx_);
  ++count_;
}

void ChanCore::recv_from_buffer(void* dst) noexcept {
  const std::size_t index = recvx_;
  if constexpr (tsan::kEnabled) {
    tsan::publish_acquire(&slot_sync_[index]);
    if (sender_token_[index] != nullptr) {
      tsan::publish_acquire(sender_token_[index]);
      tsan::unref(sender_token_[index]);
      sender_token_[index] = nullptr;
    }
    tsan::publish_release(&slot_sync_[index]);
  }
  ops_->move_construct(dst, slot(index));
  ops_->destroy(slot(index));
  advance(recvx_);
  --count_;
}

void ChanCore::recv_from_waiter(Waiter* sender, void* dst) noexcept {
  if (cap_ == 0) {
    if constexpr (tsan::kEnabled) {
      tsan::publish_acquire(sender->token);
      tsan::publish_release(sender->token);
    }
    ops_->move_construct(dst, sender->elem);
  } else {
    // The buffer is full: take its head, and the sender's value becomes the
    // new tail in the slot just freed.
    const std::size_t index = recvx_;
    recv_from_buffer(dst);
    if constexpr (tsan::kEnabled) {
      // The sender acquires this receive when it wakes (receive k before
      // send k+C completes); the token's clock from before it blocked
      // travels with its value to the receive that takes it.
      tsan::publish_release(sender->token);
      tsan::ref(sender->token);
      sender_token_[index] = sender->token;
    }
    ops_->move_construct(slot(index), sender->elem);
    ++count_;
    sendx_ = recvx_;
  }
  sender->success = true;
  fire(sender);
}

G* ChanCore::try_send_locked(void* src, bool* done) noexcept {
  *done = true;
  if (Waiter* receiver = recvq_.pop_fireable()) {
    G* woken = receiver->g;
    send_to_waiter(receiver, src);
    return woken;
  }
  if (count_ < cap_) {
    send_to_buffer(src);
    return nullptr;
  }
  *done = false;
  return nullptr;
}

G* ChanCore::try_recv_locked(void* dst, bool* received, bool* done) noexcept {
  *done = true;
  *received = true;
  if (Waiter* sender = sendq_.pop_fireable()) {
    G* woken = sender->g;
    recv_from_waiter(sender, dst);
    return woken;
  }
  if (count_ > 0) {
    recv_from_buffer(dst);
    return nullptr;
  }
  *received = false;
  if (closed_) {
    // Close happens before a receive that returns because of it.
    tsan::publish_acquire(&race_byte_);
    return nullptr;
  }
  *done = false;
  return nullptr;
}

void ChanCore::enqueue_locked(Waiter* w, bool is_send) noexcept {
  if constexpr (tsan::kEnabled) {
    if (w->token == nullptr) {
      w->token = tsan::new_token();
      // The clock from before blocking, for the partner to acquire.
      tsan::publish_release(w->token);
    }
  }
  (is_send ? sendq_ : recvq_).push_back(w);
}

void ChanCore::finish_wait(Waiter* w) noexcept {
  if constexpr (tsan::kEnabled) {
    tsan::publish_acquire(w->token);
    tsan::unref(w->token);
  }
}

void ChanCore::send(void* src, SourceLocation where) noexcept {
  tsan::Hidden hidden;
  G* self = current_g();
  lock_.lock();
  if (closed_) {
    lock_.unlock();
    panic("send on closed channel", where);
  }
  bool done = false;
  if (G* woken = try_send_locked(src, &done); done) {
    lock_.unlock();
    if (woken != nullptr) {
      unpark(woken);
    }
    return;
  }
  Waiter w;
  w.g = self;
  w.chan = this;
  w.elem = src;
  enqueue_locked(&w, /*is_send=*/true);
  block_on_chans(self, "chan send", where, ChanWait{.chan = this});
  lock_.unlock();
  park(self);
  finish_wait(&w);
  if (!w.success) {
    panic("send on closed channel", where);
  }
}

bool ChanCore::recv(void* dst, SourceLocation where) noexcept {
  tsan::Hidden hidden;
  G* self = current_g();
  lock_.lock();
  bool received = false;
  bool done = false;
  if (G* woken = try_recv_locked(dst, &received, &done); done) {
    lock_.unlock();
    if (woken != nullptr) {
      unpark(woken);
    }
    return received;
  }
  Waiter w;
  w.g = self;
  w.chan = this;
  w.elem = dst;
  enqueue_locked(&w, /*is_send=*/false);
  block_on_chans(self, "chan receive", where, ChanWait{.chan = this});
  lock_.unlock();
  park(self);
  finish_wait(&w);
  return w.success;
}

bool ChanCore::offer(void* src) noexcept {
  tsan::Hidden hidden;
  lock_.lock();
  bool done = false;
  G* woken = closed_ ? nullptr : try_send_locked(src, &done);
  lock_.unlock();
  if (woken != nullptr) {
    unpark(woken);
  }
  return done;
}

void ChanCore::close(SourceLocation where) noexcept {
  tsan::Hidden hidden;
  lock_.lock();
  if (closed_) {
    lock_.unlock();
    panic("close of closed channel", where);
  }
  closed_ = true;
  tsan::publish_release(&race_byte_);
  // Wake every waiter: receivers get the zero value, senders panic.
  std::vector<G*> woken;
  while (Waiter* receiver = recvq_.pop_fireable()) {
    if constexpr (tsan::kEnabled) {
      tsan::publish_release(receiver->token);
    }
    receiver->success = false;
    woken.push_back(receiver->g);
    fire(receiver);
  }
  while (Waiter* sender = sendq_.pop_fireable()) {
    sender->success = false;
    woken.push_back(sender->g);
    fire(sender);
  }
  lock_.unlock();
  for (G* g : woken) {
    unpark(g);
  }
}

}  // namespace racecourse::detail

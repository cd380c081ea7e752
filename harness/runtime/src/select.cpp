// select over channel cases, after Go's runtime/select.go selectgo.
#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "racecourse/detail/chan_core.hpp"
#include "racecourse/detail/sched.hpp"
#include "racecourse/panic.hpp"

namespace racecourse::detail {
namespace {

// A fixed-size scratch array that lives on the stack for up to N elements,
// so a select over a few cases allocates nothing.
template <class T, std::size_t N>
class ScratchArray {
 public:
  explicit ScratchArray(std::size_t size) : size_(size) {
    if (size > N) {
      heap_ = std::make_unique<T[]>(size);
    }
  }
  T* begin() noexcept { return heap_ ? heap_.get() : inline_.data(); }
  T* end() noexcept { return begin() + size_; }
  T& operator[](std::size_t i) noexcept { return begin()[i]; }
  std::size_t size() const noexcept { return size_; }
  void resize_down(std::size_t size) noexcept { size_ = size; }

 private:
  std::array<T, N> inline_{};
  std::unique_ptr<T[]> heap_;
  std::size_t size_;
};

constexpr std::size_t kInlineCases = 8;

// Per-thread xorshift generator for the poll order; select needs speed and
// uniformity, not cryptographic quality.
std::uint64_t next_random() noexcept {
  thread_local std::uint64_t state = [] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) | device() | 1;
  }();
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

// A uniformly random permutation of 0..count-1 (Fisher-Yates).
void shuffle(ScratchArray<int, kInlineCases>& order) noexcept {
  for (std::size_t i = order.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(next_random() % i);
    std::swap(order[i - 1], order[j]);
  }
}

}  // namespace

// Locks each distinct channel of a select once, in address order, so two
// selects over the same channels can never deadlock each other.
class SelectLocks {
 public:
  SelectLocks(const SelectCase* cases, int count)
      : chans_(static_cast<std::size_t>(count)) {
    // Insertion sort without duplicates: case counts are small.
    std::size_t size = 0;
    for (int i = 0; i < count; ++i) {
      ChanCore* chan = cases[i].chan;
      if (chan == nullptr) {
        continue;
      }
      std::size_t at = size;
      while (at > 0 && chans_[at - 1] > chan) {
        --at;
      }
      if (at > 0 && chans_[at - 1] == chan) {
        continue;
      }
      for (std::size_t j = size; j > at; --j) {
        chans_[j] = chans_[j - 1];
      }
      chans_[at] = chan;
      ++size;
    }
    chans_.resize_down(size);
  }

  void lock_all() noexcept {
    for (ChanCore* chan : chans_) {
      chan->lock_.lock();
    }
  }

  void unlock_all() noexcept {
    for (std::size_t i = chans_.size(); i > 0; --i) {
      chans_[i - 1]->lock_.unlock();
    }
  }

 private:
  ScratchArray<ChanCore*, kInlineCases> chans_;
};

int ChanCore::select(SelectCase* cases,
                     int count,
                     bool has_default,
                     SourceLocation where) noexcept {
  tsan::Hidden hidden;
  G* self = current_g();
  const bool any_channel = std::any_of(
      cases, cases + count, [](const SelectCase& c) { return c.chan; });
  if (!any_channel) {
    if (has_default) {
      return -1;
    }
    block_forever(count == 0 ? "select (no cases)" : "select", where);
  }

  // 1. Poll every case once, in random order, under all the locks.
  ScratchArray<int, kInlineCases> order(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    order[static_cast<std::size_t>(i)] = i;
  }
  shuffle(order);
  SelectLocks locks(cases, count);
  locks.lock_all();
  for (const int index : order) {
    const int chosen = poll_case_locked(cases[index], where, locks, index);
    if (chosen >= 0) {
      return chosen;
    }
  }

  // 2. Nothing is ready: take the default case if there is one.
  if (has_default) {
    locks.unlock_all();
    return -1;
  }

  // 3. Wait on every channel at once; the first waker wins select_done.
  tsan::Token* token = nullptr;
  if constexpr (tsan::kEnabled) {
    token = tsan::new_token();
    tsan::publish_release(token);
  }
  self->select_done.store(0, std::memory_order_relaxed);
  self->fired_waiter = nullptr;
  // Waiters are queued in the random poll order, so among duplicate cases
  // on one channel the first waker's pick is uniform too.
  ScratchArray<Waiter, kInlineCases> waiters(static_cast<std::size_t>(count));
  for (const int i : order) {
    if (cases[i].chan == nullptr) {
      continue;
    }
    Waiter& w = waiters[static_cast<std::size_t>(i)];
    w.g = self;
    w.chan = cases[i].chan;
    w.elem = cases[i].elem;
    w.case_index = i;
    w.is_select = true;
    w.token = token;
    cases[i].chan->enqueue_locked(&w, cases[i].is_send);
  }
  block_on_chans(self, "select", where,
                 ChanWait{.cases = cases, .case_count = count});
  locks.unlock_all();
  park(self);

  // 4. Woken: withdraw the waiters that did not fire.
  locks.lock_all();
  for (Waiter& w : waiters) {
    if (w.queued) {
      const bool is_send = cases[w.case_index].is_send;
      (is_send ? w.chan->sendq_ : w.chan->recvq_).remove(&w);
    }
  }
  locks.unlock_all();
  auto* fired = static_cast<Waiter*>(self->fired_waiter);
  if constexpr (tsan::kEnabled) {
    tsan::publish_acquire(token);
    tsan::unref(token);
  }
  SelectCase& chosen = cases[fired->case_index];
  if (chosen.is_send && !fired->success) {
    panic("send on closed channel", where);
  }
  chosen.received = !chosen.is_send && fired->success;
  return fired->case_index;
}

int ChanCore::poll_case_locked(SelectCase& c,
                               SourceLocation where,
                               SelectLocks& locks,
                               int index) noexcept {
  if (c.chan == nullptr) {
    return -1;
  }
  bool done = false;
  G* woken = nullptr;
  if (c.is_send) {
    if (c.chan->closed_) {
      locks.unlock_all();
      panic("send on closed channel", where);
    }
    woken = c.chan->try_send_locked(c.elem, &done);
  } else {
    woken = c.chan->try_recv_locked(c.elem, &c.received, &done);
  }
  if (!done) {
    return -1;
  }
  locks.unlock_all();
  if (woken != nullptr) {
    unpark(woken);
  }
  return index;
}

}  // namespace racecourse::detail

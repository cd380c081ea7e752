// Timers for after(): one runtime thread, not a goroutine, fires them all.
#include "racecourse/time.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "racecourse/detail/lock.hpp"
#include "racecourse/detail/sched.hpp"
#include "racecourse/detail/tsan.hpp"

#include "scheduler_internal.hpp"

namespace racecourse::detail {
namespace {

struct Timer {
  TimePoint deadline;
  Chan<TimePoint> chan;
};

bool later(const Timer& a, const Timer& b) {
  return a.deadline > b.deadline;
}

// A min-heap of timers and the thread that fires them. Everything runs in
// Hidden regions; the thread itself is started inside one so that TSan
// records no edge from the goroutine that happened to start it.
class TimerQueue {
 public:
  void add(Timer timer) {
    InternalGuard guard(lock_);
    timers_.push_back(std::move(timer));
    std::push_heap(timers_.begin(), timers_.end(), later);
    if (!started_) {
      started_ = true;
      std::thread([this] { loop(); }).detach();
    }
    // Wake the thread: the new timer may be the earliest.
    changes_.fetch_add(1, std::memory_order_release);
    futex_wake(&changes_, 1);
  }

 private:
  // Fires timers until none is pending, then ends the thread: an idle
  // thread left behind would delay the program's exit (TSan waits for
  // live threads at exit, one second by default).
  void loop() {
    tsan::Hidden hidden;
    scheduler().add_internal_thread(static_cast<pid_t>(::syscall(SYS_gettid)));
    for (;;) {
      const std::uint32_t seen = changes_.load(std::memory_order_acquire);
      std::vector<Timer> due = take_due();
      for (Timer& timer : due) {
        fire(timer);
      }
      if (!wait_for_next(seen)) {
        return;
      }
    }
  }

  std::vector<Timer> take_due() {
    InternalGuard guard(lock_);
    std::vector<Timer> due;
    const TimePoint now = std::chrono::steady_clock::now();
    while (!timers_.empty() && timers_.front().deadline <= now) {
      std::pop_heap(timers_.begin(), timers_.end(), later);
      due.push_back(std::move(timers_.back()));
      timers_.pop_back();
    }
    return due;
  }

  static void fire(Timer& timer) {
    TimePoint now = std::chrono::steady_clock::now();
    // The channel has capacity 1 and only this send, so the offer succeeds.
    core_of(timer.chan)->offer(&now);
    timer.chan = Chan<TimePoint>();
    timer_fired();
  }

  // Sleeps until the earliest deadline or a new timer. Returns false, and
  // marks the thread stopped, when no timer is pending.
  bool wait_for_next(std::uint32_t seen) {
    std::chrono::nanoseconds wait{};
    {
      InternalGuard guard(lock_);
      if (timers_.empty()) {
        started_ = false;
        return false;
      }
      wait = timers_.front().deadline - std::chrono::steady_clock::now();
    }
    futex_wait_for(&changes_, seen, wait);
    return true;
  }

  InternalLock lock_;
  std::vector<Timer> timers_;  // guarded by lock_
  bool started_ = false;       // a thread runs loop(); guarded by lock_
  std::atomic<std::uint32_t> changes_{0};
};

TimerQueue& timer_queue() {
  static TimerQueue* const queue = new TimerQueue;  // never destroyed
  return *queue;
}

}  // namespace

RecvChan<TimePoint> after_ns(std::chrono::nanoseconds delay,
                             SourceLocation where) {
  Chan<TimePoint> chan = make_chan<TimePoint>(1, where);
  tsan::Hidden hidden;
  timer_added();
  timer_queue().add(Timer{std::chrono::steady_clock::now() + delay, chan});
  return chan;
}

void sleep_ns(std::chrono::nanoseconds delay, SourceLocation where) {
  G* self = nullptr;
  {
    tsan::Hidden hidden;
    self = current_g();
    set_sleeping(self, true, where);
  }
  std::this_thread::sleep_for(delay);
  tsan::Hidden hidden;
  set_sleeping(self, false, where);
}

}  // namespace racecourse::detail

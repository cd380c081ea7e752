#include "racecourse/wait_group.hpp"

#include <vector>

#include "racecourse/detail/sched.hpp"
#include "racecourse/panic.hpp"

namespace racecourse {

bool WaitGroup::add_internal(std::int64_t delta, SourceLocation where) {
  detail::tsan::Hidden hidden;
  if (delta < 0) {
    // Each done() joins its clock into the address wait() acquires.
    detail::tsan::publish_release(&race_byte_);
  }
  lock_.lock();
  counter_ += delta;
  const std::int64_t counter = counter_;
  if (counter < 0) {
    lock_.unlock();
    panic("sync: negative WaitGroup counter", where);
  }
  // Collect the waiters to release; wake them only after unlocking, and
  // touch nothing of *this afterwards: a released waiter may destroy it.
  std::vector<detail::G*> woken;
  if (counter == 0) {
    while (detail::WaitNode* node = waiters_.pop_front()) {
      woken.push_back(node->g);
      detail::ready(node->g);
    }
    waiter_count_ = 0;
  }
  lock_.unlock();
  for (detail::G* g : woken) {
    detail::unpark(g);
  }
  return delta > 0 && counter == delta;
}

WaitGroup::WaitStart WaitGroup::wait_begin() {
  detail::tsan::Hidden hidden;
  lock_.lock();
  if (counter_ == 0) {
    lock_.unlock();
    detail::tsan::publish_acquire(&race_byte_);
    return WaitStart::done;
  }
  const bool first = ++waiter_count_ == 1;
  lock_.unlock();
  return first ? WaitStart::first_waiter : WaitStart::later_waiter;
}

void WaitGroup::wait_finish(SourceLocation where) {
  detail::tsan::Hidden hidden;
  lock_.lock();
  if (counter_ == 0) {
    // Released between wait_begin() and now.
    lock_.unlock();
    detail::tsan::publish_acquire(&race_byte_);
    return;
  }
  detail::G* self = detail::current_g();
  detail::WaitNode node;
  node.g = self;
  waiters_.push_back(&node);
  detail::block(self, "semacquire", where);
  lock_.unlock();
  detail::park(self);
  detail::tsan::publish_acquire(&race_byte_);
}

}  // namespace racecourse

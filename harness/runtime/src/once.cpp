#include "racecourse/once.hpp"

#include <vector>

#include "racecourse/detail/sched.hpp"
#include "racecourse/detail/tsan.hpp"

namespace racecourse {

bool Once::begin(SourceLocation where) {
  detail::tsan::Hidden hidden;
  lock_.lock();
  if (done_) {
    lock_.unlock();
    detail::tsan::publish_acquire(&done_sync_);
    return false;
  }
  if (!running_) {
    running_ = true;
    lock_.unlock();
    return true;
  }
  // Another goroutine runs f; Go's Once waits on its mutex here.
  detail::G* self = detail::current_g();
  detail::WaitNode node;
  node.g = self;
  waiters_.push_back(&node);
  detail::block(self, "sync.Mutex.Lock", where);
  lock_.unlock();
  detail::park(self);
  detail::tsan::publish_acquire(&done_sync_);
  return false;
}

void Once::finish() {
  detail::tsan::Hidden hidden;
  detail::tsan::publish_release(&done_sync_);
  std::vector<detail::G*> woken;
  lock_.lock();
  done_ = true;
  running_ = false;
  while (detail::WaitNode* node = waiters_.pop_front()) {
    detail::ready(node->g);
    woken.push_back(node->g);
  }
  lock_.unlock();
  for (detail::G* g : woken) {
    detail::unpark(g);
  }
}

}  // namespace racecourse

// A FIFO of goroutines parked on a sync primitive. Guarded by the owning
// primitive's InternalLock; nodes live on the waiting goroutines' stacks.
#pragma once

namespace racecourse::detail {

struct G;

struct WaitNode {
  G* g = nullptr;
  bool shared = false;  // RWMutex: a reader
  WaitNode* next = nullptr;
};

class WaitList {
 public:
  constexpr WaitList() noexcept = default;

  bool empty() const noexcept { return head_ == nullptr; }
  WaitNode* front() const noexcept { return head_; }

  void push_back(WaitNode* node) noexcept {
    node->next = nullptr;
    if (tail_ != nullptr) {
      tail_->next = node;
    } else {
      head_ = node;
    }
    tail_ = node;
  }

  WaitNode* pop_front() noexcept {
    WaitNode* node = head_;
    if (node != nullptr) {
      head_ = node->next;
      if (head_ == nullptr) {
        tail_ = nullptr;
      }
    }
    return node;
  }

 private:
  WaitNode* head_ = nullptr;
  WaitNode* tail_ = nullptr;
};

}  // namespace racecourse::detail

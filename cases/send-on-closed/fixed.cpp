// send-on-closed, fixed variant. Expected verdict: clean.
//
// The sender owns the queue: it closes it after its last send, so no send
// can follow the close, and the close happens after every send in program
// order. main ranges over the queue until it is closed and drained, and
// counts all 101 values.
//
//   sender                        main
//   queue.send(0 .. 100)  ------> for (value : queue) ++received
//   queue.close()  -------------> range ends after the 101st value
//   done()  --------------------> wait() returns
#include <cstdio>
#include <functional>

#include "racecourse/go.hpp"

namespace {

constexpr int kLast = 100;
constexpr int kQueueCapacity = 10;

// The sender goroutine: sends 0 through kLast on `queue`, then closes it.
void send_numbers(const racecourse::SendChan<int>& queue,
                  racecourse::WaitGroup& wg) {
  for (int i = 0; i <= kLast; ++i) {
    queue.send(i);
  }
  queue.close();
  wg.done();
}

}  // namespace

int main() {
  auto queue = racecourse::make_chan<int>(kQueueCapacity);
  racecourse::WaitGroup wg;
  wg.add(1);
  racecourse::go(send_numbers, queue, std::ref(wg));

  int received = 0;
  for (int value : queue) {
    ++received;
    std::printf("received %d\n", value);
  }
  wg.wait();

  std::printf("received: %d values\n", received);
}

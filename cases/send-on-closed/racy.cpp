// send-on-closed, racy variant. Expected verdict: panic (a data race
// report as well is acceptable).
//
// main has seen enough at value 49 and closes the queue to stop the sender,
// but the sender is still sending. The queue has room for 10 values, so when
// main closes it the sender has finished at most 50 + 10 of its 101 sends;
// its next send finds the queue closed and panics: "send on closed channel".
// main then waits for the sender, so the panic comes before main can
// return. The close is also not ordered with the sender's later sends, and
// the runtime reports that pair as a data race, as Go's race detector does.
//
//   sender                        main
//   queue.send(0 .. 59)  -------> receives 0 .. 49
//                                 queue.close()   (value 49)
//   queue.send(60): panic         drains 50 .. 59, wait()
#include <cstdio>
#include <functional>

#include "racecourse/go.hpp"

namespace {

constexpr int kLast = 100;
constexpr int kQueueCapacity = 10;
constexpr int kEnough = 49;

// The sender goroutine: sends 0 through kLast on `queue`.
void send_numbers(const racecourse::SendChan<int>& queue,
                  racecourse::WaitGroup& wg) {
  for (int i = 0; i <= kLast; ++i) {
    queue.send(i);
  }
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
    if (value == kEnough) {
      queue.close();  // BUG: only the sender may close; it is still sending
    }
  }
  wg.wait();

  std::printf("received: %d values\n", received);
}

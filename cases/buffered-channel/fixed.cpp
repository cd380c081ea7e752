// Expected verdict: clean, with all 101 values handled.
//
// The fix has two parts. The listener checks the receive's ok flag and
// stops once the channel is closed and drained, and main waits on the
// `drained` channel until it has:
//
//   main:      send 0..100 -> "Done!" -> close -> wait on drained ........ return
//   listener:  recv 0, pause, recv 1, ..., recv 100, recv (ok=false) -> close drained
#include <chrono>
#include <cstdio>

#include "course.hpp"
#include <racecourse/go.hpp>

using namespace std::chrono_literals;

namespace {

constexpr int kLast = 100;

// Handles each value slowly until `ch` is closed and drained, then closes
// `drained`.
void listen_to_chan(racecourse::Chan<int> ch, racecourse::Chan<bool> drained) {
  int handled = 0;
  for (;;) {
    const auto [i, ok] = ch.recv_ok();
    if (!ok) {
      break;
    }
    std::printf("Got %d from channel\n", i);
    ++handled;
    course::pause(300ms);
  }
  std::printf("listener handled %d values\n", handled);
  drained.close();
}

}  // namespace

int main() {
  auto ch = racecourse::make_chan<int>(100);
  auto drained = racecourse::make_chan<bool>();
  racecourse::go(listen_to_chan, ch, drained);

  for (int i = 0; i <= kLast; ++i) {
    ch.send(i);
  }
  std::printf("Done!\n");
  ch.close();
  drained.recv();
}

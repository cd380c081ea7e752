// Expected verdict: leak (and wrong-output: the listener never handles
// all 101 values).
//
// main queues 0..100 on a channel of capacity 100 to a slow listener.
// The buffer absorbs the sends, so main prints "Done!", closes the
// channel and returns while the listener has handled one value:
//
//   main:      send 0..100 (no waiting) -> "Done!" -> close -> return
//   listener:  recv 0 -> pause ........... (cut off at exit)
//
// Returning from main ends the program, as in Go, so 100 values are never
// handled, and the runtime lists the listener as abandoned.
#include <chrono>
#include <cstdio>

#include "course.hpp"
#include <racecourse/go.hpp>

using namespace std::chrono_literals;

namespace {

constexpr int kLast = 100;

// Handles each value slowly. It loops forever: after close() it would
// receive zeros, but main has returned long before.
void listen_to_chan(racecourse::Chan<int> ch) {
  for (;;) {
    const int i = ch.recv();
    std::printf("Got %d from channel\n", i);
    course::pause(300ms);
  }
}

}  // namespace

int main() {
  auto ch = racecourse::make_chan<int>(100);
  racecourse::go(listen_to_chan, ch);

  for (int i = 0; i <= kLast; ++i) {
    ch.send(i);
  }
  std::printf("Done!\n");
  ch.close();
}

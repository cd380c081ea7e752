// msg-update, racy variant. Expected verdict: data-race.
//
// Two goroutines assign the shared message with no lock. Nothing orders
// the two writes: each goroutine is ordered after main's go() and before
// main's wait(), but not with the other. Both writes happen on every run,
// so ThreadSanitizer reports them on every run, whichever lands first.
//
//   main                 goroutine A                goroutine B
//   msg = "Hello, world!"
//   go A, go B  ------>  msg = "Hello, universe"    msg = "Hello, cosmos"
//                              (unordered: data race)
//   wait()  <----------  done()                     done()
//   print msg
#include <cstdio>
#include <functional>
#include <string>

#include "racecourse/go.hpp"

namespace {

std::string msg;

// Replaces the shared message with `text`, then marks the goroutine done.
void update_message(const std::string& text, racecourse::WaitGroup& wg) {
  msg = text;
  wg.done();
}

}  // namespace

int main() {
  msg = "Hello, world!";

  racecourse::WaitGroup wg;
  wg.add(2);
  racecourse::go(update_message, std::string("Hello, universe"), std::ref(wg));
  racecourse::go(update_message, std::string("Hello, cosmos"), std::ref(wg));
  wg.wait();

  std::printf("message: %s\n", msg.c_str());
}

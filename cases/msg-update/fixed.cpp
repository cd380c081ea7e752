// msg-update, fixed variant. Expected verdict: clean.
//
// Each goroutine locks the Mutex around its write, so the two writes are
// ordered: one unlock() happens before the other's lock() returns. Which
// goroutine locks first is still up to the scheduler, so the printed
// message is "Hello, universe" on some runs and "Hello, cosmos" on others.
//
//   main                 goroutine A                goroutine B
//   msg = "Hello, world!"
//   go A, go B  ------>  lock, msg = ..., unlock --> lock, msg = ..., unlock
//                        (or B first, then A)
//   wait()  <----------  done()                     done()
//   print msg
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>

#include "racecourse/go.hpp"

namespace {

std::string msg;

// Replaces the shared message with `text` under `m`, then marks the
// goroutine done.
void update_message(const std::string& text,
                    racecourse::Mutex& m,
                    racecourse::WaitGroup& wg) {
  {
    std::lock_guard lock(m);
    msg = text;
  }
  wg.done();
}

}  // namespace

int main() {
  msg = "Hello, world!";

  racecourse::WaitGroup wg;
  racecourse::Mutex m;
  wg.add(2);
  racecourse::go(update_message, std::string("Hello, universe"), std::ref(m),
                 std::ref(wg));
  racecourse::go(update_message, std::string("Hello, cosmos"), std::ref(m),
                 std::ref(wg));
  wg.wait();

  std::printf("message: %s\n", msg.c_str());
}

// wait-group-over-add, racy variant. Expected verdict: deadlock.
//
// main adds 12 to the WaitGroup but starts only nine goroutines. Their nine
// done() calls leave the counter at 3, nothing else can lower it, and
// main's wait() blocks forever. Once the nine goroutines have finished,
// main is the only goroutine left and it is blocked, so the runtime stops
// the program: "all goroutines are asleep - deadlock!", main in
// [semacquire].
//
//   main                    goroutines "0: alpha" .. "8: epsilon"
//   add(12), go x9  ---->   pause, print, done()   (counter 12 -> 3)
//   wait()                  (all finished)
//   ... counter stays 3: deadlock
#include <array>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "racecourse/go.hpp"

#include "course.hpp"

namespace {

constexpr std::array<std::string_view, 9> kWords = {
    "alpha", "beta", "delta", "gamma", "pi", "zeta", "eta", "theta", "epsilon"};

// A goroutine's work: a pause, then its line, then done() on `wg`.
void print_something(const std::string& line, racecourse::WaitGroup& wg) {
  course::pause(std::chrono::seconds(3));
  std::printf("%s\n", line.c_str());
  wg.done();
}

}  // namespace

int main() {
  racecourse::WaitGroup wg;
  wg.add(12);  // BUG: a count typed by hand, three more than kWords.size()
  for (std::size_t i = 0; i < kWords.size(); ++i) {
    std::string line = std::to_string(i) + ": " + std::string(kWords[i]);
    racecourse::go(print_something, line, std::ref(wg));
  }
  wg.wait();
}

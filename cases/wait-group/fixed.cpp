// wait-group, fixed variant. Expected verdict: clean, all nine lines.
//
// main adds one to the WaitGroup per word before starting the goroutines,
// each goroutine calls done() after its line, and main waits for the count
// to drop back to zero before it returns.
//
//   main                    goroutines "0: alpha" .. "8: epsilon"
//   add(9), go x9  ----->   pause, print, done()
//   wait() <------------    (the ninth done() releases main)
//   return
#include <array>
#include <chrono>
#include <cstdint>
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
  wg.add(static_cast<std::int64_t>(kWords.size()));
  for (std::size_t i = 0; i < kWords.size(); ++i) {
    std::string line = std::to_string(i) + ": " + std::string(kWords[i]);
    racecourse::go(print_something, line, std::ref(wg));
  }
  wg.wait();
}

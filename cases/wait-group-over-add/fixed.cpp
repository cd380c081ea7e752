// wait-group-over-add, fixed variant. Expected verdict: clean.
//
// The count comes from the list itself, so it equals the number of
// goroutines started, whatever the list holds: the counter starts at nine,
// nine done() calls bring it to zero, and the ninth releases main's wait().
//
//   main                    goroutines "0: alpha" .. "8: epsilon"
//   add(9), go x9  ----->   pause, print, done()   (counter 9 -> 0)
//   wait() <------------    (the ninth done() releases main)
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

// wait-group-negative, fixed variant. Expected verdict: clean.
//
// print_something calls done() exactly once, from the deferred call, on
// every path out of the function. Each add() is matched by one done(): the
// counter goes 9 -> 0 for the goroutines, then 1 -> 0 for main's own call.
//
//   main              goroutines 1..9            counter
//   add(9), go x9 --> done() each                9 -> ... -> 0
//   wait() <--------  (the ninth done() releases main)
//   add(1), print_something(...), done()         1 -> 0
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "racecourse/go.hpp"

#include "course.hpp"

namespace {

constexpr std::array<std::string_view, 9> kWords = {
    "alpha", "beta", "delta", "gamma", "pi", "zeta", "eta", "theta", "epsilon"};

// Go's `defer f()`: runs `f` when the enclosing scope ends.
template <class F>
class Deferred {
 public:
  explicit Deferred(F f) : f_(std::move(f)) {}
  Deferred(const Deferred&) = delete;
  Deferred& operator=(const Deferred&) = delete;
  Deferred(Deferred&&) = delete;
  Deferred& operator=(Deferred&&) = delete;
  ~Deferred() { f_(); }

 private:
  F f_;
};

// A goroutine's work: a pause, then its line; done() on `wg` when it ends.
void print_something(const std::string& line, racecourse::WaitGroup& wg) {
  Deferred done([&wg] { wg.done(); });
  course::pause(std::chrono::seconds(1));
  std::printf("%s\n", line.c_str());
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

  wg.add(1);
  print_something("This is the second thing to be printed!", wg);
}

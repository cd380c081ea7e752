// wait-group-negative, racy variant. Expected verdict: panic.
//
// print_something defers done() (Go's `defer wg.Done()`) and also calls
// done() itself, so every call lowers the counter twice. Nine goroutines
// make 18 done() calls against add(9); the counter goes below zero and
// the runtime panics with "sync: negative WaitGroup counter", as Go does.
// main's own call after add(1) is certain to find the counter below zero if
// no goroutine has panicked first, so the panic happens on every run.
//
//   main              goroutines 1..9            counter (one order)
//   add(9), go x9 --> done(), done() each        9 -> 7 -> ... -> 1
//                     fifth goroutine: done()    1 -> 0 (main's wait returns)
//                                      done()    0 -> -1: panic
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
  wg.done();  // BUG: the deferred done() above runs as well
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

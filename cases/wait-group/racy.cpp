// wait-group, racy variant. Expected verdict: leak or wrong-output.
//
// main starts nine goroutines and returns at once. Returning from main ends
// the program, as in Go, so every goroutine still pausing before its line is
// cut off: its line never prints and the runtime lists it as abandoned.
//
//   main                    goroutines "0: alpha" .. "8: epsilon"
//   go x9  ------------->   pause ...
//   return (program ends)   ... never print
#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include "racecourse/go.hpp"

#include "course.hpp"

namespace {

constexpr std::array<std::string_view, 9> kWords = {
    "alpha", "beta", "delta", "gamma", "pi", "zeta", "eta", "theta", "epsilon"};

// A goroutine's work: a pause, then its line.
void print_something(const std::string& line) {
  course::pause(std::chrono::seconds(3));
  std::printf("%s\n", line.c_str());
}

}  // namespace

int main() {
  for (std::size_t i = 0; i < kWords.size(); ++i) {
    std::string line = std::to_string(i) + ": " + std::string(kWords[i]);
    racecourse::go(print_something, line);
  }
}

// Helpers for the runtime tests: bounded waits on runtime primitives, child
// processes with captured output, and ThreadSanitizer logs.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "racecourse/go.hpp"

#include "probe.hpp"

namespace runtime_test {

inline constexpr bool kWithTsan = probe::kWithTsan;

// Skips a test that reads ThreadSanitizer reports in a build without TSan.
#define RACECOURSE_SKIP_WITHOUT_TSAN()                                  \
  if (!::runtime_test::kWithTsan) {                                     \
    GTEST_SKIP() << "this build has no ThreadSanitizer (asan-ubsan or " \
                    "release preset), so no TSan reports to count";     \
  }

// Ends the test program when a bounded wait runs out, so a runtime that
// hangs fails the test within seconds instead of stalling ctest.
[[noreturn]] inline void fail_hard(const std::string& what) {
  std::fprintf(stderr,
               "runtime test: timed out after %lld s waiting for %s; the "
               "runtime is probably deadlocked there\n",
               static_cast<long long>(probe::kBound.count()), what.c_str());
  std::fflush(nullptr);
  std::_Exit(1);
}

// Receives from `chan` (a Chan or RecvChan), giving up after probe::kBound.
template <class Ch>
auto recv_bounded(const Ch& chan, const std::string& what) {
  using T = std::remove_cvref_t<decltype(chan.recv())>;
  std::optional<racecourse::RecvResult<T>> got;
  racecourse::select(
      racecourse::on_recv_ok(
          chan,
          [&got](T value, bool ok) {
            got.emplace(racecourse::RecvResult<T>{std::move(value), ok});
          }),
      racecourse::on_recv(racecourse::after(probe::kBound),
                          [](racecourse::TimePoint) {}));
  if (!got) {
    fail_hard(what);
  }
  return std::move(*got);
}

// Runs `f` in a goroutine and waits, bounded, until it returns.
template <class F>
void run_bounded(F f, const std::string& what) {
  auto finished = racecourse::make_chan<int>();
  racecourse::go([f = std::move(f), finished]() mutable {
    f();
    finished.close();
  });
  recv_bounded(finished, what);
}

// Starts `f` in a goroutine that records its thread id, and waits until
// that goroutine is parked in a runtime primitive.
template <class F>
void go_and_wait_until_parked(F f, const std::string& what) {
  auto tid = std::make_shared<probe::Tid>();
  racecourse::go([f = std::move(f), tid]() mutable {
    tid->set_to_caller();
    f();
  });
  probe::wait_until_parked(tid->get(what.c_str()), what.c_str());
}

// A fresh temporary folder, removed with its contents at the end.
class TempFolder {
 public:
  TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  ~TempFolder();

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// What a finished child process left behind.
struct ChildResult {
  int exit_status = -1;  // -1 when killed by a signal
  int signal = 0;
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs `argv` with the parent's environment plus `env` ("NAME=value"
// entries replace the parent's), stdout and stderr captured, killed after
// `timeout`.
ChildResult run_child(const std::vector<std::string>& argv,
                      const std::vector<std::string>& env,
                      std::chrono::seconds timeout = std::chrono::seconds(120));

// The text of every file in `folder`, concatenated in name order.
std::string read_folder(const std::filesystem::path& folder);

// Counts "WARNING: ThreadSanitizer:" headlines in `text`.
int count_tsan_reports(const std::string& text);

// A kebab-case scenario name as a GoogleTest name: "close-of-nil" becomes
// "CloseOfNil".
std::string camel_case(const std::string& kebab);

// The whole of a text file; fails the test if it cannot be read.
std::string read_file(const std::filesystem::path& file);

}  // namespace runtime_test

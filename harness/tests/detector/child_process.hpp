// Runs a program in a child process with a bounded wait, for tests that
// check what a program prints and how it exits.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace detector_test {

struct ChildOptions {
  // NAME=value entries added to the test's own environment, replacing a
  // variable of the same name.
  std::vector<std::string> set_env;
  // Names removed from the environment.
  std::vector<std::string> unset_env;
  // When not empty, `stdin_data` is written to the child's stdin
  // `stdin_delay` after this line appears on its stdout; otherwise stdin
  // is closed at once.
  std::string stdin_after_line;
  std::chrono::milliseconds stdin_delay{0};
  std::string stdin_data;
  // After this long the child's process group is killed with SIGKILL.
  std::chrono::milliseconds timeout{std::chrono::seconds(20)};
};

struct ChildResult {
  bool timed_out = false;
  // The exit status, or -1 when a signal ended the child.
  int exit_status = -1;
  int signal = 0;
  std::string out;
  std::string err;
  std::chrono::milliseconds elapsed{0};
};

// Starts argv[0] (a path) with argv in its own process group, collects
// stdout and stderr apart, and waits at most `options.timeout`. Throws
// std::runtime_error when the program cannot be started.
ChildResult run_child(const std::vector<std::string>& argv,
                      const ChildOptions& options);

// "exit status 2", "killed by signal 9" or "timed out after 20000 ms",
// for assertion messages.
std::string describe_end(const ChildResult& result);

}  // namespace detector_test

// Runs one program as a child process, with its output captured and a
// deadline enforced. The Linux implementation lives in process_linux.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace racecourse::runner {

// Bytes kept of each of stdout and stderr; the rest is read and dropped so
// the child never blocks on a full pipe.
inline constexpr std::size_t kDefaultOutputLimit = 4 * 1024 * 1024;

// How long the CPU use of a timed-out process group is sampled before it is
// killed, to tell a hang (no CPU) from a busy loop.
inline constexpr std::chrono::milliseconds kCpuSampleWindow{500};

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is the program
  // Variables set in the child on top of the runner's environment.
  std::vector<std::pair<std::string, std::string>> env;
  std::chrono::milliseconds timeout{30'000};
  std::size_t output_limit = kDefaultOutputLimit;
  // When false, a timed-out child is killed at once, without sampling CPU.
  bool sample_cpu_on_timeout = true;
};

struct ProcessResult {
  bool started = false;
  std::string start_error;  // why the program could not start
  int pid = 0;
  int exit_code = -1;          // -1 when killed by a signal or never started
  int signal = 0;              // the terminating signal, 0 when it exited
  bool timed_out = false;      // the runner killed it at the deadline
  double timeout_seconds = 0;  // the deadline that applied
  double duration_seconds = 0;
  // CPU seconds the process group used during the sample window after the
  // deadline (user + system time of every process in the group).
  double timeout_cpu_seconds = 0;
  double timeout_window_seconds = 0;
  std::string stdout_text;
  std::string stderr_text;
  bool stdout_truncated = false;
  bool stderr_truncated = false;
};

// Called after the deadline and the CPU sample, right before the process
// group is killed, with the child's pid (which is also its process group
// id). The hook must return in bounded time.
using TimeoutHook = std::function<void(int pid)>;

// Starts `spec.argv` in a new process group with stdin from /dev/null and
// stdout and stderr captured through separate pipes, waits for it to exit
// or for the timeout, then SIGKILLs whatever is left of its process group
// and reaps the child. Never throws for a program that cannot start:
// `started` is false and `start_error` says why.
ProcessResult run_process(const ProcessSpec& spec,
                          const TimeoutHook& on_timeout = {});

// Returns an empty string when `program` names an executable file (a path,
// or a name found on PATH), else a message saying what is wrong and what
// to do.
std::string check_executable(const std::string& program);

}  // namespace racecourse::runner

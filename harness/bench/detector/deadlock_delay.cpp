// Measures the deadlock detector's delay: the time from the last goroutine
// blocking to "fatal error: all goroutines are asleep" arriving on the
// child's stderr, or with --partial, to the partial-deadlock report of
// goroutines stuck on a channel main let go of while main runs on.
//
// Each run starts this program again as a child. The child's goroutines
// and main write a CLOCK_MONOTONIC timestamp to fd 3 just before they
// block on a channel nobody sends on; the parent reads those stamps and
// the child's stderr and takes, per run, the time between the latest stamp
// and the moment the fatal error was read. The figure includes the
// parent's wake-up from poll(), so it is an upper bound on the detector's
// own delay. It prints min, median and max and asserts nothing.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "racecourse/go.hpp"

namespace {

constexpr int kStampFd = 3;
constexpr std::string_view kFatal =
    "fatal error: all goroutines are asleep - deadlock!";
constexpr std::string_view kPartial = "asleep for good - partial deadlock!";
constexpr std::int64_t kChildTimeoutNs = 20'000'000'000;

std::int64_t monotonic_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

// Writes the current time to the stamp pipe. 8 bytes is below PIPE_BUF,
// so stamps from concurrent goroutines never interleave.
void stamp() {
  const std::int64_t now = monotonic_ns();
  if (::write(kStampFd, &now, sizeof now) != sizeof now) {
    std::perror("deadlock_delay: writing a timestamp");
  }
}

void block_forever(racecourse::Chan<int> never) {
  stamp();
  never.recv();
}

// The child: `goroutines` goroutines and main all block on one channel.
// The last of them to block completes the deadlock.
int run_child(int goroutines) {
  auto never = racecourse::make_chan<int>();
  for (int i = 0; i < goroutines; ++i) {
    racecourse::go(block_forever, never);
  }
  block_forever(never);
  return 1;  // not reached: the runtime ends the process with status 2
}

// The --partial child: the goroutines block on a channel whose last other
// handle main drops, then main sleeps on; the parent ends it.
int run_partial_child(int goroutines) {
  {
    auto never = racecourse::make_chan<int>();
    for (int i = 0; i < goroutines; ++i) {
      racecourse::go(block_forever, never);
    }
  }
  racecourse::sleep_for(std::chrono::nanoseconds(kChildTimeoutNs));
  return 1;
}

struct Mode {
  bool partial = false;
  std::string_view report() const { return partial ? kPartial : kFatal; }
};

struct RunResult {
  std::optional<std::int64_t> delay_ns;
  std::string problem;  // set when the run did not end in the deadlock
};

pid_t spawn_child(const std::string& self,
                  Mode mode,
                  int goroutines,
                  int stamp_fd,
                  int err_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stamp_fd, kStampFd);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  std::string count = std::to_string(goroutines);
  std::string child_flag = "--child";
  std::string goroutines_flag = "--goroutines";
  std::string partial_flag = "--partial";
  std::string path = self;
  char* argv[] = {path.data(),
                  child_flag.data(),
                  goroutines_flag.data(),
                  count.data(),
                  mode.partial ? partial_flag.data() : nullptr,
                  nullptr};
  pid_t pid = -1;
  if (::posix_spawn(&pid, self.c_str(), &actions, nullptr, argv, environ) !=
      0) {
    pid = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// Reads one child's stamps and stderr until both pipes close, recording
// when the report arrived; a partial deadlock's child runs on, so there it
// stops at the report. Returns false on timeout.
bool collect(Mode mode,
             int stamp_fd,
             int err_fd,
             std::vector<std::int64_t>& stamps,
             std::string& err,
             std::optional<std::int64_t>& fatal_at) {
  const std::int64_t deadline = monotonic_ns() + kChildTimeoutNs;
  std::string stamp_bytes;
  pollfd fds[2] = {{stamp_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    const std::int64_t left_ms = (deadline - monotonic_ns()) / 1'000'000;
    if (left_ms <= 0) {
      return false;
    }
    if (::poll(fds, 2, static_cast<int>(left_ms)) < 0 && errno != EINTR) {
      return false;
    }
    const std::int64_t now = monotonic_ns();
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) {
        continue;
      }
      char buffer[4096];
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        fds[i].fd = -1;
        continue;
      }
      (i == 0 ? stamp_bytes : err).append(buffer, static_cast<size_t>(n));
      if (i == 1 && !fatal_at && err.find(mode.report()) != std::string::npos) {
        fatal_at = now;
      }
    }
    if (fatal_at && mode.partial) {
      break;
    }
  }
  // Stamps written before the report are all in the pipe by now.
  if (mode.partial && fds[0].fd >= 0) {
    char buffer[4096];
    ::fcntl(fds[0].fd, F_SETFL, O_NONBLOCK);
    for (ssize_t n = 0; (n = ::read(fds[0].fd, buffer, sizeof buffer)) > 0;) {
      stamp_bytes.append(buffer, static_cast<size_t>(n));
    }
  }
  for (std::size_t at = 0; at + 8 <= stamp_bytes.size(); at += 8) {
    std::int64_t value = 0;
    std::memcpy(&value, stamp_bytes.data() + at, sizeof value);
    stamps.push_back(value);
  }
  return true;
}

RunResult measure_once(const std::string& self, Mode mode, int goroutines) {
  int stamp_pipe[2];
  int err_pipe[2];
  if (::pipe2(stamp_pipe, O_CLOEXEC) != 0 ||
      ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    return {std::nullopt, std::string("pipe2 failed: ") + std::strerror(errno)};
  }
  const pid_t pid =
      spawn_child(self, mode, goroutines, stamp_pipe[1], err_pipe[1]);
  ::close(stamp_pipe[1]);
  ::close(err_pipe[1]);
  std::vector<std::int64_t> stamps;
  std::string err;
  std::optional<std::int64_t> fatal_at;
  const bool finished = pid > 0 && collect(mode, stamp_pipe[0], err_pipe[0],
                                           stamps, err, fatal_at);
  ::close(stamp_pipe[0]);
  ::close(err_pipe[0]);
  if (pid <= 0) {
    return {std::nullopt, "cannot start " + self};
  }
  if (!finished || mode.partial) {
    ::kill(pid, SIGKILL);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);

  RunResult result;
  const auto expected =
      static_cast<std::size_t>(goroutines) + (mode.partial ? 0 : 1);
  if (!finished) {
    result.problem = "timed out after 20 s";
  } else if (!fatal_at) {
    result.problem =
        "no " + std::string(mode.report()) + " report; stderr: " + err;
  } else if (stamps.size() != expected) {
    result.problem = "expected " + std::to_string(expected) +
                     " timestamps, got " + std::to_string(stamps.size());
  } else {
    result.delay_ns =
        *fatal_at - *std::max_element(stamps.begin(), stamps.end());
  }
  return result;
}

double microseconds(std::int64_t ns) {
  return static_cast<double>(ns) / 1e3;
}

int run_parent(const std::string& self, Mode mode, int runs, int goroutines) {
  std::vector<std::int64_t> delays;
  int failures = 0;
  for (int run = 0; run < runs; ++run) {
    const RunResult result = measure_once(self, mode, goroutines);
    if (result.delay_ns) {
      delays.push_back(*result.delay_ns);
    } else {
      ++failures;
      std::fprintf(stderr, "deadlock_delay: run %d: %s\n", run + 1,
                   result.problem.c_str());
    }
  }
  if (delays.empty()) {
    std::fprintf(stderr, "deadlock_delay: no run ended in a deadlock\n");
    return 1;
  }
  std::sort(delays.begin(), delays.end());
  std::printf(
      mode.partial
          ? "partial deadlock report delay, %d goroutines, main running, "
            "%zu runs (%d failed):\n  min %.1f us, median %.1f us, max %.1f "
            "us\n"
          : "deadlock report delay, %d goroutines + main, %zu runs (%d "
            "failed):\n  min %.1f us, median %.1f us, max %.1f us\n",
      goroutines, delays.size(), failures, microseconds(delays.front()),
      microseconds(delays[delays.size() / 2]), microseconds(delays.back()));
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Measures the time from the last goroutine blocking to the runtime's "
      "deadlock report on the child's stderr."};
  int runs = 50;
  int goroutines = 8;
  bool child = false;
  Mode mode;
  app.add_option("--runs", runs, "Number of child processes to time.")
      ->check(CLI::PositiveNumber);
  app.add_option("--goroutines", goroutines,
                 "Goroutines besides main that block in each child.")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--partial", mode.partial,
               "Time a partial deadlock instead: the goroutines block on a "
               "channel main let go of, while main keeps running.");
  app.add_flag("--child", child,
               "Internal: be the deadlocking child, stamping fd 3.")
      ->group("");
  CLI11_PARSE(app, argc, argv);
  if (child) {
    return mode.partial ? run_partial_child(goroutines) : run_child(goroutines);
  }
  if (mode.partial && goroutines == 0) {
    std::fprintf(stderr,
                 "deadlock_delay: --partial needs --goroutines 1 or more; "
                 "got 0\n");
    return 2;
  }
  return run_parent("/proc/self/exe", mode, runs, goroutines);
}

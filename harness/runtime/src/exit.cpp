// What happens when main returns: Go ends the program at once, and so does
// racecourse, after listing the goroutines that were cut off. When other
// goroutines are still alive, the exit hook ends the process with _exit
// and the program's status before static destructors run, so they never
// race with goroutines that are still using the objects they destroy.
// (Under TSan, _exit still runs TSan's own end-of-run step.)
//
// Before listing them, the hook cuts stdout off (output after main returns
// is lost in Go too) and gives goroutines that are still running up to
// kExitGrace to finish. A goroutine that called done() as its last step
// is usually still unwinding when main's wait() returns; it is not an
// abandoned goroutine and must not be reported as one.
//
// RACECOURSE_LEAKS chooses what a leak does:
//   warn (default)  print the report, keep the program's exit status;
//   fail            print the report and exit with status 2;
//   off             print nothing.
// Goroutines blocked in a runtime primitive are "leaked": nothing can ever
// wake them. Goroutines still running or sleeping are "abandoned": their
// work is cut off, as in Go.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "racecourse/detail/sched.hpp"
#include "racecourse/detail/tsan.hpp"

#include "report_internal.hpp"
#include "scheduler_internal.hpp"

namespace racecourse::detail {
namespace {

constexpr auto kExitGrace = std::chrono::milliseconds(100);

std::string goroutines_were(std::size_t count) {
  return std::to_string(count) +
         (count == 1 ? " goroutine was" : " goroutines were");
}

bool is_leaked(const GoroutineView& g) {
  return g.blocked_at.known() && g.state != "sleep";
}

// Splits the other live goroutines into blocked and still running ones.
// Goroutines already reported as asleep for good are not listed again;
// returns how many of those there are.
std::size_t classify(std::int64_t self,
                     std::vector<GoroutineView>& leaked,
                     std::vector<GoroutineView>& abandoned) {
  leaked.clear();
  abandoned.clear();
  std::size_t reported = 0;
  for (GoroutineView& g : snapshot()) {
    if (g.id == self) {
      continue;
    }
    if (g.reported_stuck) {
      ++reported;
    } else {
      (is_leaked(g) ? leaked : abandoned).push_back(std::move(g));
    }
  }
  return reported;
}

// Sends stdout to /dev/null once everything written so far is flushed.
void cut_off_stdout() {
  std::fflush(nullptr);
  const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_fd >= 0) {
    ::dup2(null_fd, STDOUT_FILENO);
    ::close(null_fd);
  }
}

// Prints the leak report; returns whether any other goroutine is alive.
bool report_leaks() {
  tsan::Hidden hidden;
  const LeakMode mode = leak_mode();
  scheduler().begin_exit();
  const std::int64_t self = current_g()->id;
  std::vector<GoroutineView> leaked;
  std::vector<GoroutineView> abandoned;
  const std::size_t reported = classify(self, leaked, abandoned);
  if (leaked.empty() && abandoned.empty()) {
    return reported > 0;
  }
  cut_off_stdout();
  const auto deadline = std::chrono::steady_clock::now() + kExitGrace;
  while (!abandoned.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    classify(self, leaked, abandoned);
  }
  if (leaked.empty() && abandoned.empty()) {
    return true;
  }
  if (mode == LeakMode::off) {
    return true;
  }
  std::string text;
  if (!leaked.empty()) {
    text += "racecourse: main returned while " +
            goroutines_were(leaked.size()) + " blocked for good (leaked):\n";
    append_dump_text(text, leaked, 0);
  }
  if (!abandoned.empty()) {
    text += "racecourse: main returned while " +
            goroutines_were(abandoned.size()) +
            " still running (abandoned, their work cut off):\n";
    append_dump_text(text, abandoned, 0);
  }
  const std::string event =
      "{\"event\":\"leak\",\"mode\":\"" +
      std::string(mode == LeakMode::fail ? "fail" : "warn") +
      "\",\"leaked\":" + goroutines_json(leaked) +
      ",\"abandoned\":" + goroutines_json(abandoned) + "}";
  if (mode == LeakMode::fail) {
    die(text, event);
  }
  std::fflush(nullptr);
  write_stderr(text);
  emit_event(event);
  return true;
}

// Runs inside exit(), which passes the program's exit status.
void on_program_exit(int status, void* /*unused*/) {
  if (report_leaks()) {
    std::fflush(nullptr);
    ::_exit(status);
  }
}

}  // namespace

void install_exit_hook() {
  tsan::Hidden hidden;
  // glibc's on_exit, unlike atexit, passes the exit status along.
  ::on_exit(on_program_exit, nullptr);
}
}  // namespace racecourse::detail

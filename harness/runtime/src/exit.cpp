// What happens when main returns: Go ends the program silently; racecourse
// also lists the goroutines that were cut off.
//
// RACECOURSE_LEAKS chooses what a leak does:
//   warn (default)  print the report, keep the program's exit status;
//   fail            print the report and exit with status 2;
//   off             print nothing.
// Goroutines blocked in a runtime primitive are "leaked": nothing can ever
// wake them. Goroutines still running or sleeping are "abandoned": their
// work is cut off, as in Go.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "racecourse/detail/sched.hpp"
#include "racecourse/detail/tsan.hpp"
#include "report_internal.hpp"
#include "scheduler_internal.hpp"

namespace racecourse::detail {
namespace {

enum class LeakMode { warn, fail, off };

LeakMode leak_mode() {
  const char* value = std::getenv("RACECOURSE_LEAKS");
  if (value == nullptr || *value == '\0' || std::strcmp(value, "warn") == 0) {
    return LeakMode::warn;
  }
  if (std::strcmp(value, "fail") == 0) {
    return LeakMode::fail;
  }
  if (std::strcmp(value, "off") == 0) {
    return LeakMode::off;
  }
  write_stderr("racecourse: invalid RACECOURSE_LEAKS='" + std::string(value) +
               "'; use warn, fail or off. Using warn.\n");
  return LeakMode::warn;
}

std::string plural(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " goroutine" : " goroutines");
}

void report_leaks() {
  tsan::Hidden hidden;
  static const LeakMode mode = leak_mode();
  scheduler().begin_exit();
  if (mode == LeakMode::off) {
    return;
  }
  const std::int64_t self = current_g()->id;
  std::vector<GoroutineView> leaked;
  std::vector<GoroutineView> abandoned;
  for (GoroutineView& g : snapshot()) {
    if (g.id == self) {
      continue;
    }
    (g.blocked_at.known() && g.state != "sleep" ? leaked : abandoned)
        .push_back(std::move(g));
  }
  if (leaked.empty() && abandoned.empty()) {
    return;
  }
  std::string text;
  if (!leaked.empty()) {
    text += "racecourse: main returned while " + plural(leaked.size()) +
            " could never wake (leaked):\n";
    append_dump_text(text, leaked, 0);
  }
  if (!abandoned.empty()) {
    text += "racecourse: main returned while " + plural(abandoned.size()) +
            " were still running (abandoned, their work cut off):\n";
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
}

}  // namespace

void install_exit_hook() {
  tsan::Hidden hidden;
  std::atexit(report_leaks);
}
}  // namespace racecourse::detail

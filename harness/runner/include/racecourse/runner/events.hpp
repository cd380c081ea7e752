// Reads the racecourse runtime's event file: JSON lines that a program
// built on the Go-style runtime appends to the file named by the
// RACECOURSE_EVENTS environment variable.
#pragma once

#include <filesystem>
#include <map>
#include <string_view>
#include <vector>

#include "racecourse/report/model.hpp"

namespace racecourse::runner {

// The environment variable that names the event file.
inline constexpr const char* kEventsVariable = "RACECOURSE_EVENTS";

struct EventLog {
  // One finding per panic, fatal error or leak event. An unknown event or
  // a line that is not valid JSON becomes a finding with verdict clean and
  // `complete` false, so it shows in the report without changing the verdict.
  std::vector<report::Finding> findings;
  // OS thread id -> goroutine id, from the "go" events.
  std::map<int, int> goroutine_by_tid;
};

// Converts event-file text into findings. Never throws.
EventLog parse_events(std::string_view text);

// Reads and parses the event file at `path`; a missing file is an empty log.
EventLog read_events(const std::filesystem::path& path);

// Sets `ThreadInfo::goroutine` on every thread of `findings` whose OS
// thread id is a known goroutine.
void attach_goroutines(std::vector<report::Finding>& findings,
                       const std::map<int, int>& goroutine_by_tid);

}  // namespace racecourse::runner

// Text and JSON-lines output for panics, fatal errors and leaks. Internal
// to the runtime library; everything runs inside a tsan::Hidden region.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "racecourse/detail/sched.hpp"

namespace racecourse::detail {

// A copy of one goroutine's record, taken under the scheduler lock.
struct GoroutineView {
  std::int64_t id = 0;
  std::string name;
  std::string state;  // Go's words, "running" when not blocked
  pid_t os_tid = 0;
  SourceLocation blocked_at;
  SourceLocation created_at;
  std::int64_t creator_id = 0;
  bool started_by_go = false;
  bool reported_stuck = false;  // already reported as asleep for good
};

// Copies every live goroutine; the caller holds the scheduler lock.
std::vector<GoroutineView> snapshot_locked();
// Takes the scheduler lock and copies every live goroutine.
std::vector<GoroutineView> snapshot();
GoroutineView view_of(const G& g);

// Appends Go's "goroutine N [state]:" entry for `g` to `out`.
void append_goroutine_text(std::string& out, const GoroutineView& g);
// Appends all goroutines, `first_id` first.
void append_dump_text(std::string& out,
                      const std::vector<GoroutineView>& goroutines,
                      std::int64_t first_id);

std::string json_string(std::string_view text);
std::string goroutine_json(const GoroutineView& g);
std::string goroutines_json(const std::vector<GoroutineView>& goroutines);

// The RACECOURSE_LEAKS setting for leaks at exit and for goroutines asleep
// for good while the program runs: print and carry on (warn, the default),
// print and exit with status 2 (fail), or do nothing (off).
enum class LeakMode { warn, fail, off };
// Reads RACECOURSE_LEAKS once; warns about an invalid value.
LeakMode leak_mode();

// Appends one line to the events file named by RACECOURSE_EVENTS, if any.
void emit_event(const std::string& json_object);
// Writes `text` to stderr with one write per chunk, no stdio buffering.
void write_stderr(std::string_view text);
// Flushes stdio, writes `text` to stderr and `event` to the events file,
// then ends the process with status 2, as Go's runtime does.
[[noreturn]] void die(const std::string& text, const std::string& event);

}  // namespace racecourse::detail

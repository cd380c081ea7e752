// Reads the runtime's Go-style goroutine dumps back into records, and
// checks them, with the matching JSON event, against a fixture's markers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fixture_run.hpp"
#include <nlohmann/json.hpp>

namespace detector_test {

struct Location {
  std::string function;
  std::string file;
  int line = 0;
};

// One "goroutine N [state]:" entry.
struct DumpEntry {
  std::int64_t id = 0;
  std::string name;
  std::string state;
  // The frame where it waits; empty for "(position unknown ...)".
  std::optional<Location> frame;
  // The go() call that started it; empty for main and foreign threads.
  std::optional<Location> created_by;
  std::int64_t creator = 0;
  // Any other line of the entry, such as a lock cycle's "waits for mutex".
  std::vector<std::string> notes;
};

// Parses every goroutine entry in `text`; other lines are skipped.
std::vector<DumpEntry> parse_dump(std::string_view text);

// The part of `text` from the line containing `header` to the next line
// starting with "racecourse: " (or the end); empty when `header` is absent.
std::string section(const std::string& text, std::string_view header);

// What a test expects of one goroutine. Markers name lines of the fixture
// source; an empty `blocks_at` means no frame ("position unknown"), an
// empty `created_at` means no "created by" (main).
struct ExpectedGoroutine {
  std::int64_t id = 0;
  std::string state;
  std::string function;
  std::string blocks_at;
  std::string created_in;
  std::string created_at;
  std::string name;
  std::int64_t creator = 1;
};

// Checks that `dump` and `json_goroutines` (an event's array) list exactly
// the expected goroutines, each with its state, frame and creator.
void expect_goroutines(const std::vector<DumpEntry>& dump,
                       const nlohmann::json& json_goroutines,
                       const std::vector<ExpectedGoroutine>& expected,
                       const FixtureSource& source);

}  // namespace detector_test

// Runs a detector fixture program and collects everything it leaves: its
// output, its exit, the runtime's JSON events and ThreadSanitizer's logs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "child_process.hpp"
#include <nlohmann/json.hpp>

namespace detector_test {

struct FixtureRun {
  ChildResult child;
  // Every line of the RACECOURSE_EVENTS file, parsed.
  std::vector<nlohmann::json> events;
  // The text of each file TSan wrote through log_path; empty without TSan
  // or when TSan found nothing.
  std::vector<std::string> tsan_logs;

  // The first event whose "event" field is `name` and, if `kind` is given,
  // whose "kind" field is `kind`; nullptr when there is none.
  const nlohmann::json* find_event(std::string_view name,
                                   std::string_view kind = "") const;
  // Every TSan headline ("WARNING: ThreadSanitizer: ...") in the logs.
  std::vector<std::string> tsan_warnings() const;
};

// Runs `program scenario` with RACECOURSE_EVENTS and TSAN_OPTIONS log_path
// pointing into a fresh temporary folder, and RACECOURSE_LEAKS unset
// unless `options` sets it.
FixtureRun run_fixture(const std::string& program,
                       const std::string& scenario,
                       ChildOptions options = {});

// Fails on any TSan report in `run`'s logs whose headline does not contain
// `allowed` (with `allowed` empty, on every report).
void expect_tsan_clean(const FixtureRun& run, std::string_view allowed = "");

// A fixture's source file and its marker comments.
class FixtureSource {
 public:
  explicit FixtureSource(std::string path);

  const std::string& path() const { return path_; }
  // The 1-based line that ends with "// <marker>", for example
  // "BLOCKS-HERE wait-group". Records a test failure and returns 0 when
  // no line or more than one line carries it.
  int line_of(std::string_view marker) const;

 private:
  std::string path_;
  std::vector<std::string> lines_;
};

// Whether `file` (as printed in a dump) names the same file as `path`.
bool same_file(const std::string& file, const std::string& path);

}  // namespace detector_test

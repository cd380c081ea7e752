// What `run` and `check` share: option checks, running the variants,
// printing a line per variant and writing the reports.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "racecourse/runner/executor.hpp"

namespace racecourse::runner {

struct SessionOptions {
  std::string command;  // "run" or "check"
  int repeat = 1;
  std::optional<int> jobs;
  std::filesystem::path report_dir;
  std::string source_dir;
  bool verbose = false;
};

// Limits on the run options. Every run's result stays in memory until the
// reports are written, so --repeat is capped; --jobs is capped because
// each job is a thread and a child process.
inline constexpr int kMaxRepeat = 100'000;
inline constexpr int kMaxJobs = 1024;
inline constexpr double kMinTimeoutSeconds = 0.1;
inline constexpr double kMaxTimeoutSeconds = 86'400;

// Throws UsageError unless 1 <= `repeat` <= kMaxRepeat.
void check_repeat(int repeat);
// Returns `jobs` or the number of cores; throws UsageError unless
// 1 <= jobs <= kMaxJobs.
int resolve_jobs(const std::optional<int>& jobs);
// Converts --timeout seconds; throws UsageError outside
// [kMinTimeoutSeconds, kMaxTimeoutSeconds].
std::chrono::milliseconds timeout_from_seconds(double seconds);

// Creates `dir` if needed and checks that files can be written there;
// throws UsageError naming the folder otherwise.
void prepare_report_dir(const std::filesystem::path& dir);

// Column widths of the result table.
struct TableWidths {
  std::size_t case_name = 0;
  std::size_t variant = 0;
  std::size_t expected = 0;
};

// Widths that fit the case names, variants and expectations of `results`.
TableWidths table_widths(const std::vector<report::VariantResult>& results);

// One line for a finished variant: case, variant, expected, got, met k/n.
std::string format_variant_line(const report::VariantResult& result,
                                const TableWidths& widths = {});

// One "race: A vs B" line per distinct data race in `result`, naming the
// first user-code frame of each access, such as
// "race: cases/x/racy.cpp:48 vs cases/x/racy.cpp:45".
std::vector<std::string> race_lines(const report::VariantResult& result,
                                    const std::string& source_dir);

// Runs the variants, prints a line for each in the given order as soon as
// it and those before it have finished, then one line per data race, and
// writes the reports. Returns 0 when every run met its expectation, else 1.
// When the runner is interrupted (see interrupt.hpp) it writes no reports
// and returns 128 + the signal number.
int run_session(std::vector<VariantJob> variants,
                const SessionOptions& options,
                std::ostream& out);

}  // namespace racecourse::runner

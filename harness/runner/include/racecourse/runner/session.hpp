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

// Throws UsageError unless `repeat` is at least 1.
void check_repeat(int repeat);
// Returns `jobs` or the number of cores; throws UsageError for jobs < 1.
int resolve_jobs(const std::optional<int>& jobs);
// Converts --timeout seconds; throws UsageError unless positive.
std::chrono::milliseconds timeout_from_seconds(double seconds);

// Creates `dir` if needed and checks that files can be written there;
// throws UsageError naming the folder otherwise.
void prepare_report_dir(const std::filesystem::path& dir);

// One line for a finished variant: case, variant, expected, got, met k/n.
std::string format_variant_line(const report::VariantResult& result);

// Runs the variants, prints a line for each as it finishes and the report
// folder at the end, and writes the reports. Returns 0 when every run met
// its expectation, else 1.
int run_session(std::vector<VariantJob> variants,
                const SessionOptions& options,
                std::ostream& out);

}  // namespace racecourse::runner

// Runs programs the runner's way (TSan options, event file, timeout, hang
// analysis) and turns each execution into a report::Run, in parallel.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "racecourse/report/model.hpp"

namespace racecourse::runner {

struct RunRequest {
  std::vector<std::string> command;  // program and arguments
  std::chrono::milliseconds timeout{30'000};
  report::OutcomeSpec outcome;
  std::vector<report::Verdict> expected;
  int index = 0;
  // A fresh folder for TSan's logs and the runtime's event file; created
  // here when missing.
  std::filesystem::path run_dir;
  // Findings known before the run, added to its own (such as a program
  // built without ThreadSanitizer).
  std::vector<report::Finding> notes;
};

// Runs one program to its end and decides its verdict. Never throws for
// anything the program does: a program that cannot start is an error
// verdict with `Run::error` saying why.
report::Run execute_run(const RunRequest& request);

// A private temporary folder for run folders, removed with its contents on
// destruction unless `keep()` was called.
class WorkDir {
 public:
  WorkDir();  // throws UsageError when no folder can be made
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  ~WorkDir();

  const std::filesystem::path& path() const { return path_; }
  void keep() { keep_ = true; }
  void discard() { keep_ = false; }

 private:
  std::filesystem::path path_;
  bool keep_ = false;
};

// One variant to run, with its result to fill in.
struct VariantJob {
  report::VariantResult result;  // runs are appended by execute_all
  std::vector<std::string> command;
  std::chrono::milliseconds timeout{30'000};
  std::vector<report::Finding> notes;  // added to every run's findings
};

struct ExecuteOptions {
  int repeat = 1;  // runs per variant
  int jobs = 1;    // runs at the same time
  std::filesystem::path work_dir;
  bool verbose = false;  // log each run's start and end to stderr
};

// Runs every variant `options.repeat` times, up to `options.jobs` runs at
// once across all (variant, repetition) pairs. Calls `on_variant_done`
// once per variant, as soon as its last run ends, on one thread at a time.
void execute_all(
    std::vector<VariantJob>& variants,
    const ExecuteOptions& options,
    const std::function<void(const report::VariantResult&)>& on_variant_done);

}  // namespace racecourse::runner

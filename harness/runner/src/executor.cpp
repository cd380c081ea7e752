#include "racecourse/runner/executor.hpp"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "racecourse/parser/tsan_parser.hpp"
#include "racecourse/runner/errors.hpp"
#include "racecourse/runner/events.hpp"
#include "racecourse/runner/hang_analysis.hpp"
#include "racecourse/runner/process.hpp"
#include "racecourse/runner/tsan_options.hpp"
#include "racecourse/runner/verdict.hpp"

namespace racecourse::runner {
namespace {

namespace fs = std::filesystem;
using report::Finding;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The text of every TSan log in `run_dir` ("tsan.<pid>", one per process).
std::vector<std::string> tsan_logs(const fs::path& run_dir) {
  std::vector<std::string> logs;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(run_dir, error)) {
    if (entry.path().filename().string().rfind("tsan.", 0) == 0) {
      logs.push_back(read_file(entry.path()));
    }
  }
  return logs;
}

// Findings from TSan's logs, and from TSan text on stderr (where TSan
// writes when it cannot open its log file).
std::vector<Finding> sanitizer_findings(const fs::path& run_dir,
                                        const std::string& stderr_text) {
  std::vector<std::string> texts = tsan_logs(run_dir);
  texts.push_back(stderr_text);
  std::vector<Finding> findings;
  for (const std::string& text : texts) {
    auto parsed = parser::parse_tsan_log(text);
    findings.insert(findings.end(), parsed.begin(), parsed.end());
  }
  bool has_crash = std::any_of(findings.begin(), findings.end(), [](auto& f) {
    return f.verdict == report::Verdict::crash;
  });
  for (const std::string& text : texts) {
    for (Finding& crash : sanitizer_crash_findings(text)) {
      if (!has_crash) {
        findings.push_back(std::move(crash));
      }
    }
  }
  return findings;
}

ProcessSpec process_spec(const RunRequest& request) {
  const char* user = std::getenv("TSAN_OPTIONS");
  ProcessSpec spec;
  spec.argv = request.command;
  spec.timeout = request.timeout;
  spec.env = {
      {"TSAN_OPTIONS", merge_tsan_options(user != nullptr ? user : "",
                                          request.run_dir / "tsan")},
      {kEventsVariable, (request.run_dir / "events.jsonl").string()},
  };
  return spec;
}

report::Run start_failure(report::Run run, const std::string& why) {
  run.error = why;
  Finding finding;
  finding.verdict = report::Verdict::error;
  finding.source = "runner";
  finding.kind = "cannot start";
  finding.message = why;
  finding.summary = why;
  run.findings.push_back(finding);
  return run;
}

void copy_process(const ProcessResult& process, report::Run& run) {
  run.exit_code = process.exit_code;
  run.signal = process.signal;
  run.duration_seconds = process.duration_seconds;
  run.timed_out = process.timed_out;
  run.stdout_text = process.stdout_text;
  run.stderr_text = process.stderr_text;
}

// Collects every finding of a finished process, in the order a reader
// wants them: sanitizer reports, runtime events, then the runner's own.
void collect_findings(const RunRequest& request,
                      const ProcessResult& process,
                      const StackDump& stacks,
                      report::Run& run) {
  run.findings = sanitizer_findings(request.run_dir, process.stderr_text);
  EventLog events = read_events(request.run_dir / "events.jsonl");
  attach_goroutines(run.findings, events.goroutine_by_tid);
  run.findings.insert(run.findings.end(), events.findings.begin(),
                      events.findings.end());
  if (process.timed_out) {
    run.hang_analysis = stacks.text;
    run.findings.push_back(
        hang_finding(process, stacks, events.goroutine_by_tid));
  }
  if (auto crash =
          signal_finding(process.signal, process.timed_out, run.findings)) {
    run.findings.push_back(*crash);
  }
}

}  // namespace

report::Run execute_run(const RunRequest& request) {
  report::Run run;
  run.index = request.index;
  run.command = request.command;
  std::error_code error;
  fs::create_directories(request.run_dir, error);
  if (error) {
    run = start_failure(run, "cannot create run folder " +
                                 request.run_dir.string() + ": " +
                                 error.message());
  } else {
    StackDump stacks;
    ProcessResult process = run_process(
        process_spec(request), [&](int pid) { stacks = collect_stacks(pid); });
    if (!process.started) {
      run = start_failure(run, process.start_error);
    } else {
      copy_process(process, run);
      collect_findings(request, process, stacks, run);
      check_outcome(run, request.outcome);
    }
  }
  settle_run(run, request.expected);
  return run;
}

WorkDir::WorkDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != 0 ? tmp : "/tmp") +
      "/racecourse-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw UsageError("cannot create a temporary folder from " + pattern +
                     "; set TMPDIR to a writable folder");
  }
  path_ = pattern;
}

WorkDir::~WorkDir() {
  if (!keep_) {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
}

namespace {

// The shared state of one execute_all call.
class Scheduler {
 public:
  Scheduler(std::vector<VariantJob>& variants,
            const ExecuteOptions& options,
            const std::function<void(const report::VariantResult&)>& on_done)
      : variants_(variants), options_(options), on_done_(on_done) {
    for (VariantJob& variant : variants_) {
      variant.result.runs.assign(options_.repeat, report::Run{});
      remaining_.push_back(options_.repeat);
    }
  }

  // Runs tasks until none are left; called from every worker thread.
  void work() {
    std::size_t total = variants_.size() * options_.repeat;
    for (std::size_t task = next_++; task < total; task = next_++) {
      run_task(task / options_.repeat,
               static_cast<int>(task % options_.repeat));
    }
  }

 private:
  void run_task(std::size_t variant_index, int repetition) {
    VariantJob& variant = variants_[variant_index];
    RunRequest request;
    request.command = variant.command;
    request.timeout = variant.timeout;
    request.outcome = variant.result.outcome_spec;
    request.expected = variant.result.expected;
    request.index = repetition;
    request.run_dir =
        options_.work_dir /
        (std::to_string(variant_index) + "-" + variant.result.case_name + "-" +
         variant.result.variant + "-" + std::to_string(repetition));
    log("start", request.run_dir.string());
    report::Run run = execute_run(request);
    log("end", request.run_dir.string() + ": " +
                   std::string(report::to_string(run.verdict)));

    std::lock_guard<std::mutex> lock(mutex_);
    variant.result.runs[repetition] = std::move(run);
    if (--remaining_[variant_index] == 0 && on_done_) {
      on_done_(variant.result);
    }
  }

  void log(const char* what, const std::string& detail) {
    if (options_.verbose) {
      std::lock_guard<std::mutex> lock(mutex_);
      std::cerr << "racecourse: " << what << " " << detail << "\n";
    }
  }

  std::vector<VariantJob>& variants_;
  const ExecuteOptions& options_;
  const std::function<void(const report::VariantResult&)>& on_done_;
  std::atomic<std::size_t> next_{0};
  std::mutex mutex_;
  std::vector<int> remaining_;  // guarded by mutex_
};

}  // namespace

void execute_all(
    std::vector<VariantJob>& variants,
    const ExecuteOptions& options,
    const std::function<void(const report::VariantResult&)>& on_variant_done) {
  Scheduler scheduler(variants, options, on_variant_done);
  std::size_t tasks = variants.size() * options.repeat;
  std::size_t workers = std::min<std::size_t>(std::max(options.jobs, 1), tasks);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < workers; ++i) {
    threads.emplace_back([&] { scheduler.work(); });
  }
  scheduler.work();
  for (std::thread& thread : threads) {
    thread.join();
  }
}

}  // namespace racecourse::runner

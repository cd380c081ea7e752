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
#include "racecourse/runner/file_read.hpp"
#include "racecourse/runner/hang_analysis.hpp"
#include "racecourse/runner/interrupt.hpp"
#include "racecourse/runner/process.hpp"
#include "racecourse/runner/tsan_options.hpp"
#include "racecourse/runner/verdict.hpp"

namespace racecourse::runner {
namespace {

namespace fs = std::filesystem;
using report::Finding;

Finding runner_note(report::Verdict verdict,
                    std::string kind,
                    const std::string& message) {
  Finding finding;
  finding.verdict = verdict;
  finding.source = "runner";
  finding.kind = std::move(kind);
  finding.message = message;
  finding.summary = message;
  return finding;
}

// The text of every TSan log in `run_dir` ("tsan.<pid>", one per process).
// A log that is no regular file or cannot be read becomes an error
// finding; a log over the size limit is read in part, with a note.
std::vector<std::string> tsan_logs(const fs::path& run_dir,
                                   std::vector<Finding>& notes) {
  std::vector<std::string> logs;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(run_dir, error)) {
    if (entry.path().filename().string().rfind("tsan.", 0) != 0) {
      continue;
    }
    FileText log = read_regular_file(entry.path());
    if (!log.error.empty()) {
      notes.push_back(runner_note(report::Verdict::error, "unreadable log",
                                  "cannot read TSan log " +
                                      entry.path().filename().string() + ": " +
                                      log.error));
      continue;
    }
    if (log.truncated) {
      notes.push_back(
          runner_note(report::Verdict::clean, "truncated log",
                      "TSan log " + entry.path().filename().string() + " has " +
                          std::to_string(log.size) + " bytes; read the first " +
                          std::to_string(log.text.size())));
    }
    logs.push_back(std::move(log.text));
  }
  return logs;
}

// Findings from TSan's logs, and from TSan text on stderr (where TSan
// writes when it cannot open its log file).
std::vector<Finding> sanitizer_findings(const fs::path& run_dir,
                                        const std::string& stderr_text) {
  std::vector<Finding> notes;
  std::vector<std::string> texts = tsan_logs(run_dir, notes);
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
  if (auto rejected = rejected_options_finding(stderr_text)) {
    findings.push_back(*rejected);
  }
  findings.insert(findings.end(), notes.begin(), notes.end());
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
  run.findings.push_back(
      runner_note(report::Verdict::error, "cannot start", why));
  return run;
}

// `text` without control bytes other than newline and tab, which would
// garble a terminal and are invalid in the XML report.
std::string without_control_bytes(const std::string& text) {
  std::string kept;
  kept.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 || c == '\n' || c == '\t') {
      kept += byte == 0x7f ? '?' : c;
    }
  }
  return kept;
}

void copy_process(const ProcessResult& process, report::Run& run) {
  run.exit_code = process.exit_code;
  run.signal = process.signal;
  run.duration_seconds = process.duration_seconds;
  run.timed_out = process.timed_out;
  run.stdout_text = without_control_bytes(process.stdout_text);
  run.stderr_text = without_control_bytes(process.stderr_text);
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

// Adds what only the whole set of findings can tell: an exit status that
// nothing explains, the request's notes, and the cap on their number.
void finish_findings(const RunRequest& request,
                     const ProcessResult& process,
                     report::Run& run) {
  if (auto status = exit_status_finding(process.exit_code, run.findings,
                                        request.outcome)) {
    run.findings.push_back(*status);
  }
  run.findings.insert(run.findings.end(), request.notes.begin(),
                      request.notes.end());
  cap_findings(run.findings);
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
      finish_findings(request, process, run);
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
  if (!can_quote_option_value(pattern)) {
    throw UsageError("TMPDIR " + std::string(tmp) +
                     " contains both ' and \", which cannot be passed to "
                     "ThreadSanitizer as log_path; set TMPDIR to a folder "
                     "without them");
  }
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
    for (std::size_t task = next_++; task < total && interrupt_signal() == 0;
         task = next_++) {
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
    request.notes = variant.notes;
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

#include "racecourse/runner/session.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "racecourse/report/report_error.hpp"
#include "racecourse/report/report_writer.hpp"
#include "racecourse/runner/errors.hpp"
#include "racecourse/runner/interrupt.hpp"
#include "racecourse/runner/tsan_options.hpp"
#include "racecourse/runner/version.hpp"

namespace racecourse::runner {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string utc_now_iso8601() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  std::ostringstream text;
  text << std::put_time(&utc, "%Y-%m-%dT%H:%M:%SZ");
  return text.str();
}

std::string join_verdicts(const std::vector<report::Verdict>& verdicts) {
  std::string text;
  for (report::Verdict verdict : verdicts) {
    text += (text.empty() ? "" : "|") + std::string(report::to_string(verdict));
  }
  return text;
}

// "data-race" when every run agrees, else "data-race 2, clean 1".
std::string observed_verdicts(const report::VariantResult& result) {
  std::map<report::Verdict, int> counts;
  for (const report::Run& run : result.runs) {
    ++counts[run.verdict];
  }
  if (counts.size() == 1) {
    return std::string(report::to_string(counts.begin()->first));
  }
  std::string text;
  for (auto it = counts.rbegin(); it != counts.rend(); ++it) {
    text += (text.empty() ? "" : ", ") +
            std::string(report::to_string(it->first)) + " " +
            std::to_string(it->second);
  }
  return text;
}

// The first finding message of the first unmet run, to say why.
std::string first_unmet_reason(const report::VariantResult& result) {
  for (const report::Run& run : result.runs) {
    if (run.met) {
      continue;
    }
    if (!run.error.empty()) {
      return run.error;
    }
    for (const report::Finding& finding : run.findings) {
      if (finding.verdict == run.verdict && !finding.message.empty()) {
        return finding.message;
      }
    }
  }
  return "";
}

// Holds an exclusive flock on `dir`/.racecourse.lock, so two runners that
// share a report folder never interleave their sets of files.
class ReportFolderLock {
 public:
  explicit ReportFolderLock(const fs::path& dir)
      : fd_(::open((dir / ".racecourse.lock").c_str(),
                   O_RDWR | O_CREAT | O_CLOEXEC,
                   0644)) {
    if (fd_ >= 0) {
      ::flock(fd_, LOCK_EX);
    }
  }
  ReportFolderLock(const ReportFolderLock&) = delete;
  ReportFolderLock& operator=(const ReportFolderLock&) = delete;
  ~ReportFolderLock() {
    if (fd_ >= 0) {
      ::close(fd_);  // releases the lock
    }
  }

 private:
  int fd_;
};

// A fresh folder inside `dir` for the new set of reports, removed with
// what is left in it on destruction.
class StagingFolder {
 public:
  explicit StagingFolder(const fs::path& dir) {
    std::string pattern = (dir / ".racecourse-staging-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw UsageError("cannot write the reports: cannot create a folder in " +
                       dir.string() + ": " + std::strerror(errno) +
                       "; pass --report-dir with a writable folder");
    }
    path_ = pattern;
  }
  StagingFolder(const StagingFolder&) = delete;
  StagingFolder& operator=(const StagingFolder&) = delete;
  ~StagingFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Writes the whole set into a staging folder first and then renames each
// file into `dir` under the folder lock. A failure while writing leaves
// the previous set untouched. Each rename is atomic, but the set as a
// whole is not: a crash between two renames can mix two sets.
void write_all_reports(const report::RunSet& set, const fs::path& dir) {
  StagingFolder staging(dir);
  try {
    report::write_reports(set, staging.path());
  } catch (const report::ReportError& error) {
    throw UsageError(std::string("cannot write the reports: ") + error.what());
  }
  ReportFolderLock lock(dir);
  for (const auto& entry : fs::directory_iterator(staging.path())) {
    std::error_code error;
    fs::rename(entry.path(), dir / entry.path().filename(), error);
    if (error) {
      throw UsageError("cannot move report " + entry.path().string() +
                       " into " + dir.string() + ": " + error.message());
    }
  }
}

}  // namespace

void check_repeat(int repeat) {
  if (repeat < 1 || repeat > kMaxRepeat) {
    throw UsageError("--repeat " + std::to_string(repeat) +
                     " is invalid: give the number of runs per variant, "
                     "from 1 to " +
                     std::to_string(kMaxRepeat));
  }
}

int resolve_jobs(const std::optional<int>& jobs) {
  if (!jobs) {
    return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  }
  if (*jobs < 1 || *jobs > kMaxJobs) {
    throw UsageError("--jobs " + std::to_string(*jobs) +
                     " is invalid: give the number of runs at a time, from "
                     "1 to " +
                     std::to_string(kMaxJobs) +
                     " (default: the number of cores)");
  }
  return *jobs;
}

std::chrono::milliseconds timeout_from_seconds(double seconds) {
  if (!(seconds >= kMinTimeoutSeconds) || seconds > kMaxTimeoutSeconds) {
    std::ostringstream value;
    value << seconds;
    throw UsageError("--timeout " + value.str() +
                     " is invalid: give seconds from 0.1 to 86400");
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

void prepare_report_dir(const fs::path& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) {
    throw UsageError("cannot create report folder " + dir.string() + ": " +
                     error.message() +
                     "; pass --report-dir with a writable "
                     "folder");
  }
  std::string probe = (dir / ".racecourse-write-test-XXXXXX").string();
  int fd = ::mkstemp(probe.data());
  if (fd >= 0) {
    ::close(fd);
    ::unlink(probe.c_str());
  }
  if (fd < 0) {
    throw UsageError("report folder " + dir.string() +
                     " is not writable; pass --report-dir with a writable "
                     "folder");
  }
}

TableWidths table_widths(const std::vector<report::VariantResult>& results) {
  TableWidths widths;
  for (const report::VariantResult& result : results) {
    widths.case_name = std::max(widths.case_name, result.case_name.size());
    widths.variant = std::max(widths.variant, result.variant.size());
    widths.expected =
        std::max(widths.expected, join_verdicts(result.expected).size());
  }
  return widths;
}

std::string format_variant_line(const report::VariantResult& result,
                                const TableWidths& widths) {
  // "lock-order-inversion", the longest verdict name.
  constexpr int kVerdictWidth = 20;
  std::ostringstream line;
  line << std::left << std::setw(static_cast<int>(widths.case_name))
       << result.case_name << " " << std::setw(static_cast<int>(widths.variant))
       << result.variant << " expected "
       << std::setw(static_cast<int>(widths.expected))
       << join_verdicts(result.expected) << " got " << std::setw(kVerdictWidth)
       << observed_verdicts(result) << " met " << result.runs_met() << "/"
       << result.runs.size();
  std::string reason = result.all_met() ? "" : first_unmet_reason(result);
  if (!reason.empty()) {
    line << "\n    " << reason;
  }
  return line.str();
}

namespace {

// "file:line" of the first user-code frame of `stack` (the top frame when
// none is marked as user code), relative to `source_dir` when inside it.
std::string access_site(const std::vector<report::Frame>& stack,
                        const std::string& source_dir) {
  const report::Frame* site = nullptr;
  for (const report::Frame& frame : stack) {
    if (frame.user_code && !frame.file.empty()) {
      site = &frame;
      break;
    }
  }
  if (site == nullptr && !stack.empty()) {
    site = &stack.front();
  }
  if (site == nullptr || site->file.empty()) {
    return "?";
  }
  std::string file = site->file;
  std::string prefix = source_dir.empty() ? "" : source_dir + "/";
  if (!prefix.empty() && file.rfind(prefix, 0) == 0) {
    file = file.substr(prefix.size());
  }
  return file + ":" + std::to_string(site->line);
}

}  // namespace

std::vector<std::string> race_lines(const report::VariantResult& result,
                                    const std::string& source_dir) {
  std::vector<std::string> lines;
  for (const report::Run& run : result.runs) {
    for (const report::Finding& finding : run.findings) {
      if (finding.verdict != report::Verdict::data_race ||
          finding.accesses.size() < 2) {
        continue;
      }
      // The same pair may come in either order; list it once, lower first.
      std::string first = access_site(finding.accesses[0].stack, source_dir);
      std::string second = access_site(finding.accesses[1].stack, source_dir);
      if (second < first) {
        std::swap(first, second);
      }
      const std::string line = "race: " + first + " vs " + second;
      if (std::find(lines.begin(), lines.end(), line) == lines.end()) {
        lines.push_back(line);
      }
    }
  }
  return lines;
}

namespace {

// Prints finished variants in their given order: a line is printed once
// its variant and every one before it have finished.
class OrderedPrinter {
 public:
  OrderedPrinter(const std::vector<VariantJob>& variants, std::ostream& out)
      : out_(out), done_(variants.size(), nullptr) {
    std::vector<report::VariantResult> results;
    for (const VariantJob& variant : variants) {
      index_of_[&variant.result] = results.size();
      results.push_back(variant.result);
    }
    widths_ = table_widths(results);
  }

  // Called by execute_all, one call at a time.
  void finished(const report::VariantResult& result) {
    done_[index_of_.at(&result)] = &result;
    while (next_ < done_.size() && done_[next_] != nullptr) {
      if (interrupt_signal() == 0) {
        out_ << format_variant_line(*done_[next_], widths_) << std::endl;
      }
      ++next_;
    }
  }

 private:
  std::ostream& out_;
  TableWidths widths_;
  std::map<const report::VariantResult*, std::size_t> index_of_;
  std::vector<const report::VariantResult*> done_;
  std::size_t next_ = 0;
};

report::RunSet new_run_set(const SessionOptions& options) {
  report::RunSet set;
  set.tool_version = kVersion;
  set.command = options.command;
  set.started_at = utc_now_iso8601();
  set.source_dir = options.source_dir;
  return set;
}

int report_interrupt(WorkDir& work) {
  int signal = interrupt_signal();
  work.discard();
  const char* name = ::sigabbrev_np(signal);
  std::cerr << "racecourse: interrupted by SIG" << (name ? name : "?")
            << "; killed the running programs and wrote no reports\n";
  return 128 + signal;
}

}  // namespace

int run_session(std::vector<VariantJob> variants,
                const SessionOptions& options,
                std::ostream& out) {
  check_repeat(options.repeat);
  ExecuteOptions execute;
  execute.repeat = options.repeat;
  execute.jobs = resolve_jobs(options.jobs);
  execute.verbose = options.verbose;
  prepare_report_dir(options.report_dir);
  const char* user_options = std::getenv("TSAN_OPTIONS");
  std::string problem =
      tsan_options_problem(user_options != nullptr ? user_options : "");
  if (!problem.empty()) {
    throw UsageError("TSAN_OPTIONS is invalid: " + problem +
                     "; fix or unset TSAN_OPTIONS");
  }

  WorkDir work;
  if (options.verbose) {
    work.keep();
    std::cerr << "racecourse: run folders are kept in " << work.path().string()
              << "\n";
  }
  execute.work_dir = work.path();

  report::RunSet set = new_run_set(options);
  auto start = Clock::now();
  {
    InterruptWatch watch;  // before execute_all starts its threads
    OrderedPrinter printer(variants, out);
    execute_all(variants, execute,
                [&printer](const auto& result) { printer.finished(result); });
  }
  if (interrupt_signal() != 0) {
    return report_interrupt(work);
  }
  set.duration_seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  for (VariantJob& variant : variants) {
    for (const std::string& line :
         race_lines(variant.result, options.source_dir)) {
      out << line << "\n";
    }
    set.results.push_back(std::move(variant.result));
  }

  write_all_reports(set, options.report_dir);
  out << (set.all_met() ? "all expectations met" : "some expectations unmet")
      << "; reports in " << options.report_dir.string() << "\n";
  out.flush();
  if (!out) {
    throw UsageError(
        "cannot write the results to standard output; check where it is "
        "redirected (the reports were written)");
  }
  return set.all_met() ? 0 : 1;
}

}  // namespace racecourse::runner

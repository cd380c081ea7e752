#include "racecourse/runner/session.hpp"

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

void write_all_reports(const report::RunSet& set, const fs::path& dir) {
  try {
    report::write_reports(set, dir);
  } catch (const report::ReportError& error) {
    throw UsageError(std::string("cannot write the reports: ") + error.what());
  }
}

}  // namespace

void check_repeat(int repeat) {
  if (repeat < 1) {
    throw UsageError("--repeat " + std::to_string(repeat) +
                     " is invalid: give the number of runs per variant, 1 "
                     "or more");
  }
}

int resolve_jobs(const std::optional<int>& jobs) {
  if (!jobs) {
    return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  }
  if (*jobs < 1) {
    throw UsageError("--jobs " + std::to_string(*jobs) +
                     " is invalid: give the number of runs at a time, 1 or "
                     "more (default: the number of cores)");
  }
  return *jobs;
}

std::chrono::milliseconds timeout_from_seconds(double seconds) {
  if (!(seconds > 0) || seconds > 86400) {
    std::ostringstream value;
    value << seconds;
    throw UsageError("--timeout " + value.str() +
                     " is invalid: give seconds greater than 0 and at most "
                     "86400");
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
  fs::path probe = dir / ".racecourse-write-test";
  bool writable = static_cast<bool>(std::ofstream(probe));
  fs::remove(probe, error);
  if (!writable) {
    throw UsageError("report folder " + dir.string() +
                     " is not writable; pass --report-dir with a writable "
                     "folder");
  }
}

std::string format_variant_line(const report::VariantResult& result) {
  std::ostringstream line;
  line << std::left << std::setw(22) << result.case_name << " " << std::setw(7)
       << result.variant << " expected " << std::setw(20)
       << join_verdicts(result.expected) << " got " << std::setw(20)
       << observed_verdicts(result) << " met " << result.runs_met() << "/"
       << result.runs.size();
  std::string reason = result.all_met() ? "" : first_unmet_reason(result);
  if (!reason.empty()) {
    line << "\n    " << reason;
  }
  return line.str();
}

int run_session(std::vector<VariantJob> variants,
                const SessionOptions& options,
                std::ostream& out) {
  check_repeat(options.repeat);
  ExecuteOptions execute;
  execute.repeat = options.repeat;
  execute.jobs = resolve_jobs(options.jobs);
  execute.verbose = options.verbose;
  prepare_report_dir(options.report_dir);

  WorkDir work;
  if (options.verbose) {
    work.keep();
    std::cerr << "racecourse: run folders are kept in " << work.path().string()
              << "\n";
  }
  execute.work_dir = work.path();

  report::RunSet set;
  set.tool_version = kVersion;
  set.command = options.command;
  set.started_at = utc_now_iso8601();
  set.source_dir = options.source_dir;
  auto start = Clock::now();
  execute_all(variants, execute, [&out](const report::VariantResult& result) {
    out << format_variant_line(result) << std::endl;
  });
  set.duration_seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  for (VariantJob& variant : variants) {
    set.results.push_back(std::move(variant.result));
  }

  write_all_reports(set, options.report_dir);
  out << (set.all_met() ? "all expectations met" : "some expectations unmet")
      << "; reports in " << options.report_dir.string() << "\n";
  return set.all_met() ? 0 : 1;
}

}  // namespace racecourse::runner

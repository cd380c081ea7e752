// `racecourse check -- PROGRAM [ARGS...]`: runs any program the way the
// runner runs cases.
#include <filesystem>

#include "racecourse/runner/commands.hpp"
#include "racecourse/runner/errors.hpp"
#include "racecourse/runner/session.hpp"

namespace racecourse::runner {
namespace {

std::string known_verdicts() {
  std::string names;
  for (report::Verdict verdict : report::all_verdicts()) {
    names +=
        (names.empty() ? "" : ", ") + std::string(report::to_string(verdict));
  }
  return names;
}

std::vector<report::Verdict> expected_verdicts(
    const std::vector<std::string>& names) {
  std::vector<report::Verdict> verdicts;
  for (const std::string& name : names) {
    auto verdict = report::parse_verdict(name);
    if (!verdict) {
      throw UsageError("--expect '" + name +
                       "' is not a verdict; use one of: " + known_verdicts());
    }
    verdicts.push_back(*verdict);
  }
  if (verdicts.empty()) {
    verdicts.push_back(report::Verdict::clean);
  }
  return verdicts;
}

}  // namespace

int check_command(const CheckOptions& options, std::ostream& out) {
  if (options.program.empty()) {
    throw UsageError(
        "no program given; use 'racecourse check -- PROGRAM "
        "[ARGS...]'");
  }
  VariantJob job;
  job.result.expected = expected_verdicts(options.expect);
  job.result.case_name =
      std::filesystem::path(options.program.front()).filename().string();
  job.result.variant = "program";
  job.result.title = options.program.front();
  job.result.binary = options.program.front();
  job.command = options.program;
  job.timeout = timeout_from_seconds(options.timeout_seconds.value_or(30));

  SessionOptions session;
  session.command = "check";
  session.repeat = options.repeat;
  session.jobs = options.jobs;
  session.report_dir = options.report_dir;
  session.verbose = options.verbose;
  resolve_jobs(session.jobs);
  std::vector<VariantJob> jobs;
  jobs.push_back(std::move(job));
  return run_session(std::move(jobs), session, out);
}

}  // namespace racecourse::runner

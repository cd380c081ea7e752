// `racecourse check -- PROGRAM [ARGS...]`: runs any program the way the
// runner runs cases.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "racecourse/runner/commands.hpp"
#include "racecourse/runner/errors.hpp"
#include "racecourse/runner/file_read.hpp"
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

// The path that running `program` starts: itself when it has a '/', else
// the first executable of that name on PATH; empty when there is none.
std::filesystem::path resolve_program(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    return program;
  }
  const char* path = std::getenv("PATH");
  std::istringstream folders(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string folder; std::getline(folders, folder, ':');) {
    std::filesystem::path candidate =
        std::filesystem::path(folder.empty() ? "." : folder) / program;
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return {};
}

// Bytes of a program searched for TSan's symbol. TSan-built programs of
// this project are a few MiB; NOTE: a larger one is not checked.
constexpr std::size_t kMaxProgramBytes = 256 * 1024 * 1024;

// False when `program` is a readable ELF file without "__tsan_init", a
// symbol both clang's static TSan runtime and g++'s import of libtsan
// carry. Scripts and unreadable files count as instrumented, since what
// they start cannot be checked here.
bool looks_instrumented(const std::string& program) {
  std::filesystem::path path = resolve_program(program);
  if (path.empty()) {
    return true;
  }
  FileText file = read_regular_file(path, kMaxProgramBytes);
  if (!file.error.empty() || file.truncated ||
      file.text.rfind("\x7f"
                      "ELF",
                      0) != 0) {
    return true;
  }
  return file.text.find("__tsan_init") != std::string::npos;
}

report::Finding uninstrumented_finding(const std::string& program) {
  report::Finding finding;
  finding.verdict = report::Verdict::error;
  finding.source = "runner";
  finding.kind = "not instrumented";
  finding.message = program +
                    " is not built with -fsanitize=thread, so its races "
                    "cannot be seen; rebuild it with -fsanitize=thread or "
                    "pass --allow-uninstrumented";
  finding.summary = finding.message;
  return finding;
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
  if (!options.allow_uninstrumented &&
      !looks_instrumented(options.program.front())) {
    job.notes.push_back(uninstrumented_finding(options.program.front()));
  }

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

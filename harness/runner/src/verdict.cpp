#include "racecourse/runner/verdict.hpp"

#include <algorithm>
#include <cstring>
#include <regex>
#include <sstream>
#include <string>

namespace racecourse::runner {
namespace {

using report::Finding;
using report::Verdict;

Finding runner_finding(Verdict verdict, std::string kind, std::string message) {
  Finding finding;
  finding.verdict = verdict;
  finding.source = "runner";
  finding.kind = std::move(kind);
  finding.summary = message;
  finding.message = std::move(message);
  return finding;
}

bool explains_end(const Finding& finding) {
  return finding.source == "runtime" && (finding.verdict == Verdict::panic ||
                                         finding.verdict == Verdict::deadlock);
}

// A bounded excerpt, so a huge stdout does not flood the report.
std::string excerpt(const std::string& text) {
  constexpr std::size_t kMaxExcerpt = 200;
  if (text.size() <= kMaxExcerpt) {
    return text;
  }
  return text.substr(0, kMaxExcerpt) + "...";
}

}  // namespace

Verdict decide_verdict(const std::vector<Finding>& findings) {
  Verdict verdict = Verdict::clean;
  for (const Finding& finding : findings) {
    verdict = std::max(verdict, finding.verdict);
  }
  return verdict;
}

bool is_met(Verdict verdict, const std::vector<Verdict>& expected) {
  return std::find(expected.begin(), expected.end(), verdict) != expected.end();
}

std::optional<Finding> signal_finding(int signal,
                                      bool killed_by_runner,
                                      const std::vector<Finding>& findings) {
  if (signal == 0 || killed_by_runner ||
      std::any_of(findings.begin(), findings.end(), explains_end)) {
    return std::nullopt;
  }
  const char* name = ::strsignal(signal);
  std::string message = "killed by signal " + std::to_string(signal) + " (" +
                        (name != nullptr ? name : "unknown") + ")";
  return runner_finding(Verdict::crash, "signal", message);
}

std::vector<Finding> sanitizer_crash_findings(std::string_view log) {
  static const std::regex kDeadly(
      R"(ERROR: (\w+Sanitizer): (SEGV|BUS|FPE|ILL|ABRT|[A-Z]+ on unknown address)[^\n]*)");
  std::vector<Finding> findings;
  std::string text(log);
  for (std::sregex_iterator it(text.begin(), text.end(), kDeadly), end;
       it != end; ++it) {
    Finding finding = runner_finding(Verdict::crash, "deadly signal",
                                     it->str(1) + ": " + it->str(0).substr(7));
    finding.source = "runner";
    finding.raw = it->str(0);
    findings.push_back(finding);
  }
  return findings;
}

void check_outcome(report::Run& run, const report::OutcomeSpec& spec) {
  if (!spec.pattern.empty()) {
    std::smatch match;
    if (std::regex_search(run.stdout_text, match, std::regex(spec.pattern))) {
      run.outcome = match.size() > 1 ? match.str(1) : match.str(0);
    }
  }
  if (spec.required.empty() ||
      std::regex_search(run.stdout_text, std::regex(spec.required))) {
    return;
  }
  Finding finding = runner_finding(
      Verdict::wrong_output, "wrong output",
      "stdout does not match the required pattern '" + spec.required + "'");
  finding.raw = excerpt(run.stdout_text);
  run.findings.push_back(finding);
}

void settle_run(report::Run& run, const std::vector<Verdict>& expected) {
  run.verdict = decide_verdict(run.findings);
  run.met = is_met(run.verdict, expected);
}

}  // namespace racecourse::runner

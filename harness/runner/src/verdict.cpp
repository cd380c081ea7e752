#include "racecourse/runner/verdict.hpp"

#include <algorithm>
#include <cstring>
#include <regex>
#include <sstream>
#include <string>

#include "racecourse/runner/tsan_options.hpp"

namespace racecourse::runner {

std::string shown_pattern(std::string_view pattern) {
  const std::size_t end = pattern.find_last_not_of(" \t\r\n");
  pattern = end == std::string_view::npos ? std::string_view{}
                                          : pattern.substr(0, end + 1);
  std::string shown;
  for (const char c : pattern) {
    if (c == '\n') {
      shown += "\\n";
    } else if (c == '\t') {
      shown += "\\t";
    } else {
      shown += c;
    }
  }
  return shown;
}
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

std::regex compile_output_pattern(const std::string& pattern) {
  // __polynomial (a libstdc++ extension) selects the breadth-first
  // matcher, whose recursion is bounded by the pattern's size. The default
  // depth-first matcher recurses once per character for patterns such as
  // [\s\S]*, which overflows the stack on tens of KiB of output.
  return std::regex(
      pattern, std::regex::ECMAScript | std::regex_constants::__polynomial);
}

namespace {

constexpr std::string_view kAnyText = "[\\s\\S]*";

// Returns the length of the group that opens at `text[open]` (a '('),
// through its closing ')', or npos when it does not close.
std::size_t group_length(std::string_view text, std::size_t open) {
  int depth = 0;
  bool in_class = false;
  for (std::size_t i = open; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return i - open + 1;
    }
  }
  return std::string_view::npos;
}

// Splits "(?=[\s\S]*A)(?=[\s\S]*B)[\s\S]*C" into {A, B, C}: patterns
// that each only need to occur somewhere in the text. Every part starts
// with [\s\S]*, so a match at any position implies one at position 0,
// where each part matches exactly when its tail occurs anywhere. Returns
// nullopt for any other shape, or when a tail has a lookaround itself.
std::optional<std::vector<std::string>> split_anywhere_parts(
    std::string_view pattern) {
  std::vector<std::string> parts;
  while (pattern.rfind("(?=", 0) == 0) {
    std::size_t length = group_length(pattern, 0);
    if (length == std::string_view::npos) {
      return std::nullopt;
    }
    std::string_view body = pattern.substr(3, length - 4);
    if (body.rfind(kAnyText, 0) != 0) {
      return std::nullopt;
    }
    parts.emplace_back(body.substr(kAnyText.size()));
    pattern.remove_prefix(length);
  }
  if (!pattern.empty()) {
    if (pattern.rfind(kAnyText, 0) != 0) {
      return std::nullopt;
    }
    parts.emplace_back(pattern.substr(kAnyText.size()));
  }
  for (const std::string& part : parts) {
    if (part.find("(?") != std::string::npos) {
      return std::nullopt;
    }
  }
  return parts;
}

bool has_lookaround(const std::string& pattern) {
  return pattern.find("(?=") != std::string::npos ||
         pattern.find("(?!") != std::string::npos;
}

// Returns the match of `pattern` in `text`, or nullopt. A lookaround makes
// std::regex take time quadratic in the text, so such patterns are split
// into parts searched one by one when their shape allows, and otherwise
// run only on short output. Throws std::regex_error for a pattern it
// cannot run.
std::optional<std::smatch> search_output(const std::string& text,
                                         const std::string& pattern) {
  std::smatch match;
  if (has_lookaround(pattern)) {
    if (auto parts = split_anywhere_parts(pattern)) {
      for (const std::string& part : *parts) {
        if (!std::regex_search(text, match, compile_output_pattern(part))) {
          return std::nullopt;
        }
      }
      return match;
    }
    if (text.size() > kMaxLookaroundText) {
      throw std::regex_error(std::regex_constants::error_complexity);
    }
  }
  if (std::regex_search(text, match, compile_output_pattern(pattern))) {
    return match;
  }
  return std::nullopt;
}

Finding pattern_error(const std::string& pattern, const std::regex_error& e) {
  std::string why = e.code() == std::regex_constants::error_complexity
                        ? "the pattern has a lookaround and stdout is longer "
                          "than " +
                              std::to_string(kMaxLookaroundText) + " bytes"
                        : e.what();
  return runner_finding(Verdict::error, "pattern not run",
                        "cannot match stdout against '" + pattern +
                            "': " + why + "; simplify the case's pattern");
}

}  // namespace

void check_outcome(report::Run& run, const report::OutcomeSpec& spec) {
  try {
    if (!spec.pattern.empty()) {
      if (auto match = search_output(run.stdout_text, spec.pattern)) {
        run.outcome = match->size() > 1 ? match->str(1) : match->str(0);
      }
    }
  } catch (const std::regex_error& error) {
    run.findings.push_back(pattern_error(spec.pattern, error));
  }
  try {
    if (spec.required.empty() ||
        search_output(run.stdout_text, spec.required)) {
      return;
    }
  } catch (const std::regex_error& error) {
    run.findings.push_back(pattern_error(spec.required, error));
    return;
  }
  Finding finding =
      runner_finding(Verdict::wrong_output, "wrong output",
                     "stdout does not match the required pattern '" +
                         shown_pattern(spec.required) + "'");
  finding.raw = excerpt(run.stdout_text);
  run.findings.push_back(finding);
}

std::optional<Finding> exit_status_finding(int exit_code,
                                           const std::vector<Finding>& findings,
                                           const report::OutcomeSpec& outcome) {
  bool explained =
      std::any_of(findings.begin(), findings.end(), [](const Finding& finding) {
        return finding.source != "runner" && finding.verdict != Verdict::clean;
      });
  bool runner_error =
      std::any_of(findings.begin(), findings.end(), [](const Finding& finding) {
        return finding.verdict == Verdict::error ||
               finding.verdict == Verdict::crash;
      });
  if (exit_code <= 0 || explained || runner_error) {
    return std::nullopt;
  }
  std::string status = "exited with status " + std::to_string(exit_code);
  if (exit_code == kTsanExitCode) {
    return runner_finding(
        Verdict::error, "exit status",
        status +
            ", ThreadSanitizer's exit status, but the runner found no "
            "TSan report: TSan wrote it where the runner cannot read "
            "it (check log_path in TSAN_OPTIONS) or the program exits "
            "with 66 itself");
  }
  Verdict verdict =
      outcome.required.empty() ? Verdict::crash : Verdict::wrong_output;
  return runner_finding(verdict, "exit status",
                        status + " with no report or event to explain it");
}

std::optional<Finding> rejected_options_finding(std::string_view stderr_text) {
  static const std::regex kRejected(
      R"((ThreadSanitizer: ERROR: [^\n]*)|(ERROR: Invalid value for [^\n]*))");
  std::string head(stderr_text.substr(0, 4096));
  std::smatch match;
  if (!std::regex_search(head, match, kRejected) ||
      head.find("ThreadSanitizer: ERROR: ") == std::string::npos) {
    return std::nullopt;
  }
  return runner_finding(Verdict::error, "tsan options",
                        "ThreadSanitizer rejected its options: " +
                            match.str(0) + "; fix TSAN_OPTIONS");
}

void cap_findings(std::vector<Finding>& findings) {
  if (findings.size() <= kMaxFindingsPerRun) {
    return;
  }
  std::size_t dropped = findings.size() - kMaxFindingsPerRun;
  Verdict worst = decide_verdict(std::vector<Finding>(
      findings.begin() + kMaxFindingsPerRun, findings.end()));
  findings.resize(kMaxFindingsPerRun);
  findings.push_back(runner_finding(worst, "findings dropped",
                                    "dropped " + std::to_string(dropped) +
                                        " more findings after the first " +
                                        std::to_string(kMaxFindingsPerRun)));
}

void settle_run(report::Run& run, const std::vector<Verdict>& expected) {
  run.verdict = decide_verdict(run.findings);
  run.met = is_met(run.verdict, expected);
}

}  // namespace racecourse::runner

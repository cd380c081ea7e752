// Turns ThreadSanitizer logs into findings.
//
// A log is what TSan writes to one `log_path` file or to a process's
// stderr: reports framed by "==================" lines, each opening with
// "WARNING: ThreadSanitizer: <kind> (pid=N)" and closing with a
// "SUMMARY: ThreadSanitizer: ..." line, possibly followed by a
// "ThreadSanitizer: reported N warnings" trailer. Several processes' logs
// may follow one another, and text that belongs to no report is ignored.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "racecourse/report/model.hpp"

namespace racecourse::parser {

// One TSan report with the facts that `report::Finding` has no field for.
struct TsanReport {
  report::Finding finding;
  int pid = 0;  // "(pid=N)" from the headline, 0 when missing
  // The stacks printed right under the headline (TSan separates several
  // with "and:"). Misuse reports (mutex misuse, signal-unsafe calls) and
  // sanitizer errors show where they happened here.
  std::vector<std::vector<report::Frame>> stacks;
  // A lock-order inversion's cycle as printed, "M0", "M1", "M0"
  // shortened to {"M0", "M1"}.
  std::vector<std::string> lock_cycle;
  // Thread names TSan printed ("Thread T1 'worker' ..."), by thread id.
  std::map<std::string, std::string> thread_names;
};

// Splits a TSan log into one report per TSan report, in order. Never
// throws on bad input: a truncated or garbled report becomes a report whose
// finding has complete = false.
std::vector<TsanReport> parse_tsan_reports(std::string_view text);

// Splits a TSan log (one log_path file, or a process's stderr) into one
// Finding per report, in order. Never throws on bad input: a truncated or
// garbled report becomes a Finding with complete = false.
std::vector<report::Finding> parse_tsan_log(std::string_view text);

// Maps a TSan headline kind ("data race", "thread leak" ...) to a verdict.
// Kinds this parser does not know map to Verdict::misuse.
report::Verdict verdict_for_kind(std::string_view kind);

}  // namespace racecourse::parser

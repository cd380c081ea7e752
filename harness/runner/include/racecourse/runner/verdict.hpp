// From what a run produced (findings, exit status, stdout) to its verdict.
#pragma once

#include <cstddef>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "racecourse/report/model.hpp"

namespace racecourse::runner {

// The most serious verdict among `findings` (the Verdict enum is ordered
// by seriousness), or clean when there are none.
report::Verdict decide_verdict(const std::vector<report::Finding>& findings);

// A pattern as people see it: trailing whitespace dropped, inner newlines
// and tabs written as \n and \t, so a quoted pattern stays on one line.
std::string shown_pattern(std::string_view pattern);

// True when `verdict` is one of `expected`.
bool is_met(report::Verdict verdict,
            const std::vector<report::Verdict>& expected);

// A crash finding for a child that died of a signal the runner did not
// send, unless a runtime panic or fatal error already explains its end.
std::optional<report::Finding> signal_finding(
    int signal,
    bool killed_by_runner,
    const std::vector<report::Finding>& findings);

// Crash findings for sanitizer reports of a fatal signal ("ERROR:
// ThreadSanitizer: SEGV on unknown address"), which end the program with
// the sanitizer's exit code instead of the signal.
std::vector<report::Finding> sanitizer_crash_findings(std::string_view log);

// Applies the outcome check to `run` (a regex_error becomes an error
// finding): sets `run.outcome` to capture group 1
// of `spec.pattern` (or the whole match when it has no group) on stdout, and
// adds a wrong_output finding when `spec.required` does not match stdout.
void check_outcome(report::Run& run, const report::OutcomeSpec& spec);

// Compiles a case's outcome pattern for matching against stdout, with a
// matcher whose stack use does not grow with the text. Throws
// std::regex_error for an invalid pattern and for back-references, which
// that matcher does not support.
std::regex compile_output_pattern(const std::string& pattern);

// The longest stdout that a pattern with a lookaround is run on, unless it
// has the shape "(?=[\s\S]*A)...[\s\S]*B", which is searched part by
// part. Lookarounds make std::regex quadratic in the text: a failing
// search of 4 KB took 2 to 24 s under clang 14's TSan on the development
// machine (depth-first and breadth-first matcher).
inline constexpr std::size_t kMaxLookaroundText = 2048;

// A finding for a non-zero exit status that no other finding explains
// (explained: a TSan report or runtime event, or a runner error or crash
// finding). Exit status 66 is TSan's (see kTsanExitCode): with no TSan
// report found it is an error, since the report went somewhere the runner
// cannot read. Any other status is wrong_output when the case declared a
// required output pattern, else crash.
std::optional<report::Finding> exit_status_finding(
    int exit_code,
    const std::vector<report::Finding>& findings,
    const report::OutcomeSpec& outcome);

// An error finding when stderr shows ThreadSanitizer rejecting the
// options it was given ("ThreadSanitizer: ERROR: expected '='").
std::optional<report::Finding> rejected_options_finding(
    std::string_view stderr_text);

// Findings kept per run; the rest become one finding that counts them.
inline constexpr std::size_t kMaxFindingsPerRun = 1000;

// Cuts `findings` to kMaxFindingsPerRun plus one finding that counts the
// dropped ones and carries their most serious verdict.
void cap_findings(std::vector<report::Finding>& findings);

// Sets `run.verdict` from its findings and `run.met` against `expected`.
void settle_run(report::Run& run, const std::vector<report::Verdict>& expected);

}  // namespace racecourse::runner

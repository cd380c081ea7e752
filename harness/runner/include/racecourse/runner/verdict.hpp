// From what a run produced (findings, exit status, stdout) to its verdict.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "racecourse/report/model.hpp"

namespace racecourse::runner {

// The most serious verdict among `findings` (the Verdict enum is ordered
// by seriousness), or clean when there are none.
report::Verdict decide_verdict(const std::vector<report::Finding>& findings);

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

// Applies the outcome check to `run`: sets `run.outcome` to capture group 1
// of `spec.pattern` (or the whole match when it has no group) on stdout, and
// adds a wrong_output finding when `spec.required` does not match stdout.
void check_outcome(report::Run& run, const report::OutcomeSpec& spec);

// Sets `run.verdict` from its findings and `run.met` against `expected`.
void settle_run(report::Run& run, const std::vector<report::Verdict>& expected);

}  // namespace racecourse::runner

// summary.md: a short GitHub-flavoured Markdown summary, meant for CI job
// summaries ($GITHUB_STEP_SUMMARY) and pull-request comments.
#pragma once

#include <string>

#include "racecourse/report/model.hpp"

namespace racecourse::report {

// Renders a table of every variant (case, variant, expected, got, met).
// Below it, each variant with something to show gets a section: each
// distinct data race with its two source lines (quoted from the case's own
// files when they exist), other findings and unmet runs. Variants run more
// than once also get their outcome histogram.
std::string to_markdown(const RunSet& runs);

}  // namespace racecourse::report

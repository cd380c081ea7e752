// index.html: the report for people, one self-contained page (inline CSS,
// no scripts, no network, no external assets).
#pragma once

#include <string>

#include "racecourse/report/model.hpp"

namespace racecourse::report {

// Renders `runs` as an HTML page. Each case shows, in order, what happened
// (verdicts, met or not) and the evidence. The evidence is the distinct
// findings with user frames first and library frames folded, each user
// frame linked to its line in the source listing, a hint per kind of
// finding, and the runs with their output. Then come the racy and fixed
// sources side by side and the lesson. Sources and lessons are read from
// disk, relative paths against RunSet::source_dir, and source text is
// quoted only from the case's own folder. Everything that comes from a
// program, a log or a file is HTML-escaped.
std::string to_html(const RunSet& runs);

}  // namespace racecourse::report

// Writing all four reports into one folder.
#pragma once

#include <filesystem>

#include "racecourse/report/html_writer.hpp"
#include "racecourse/report/json_writer.hpp"
#include "racecourse/report/junit_writer.hpp"
#include "racecourse/report/markdown_writer.hpp"
#include "racecourse/report/model.hpp"
#include "racecourse/report/report_error.hpp"

namespace racecourse::report {

// Writes results.json, junit.xml, summary.md and index.html into `dir`,
// creating it (and its parents) when missing. Each file is written to a
// temporary file in `dir` and renamed into place, so a reader sees either
// the old file or the complete new one. Throws ReportError naming the path
// and the reason when the folder cannot be created or a file cannot be
// written. The temporary file is removed before the throw, but reports
// renamed into place before the failure stay.
void write_reports(const RunSet& runs, const std::filesystem::path& dir);

}  // namespace racecourse::report

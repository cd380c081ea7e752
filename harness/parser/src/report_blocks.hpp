// Step one of parsing: cutting a log into the lines of each report.
#pragma once

#include <string_view>
#include <vector>

namespace racecourse::parser::detail {

// The lines of one report, as views into the log.
struct ReportBlock {
  std::vector<std::string_view> lines;
  bool has_headline = false;
  bool has_summary = false;
  // True when the report ended the way TSan ends one: with the closing
  // "==================" line, or, for a sanitizer error, its SUMMARY.
  bool closed = false;
};

// Finds the reports in `text`, in order. A report starts at its opening
// separator or, when that is missing, at its headline; it ends at its
// closing separator, at the next report's start, at a "ThreadSanitizer:
// reported N warnings" trailer or at the end of the text. Blocks with
// neither headline nor SUMMARY line are dropped.
std::vector<ReportBlock> split_report_blocks(std::string_view text);

// True for "WARNING: ThreadSanitizer: ..." and "==N==ERROR: ThreadSanitizer:".
bool is_headline(std::string_view line);
bool is_error_headline(std::string_view line);
bool is_summary(std::string_view line);

}  // namespace racecourse::parser::detail

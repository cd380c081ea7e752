// A line diff (longest common subsequence) for `racecourse explain`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace racecourse::runner {

struct DiffLine {
  enum class Kind { same, removed, added };
  Kind kind = Kind::same;
  std::string text;
  int old_line = 0;  // 1-based; 0 for an added line
  int new_line = 0;  // 1-based; 0 for a removed line
};

// Splits `text` into lines without their '\n'.
std::vector<std::string> split_lines(std::string_view text);

// The edit script from `before` to `after`, found through the longest
// common subsequence of lines: removals come before additions within each
// changed block. Quadratic in time and memory, which suits the short files
// of a lesson.
std::vector<DiffLine> diff_lines(const std::vector<std::string>& before,
                                 const std::vector<std::string>& after);

// Renders a unified diff ("--- a", "+++ b", "@@ -l,n +l,n @@" hunks) with
// `context` unchanged lines around each change. Empty when equal.
std::string unified_diff(std::string_view before,
                         std::string_view after,
                         const std::string& before_name,
                         const std::string& after_name,
                         int context = 3);

// Renders both files in two columns of `column_width` characters, marking
// changed lines with '|', removed with '<' and added with '>'.
std::string side_by_side_diff(std::string_view before,
                              std::string_view after,
                              int column_width = 60);

}  // namespace racecourse::runner

#include "racecourse/runner/line_diff.hpp"

#include <algorithm>
#include <sstream>

namespace racecourse::runner {
namespace {

using Kind = DiffLine::Kind;

// lengths[i][j]: LCS length of before[i..] and after[j..].
std::vector<std::vector<int>> lcs_table(const std::vector<std::string>& before,
                                        const std::vector<std::string>& after) {
  std::vector<std::vector<int>> lengths(before.size() + 1,
                                        std::vector<int>(after.size() + 1, 0));
  for (std::size_t i = before.size(); i-- > 0;) {
    for (std::size_t j = after.size(); j-- > 0;) {
      lengths[i][j] = before[i] == after[j]
                          ? lengths[i + 1][j + 1] + 1
                          : std::max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  return lengths;
}

std::string hunk_range(int start, int count) {
  // A hunk with no lines on one side names the line before it.
  return std::to_string(count == 0 ? start - 1 : start) + "," +
         std::to_string(count);
}

struct Hunk {
  std::size_t begin = 0;  // index into the edit script
  std::size_t end = 0;
};

// Groups changes with `context` lines around them, merging close groups.
std::vector<Hunk> find_hunks(const std::vector<DiffLine>& lines, int context) {
  std::vector<Hunk> hunks;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].kind == Kind::same) {
      continue;
    }
    std::size_t begin = i > static_cast<std::size_t>(context) ? i - context : 0;
    std::size_t end = std::min(lines.size(), i + 1 + context);
    if (!hunks.empty() && begin <= hunks.back().end) {
      hunks.back().end = end;
    } else {
      hunks.push_back(Hunk{begin, end});
    }
  }
  return hunks;
}

std::string render_hunk(const std::vector<DiffLine>& lines, const Hunk& hunk) {
  int old_start = 0;
  int new_start = 0;
  int old_count = 0;
  int new_count = 0;
  std::string body;
  for (std::size_t i = hunk.begin; i < hunk.end; ++i) {
    const DiffLine& line = lines[i];
    old_start =
        old_start == 0 && line.old_line != 0 ? line.old_line : old_start;
    new_start =
        new_start == 0 && line.new_line != 0 ? line.new_line : new_start;
    old_count += line.kind != Kind::added ? 1 : 0;
    new_count += line.kind != Kind::removed ? 1 : 0;
    char mark = line.kind == Kind::same      ? ' '
                : line.kind == Kind::removed ? '-'
                                             : '+';
    body += mark + line.text + "\n";
  }
  // A side with no lines in this hunk starts after the previous line.
  if (old_start == 0) {
    old_start = hunk.begin == 0 ? 1 : lines[hunk.begin - 1].old_line + 1;
  }
  if (new_start == 0) {
    new_start = hunk.begin == 0 ? 1 : lines[hunk.begin - 1].new_line + 1;
  }
  return "@@ -" + hunk_range(old_start, old_count) + " +" +
         hunk_range(new_start, new_count) + " @@\n" + body;
}

std::string fit(const std::string& text, std::size_t width) {
  std::string cell = text.substr(0, width);
  cell.resize(width, ' ');
  return cell;
}

// One row of a side-by-side diff, without trailing blanks.
std::string side_row(const std::string& left,
                     char mark,
                     const std::string& right,
                     std::size_t width) {
  std::string row = fit(left, width) + " " + mark + " " + right;
  row.erase(row.find_last_not_of(' ') + 1);
  return row + "\n";
}

}  // namespace

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream stream{std::string(text)};
  for (std::string line; std::getline(stream, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::vector<DiffLine> diff_lines(const std::vector<std::string>& before,
                                 const std::vector<std::string>& after) {
  auto lengths = lcs_table(before, after);
  std::vector<DiffLine> script;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < before.size() || j < after.size()) {
    int old_line = static_cast<int>(i) + 1;
    int new_line = static_cast<int>(j) + 1;
    if (i < before.size() && j < after.size() && before[i] == after[j]) {
      script.push_back({Kind::same, before[i++], old_line, new_line});
      ++j;
    } else if (j == after.size() ||
               (i < before.size() && lengths[i + 1][j] >= lengths[i][j + 1])) {
      script.push_back({Kind::removed, before[i++], old_line, 0});
    } else {
      script.push_back({Kind::added, after[j++], 0, new_line});
    }
  }
  return script;
}

std::string unified_diff(std::string_view before,
                         std::string_view after,
                         const std::string& before_name,
                         const std::string& after_name,
                         int context) {
  auto lines = diff_lines(split_lines(before), split_lines(after));
  auto hunks = find_hunks(lines, context);
  if (hunks.empty()) {
    return "";
  }
  std::string text = "--- " + before_name + "\n+++ " + after_name + "\n";
  for (const Hunk& hunk : hunks) {
    text += render_hunk(lines, hunk);
  }
  return text;
}

std::string side_by_side_diff(std::string_view before,
                              std::string_view after,
                              int column_width) {
  auto lines = diff_lines(split_lines(before), split_lines(after));
  auto width = static_cast<std::size_t>(column_width);
  std::string text;
  std::size_t i = 0;
  while (i < lines.size()) {
    if (lines[i].kind == Kind::same) {
      text += side_row(lines[i].text, ' ', lines[i].text, width);
      ++i;
      continue;
    }
    // A changed block: its removals and additions, paired row by row.
    std::size_t removed_end = i;
    while (removed_end < lines.size() &&
           lines[removed_end].kind == Kind::removed) {
      ++removed_end;
    }
    std::size_t added_end = removed_end;
    while (added_end < lines.size() && lines[added_end].kind == Kind::added) {
      ++added_end;
    }
    std::size_t removed = removed_end - i;
    std::size_t added = added_end - removed_end;
    for (std::size_t row = 0; row < std::max(removed, added); ++row) {
      if (row < removed && row < added) {
        text += side_row(lines[i + row].text, '|',
                         lines[removed_end + row].text, width);
      } else if (row < removed) {
        text += side_row(lines[i + row].text, '<', "", width);
      } else {
        text += side_row("", '>', lines[removed_end + row].text, width);
      }
    }
    i = added_end;
  }
  return text;
}

}  // namespace racecourse::runner

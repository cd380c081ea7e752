#include "lesson_html.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>
#include <vector>

#include "text.hpp"

namespace racecourse::report::detail {
namespace {

std::string_view trim(std::string_view text) {
  const auto start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) {
    return {};
  }
  const auto end = text.find_last_not_of(" \t");
  return text.substr(start, end - start + 1);
}

// Escapes `text` and turns **bold** pairs into <strong>.
std::string render_emphasis(std::string_view text) {
  std::string out;
  bool open = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto marker = text.find("**", pos);
    const bool has_close =
        marker != std::string_view::npos &&
        (open || text.find("**", marker + 2) != std::string_view::npos);
    if (!has_close) {
      out += html_escape(text.substr(pos));
      break;
    }
    out += html_escape(text.substr(pos, marker - pos));
    out += open ? "</strong>" : "<strong>";
    open = !open;
    pos = marker + 2;
  }
  return out;
}

// Renders inline code spans (`code`, ``co`de``) and emphasis around them.
std::string render_inline(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto open = text.find('`', pos);
    if (open == std::string_view::npos) {
      break;
    }
    const auto fence_end = text.find_first_not_of('`', open);
    if (fence_end == std::string_view::npos) {
      break;
    }
    const std::string_view fence = text.substr(open, fence_end - open);
    const auto close = text.find(fence, fence_end);
    if (close == std::string_view::npos) {
      break;
    }
    out += render_emphasis(text.substr(pos, open - pos));
    out += "<code>" +
           html_escape(trim(text.substr(fence_end, close - fence_end))) +
           "</code>";
    pos = close + fence.size();
  }
  out += render_emphasis(text.substr(std::min(pos, text.size())));
  return out;
}

bool is_fence(std::string_view line) {
  const std::string_view t = trim(line);
  return t.rfind("```", 0) == 0 || t.rfind("~~~", 0) == 0;
}

int heading_level(std::string_view line) {
  const auto hashes = line.find_first_not_of('#');
  if (hashes == 0 || hashes > 6 || hashes == std::string_view::npos ||
      line[hashes] != ' ') {
    return 0;
  }
  return static_cast<int>(hashes);
}

// Returns the length of a list marker ("- ", "12. ") at the start of
// `line`, or 0; sets `ordered` for numbered items.
std::size_t list_marker(std::string_view line, bool& ordered) {
  if (line.size() >= 2 &&
      (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ') {
    ordered = false;
    return 2;
  }
  std::size_t digits = 0;
  while (digits < line.size() &&
         std::isdigit(static_cast<unsigned char>(line[digits]))) {
    ++digits;
  }
  if (digits > 0 && digits + 1 < line.size() && line[digits] == '.' &&
      line[digits + 1] == ' ') {
    ordered = true;
    return digits + 2;
  }
  return 0;
}

// Splits a pipe-table row into its cells: the outer pipes are optional,
// "\|" is a literal pipe, and each cell is trimmed.
std::vector<std::string> table_cells(std::string_view row) {
  row = trim(row);
  if (!row.empty() && row.front() == '|') {
    row.remove_prefix(1);
  }
  if (!row.empty() && row.back() == '|' &&
      (row.size() < 2 || row[row.size() - 2] != '\\')) {
    row.remove_suffix(1);
  }
  std::vector<std::string> cells(1);
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (row[i] == '\\' && i + 1 < row.size() && row[i + 1] == '|') {
      cells.back() += '|';
      ++i;
    } else if (row[i] == '|') {
      cells.emplace_back();
    } else {
      cells.back() += row[i];
    }
  }
  for (std::string& cell : cells) {
    cell = std::string(trim(cell));
  }
  return cells;
}

// Returns the column alignments ("", "left", "center", "right") that a
// delimiter row such as "| --- | :-: |" declares, or nothing when `line` is
// not a delimiter row.
std::vector<std::string> table_alignments(std::string_view line) {
  if (line.find('|') == std::string_view::npos) {
    return {};
  }
  std::vector<std::string> alignments;
  for (const std::string& cell : table_cells(line)) {
    const bool left = !cell.empty() && cell.front() == ':';
    const bool right = cell.size() > 1 && cell.back() == ':';
    const std::string_view dashes = std::string_view(cell).substr(
        left ? 1 : 0, cell.size() - (left ? 1 : 0) - (right ? 1 : 0));
    if (dashes.empty() || dashes.find_first_not_of('-') != std::string::npos) {
      return {};
    }
    alignments.emplace_back(left && right ? "center"
                            : right       ? "right"
                            : left        ? "left"
                                          : "");
  }
  return alignments;
}

// Builds the HTML while tracking which block is open.
class Renderer {
 public:
  explicit Renderer(int heading_shift) : heading_shift_(heading_shift) {}

  void line(std::string_view raw);
  std::string finish();

 private:
  void block_line(std::string_view raw);
  void close_blocks();
  void flush_paragraph();
  void open_table(std::string_view header, std::vector<std::string> alignments);
  void table_row(std::string_view row, std::string_view tag);

  int heading_shift_;
  std::string out_;
  std::vector<std::string> paragraph_;
  std::string list_tag_;  // "ul" or "ol" while a list is open
  bool in_item_ = false;
  bool in_quote_ = false;
  bool in_code_ = false;
  std::string code_;
  // A line that may be a table's header row, until the next line shows
  // whether it is a delimiter row.
  std::optional<std::string> pending_header_;
  std::vector<std::string> alignments_;  // one per column while a table is open
};

void Renderer::flush_paragraph() {
  if (paragraph_.empty()) {
    return;
  }
  std::string text;
  for (const std::string& part : paragraph_) {
    text += (text.empty() ? "" : " ") + part;
  }
  paragraph_.clear();
  if (in_item_) {
    out_ += render_inline(text);
  } else {
    out_ += "<p>" + render_inline(text) + "</p>\n";
  }
}

void Renderer::open_table(std::string_view header,
                          std::vector<std::string> alignments) {
  close_blocks();
  out_ += "<table>\n";
  alignments_ = std::move(alignments);
  table_row(header, "th");
}

// Writes one row with as many cells as the header has: missing cells are
// empty and extra ones are dropped.
void Renderer::table_row(std::string_view row, std::string_view tag) {
  const std::vector<std::string> cells = table_cells(row);
  out_ += "<tr>";
  for (std::size_t i = 0; i < alignments_.size(); ++i) {
    out_ += "<" + std::string(tag);
    if (!alignments_[i].empty()) {
      out_ += " style=\"text-align:" + alignments_[i] + "\"";
    }
    out_ += ">" + (i < cells.size() ? render_inline(cells[i]) : "") + "</" +
            std::string(tag) + ">";
  }
  out_ += "</tr>\n";
}

void Renderer::close_blocks() {
  if (!alignments_.empty()) {
    out_ += "</table>\n";
    alignments_.clear();
  }
  flush_paragraph();
  if (in_item_) {
    out_ += "</li>\n";
    in_item_ = false;
  }
  if (!list_tag_.empty()) {
    out_ += "</" + list_tag_ + ">\n";
    list_tag_.clear();
  }
  if (in_quote_) {
    out_ += "</blockquote>\n";
    in_quote_ = false;
  }
}

// Handles pipe tables, which need one line of lookahead, and passes every
// other line to block_line.
void Renderer::line(std::string_view raw) {
  const std::string_view text = trim(raw);
  const bool has_pipe = text.find('|') != std::string_view::npos;
  if (!alignments_.empty()) {
    if (has_pipe) {
      table_row(text, "td");
      return;
    }
    close_blocks();
  }
  if (pending_header_) {
    const std::string header = std::move(*pending_header_);
    pending_header_.reset();
    std::vector<std::string> alignments = table_alignments(text);
    if (!alignments.empty() &&
        alignments.size() == table_cells(header).size()) {
      open_table(header, std::move(alignments));
      return;
    }
    block_line(header);
  }
  if (!in_code_ && has_pipe && !is_fence(text)) {
    pending_header_ = std::string(raw);
    return;
  }
  block_line(raw);
}

void Renderer::block_line(std::string_view raw) {
  // 1. Inside a fenced code block everything is literal until the fence.
  if (in_code_) {
    if (is_fence(raw)) {
      out_ += "<pre><code>" + html_escape(code_) + "</code></pre>\n";
      code_.clear();
      in_code_ = false;
    } else {
      code_ += std::string(raw) + "\n";
    }
    return;
  }
  const std::string_view text = trim(raw);
  bool ordered = false;
  const std::size_t marker = list_marker(text, ordered);

  // 2. Block starts: blank line, fence, heading, quote, list item.
  if (text.empty()) {
    close_blocks();
  } else if (is_fence(text)) {
    close_blocks();
    in_code_ = true;
  } else if (const int level = heading_level(text); level > 0) {
    close_blocks();
    const std::string tag =
        "h" + std::to_string(std::min(level + heading_shift_, 6));
    out_ += "<" + tag + ">" + render_inline(trim(text.substr(level))) + "</" +
            tag + ">\n";
  } else if (text.front() == '>') {
    if (!in_quote_) {
      close_blocks();
      out_ += "<blockquote>\n";
      in_quote_ = true;
    }
    paragraph_.emplace_back(trim(text.substr(1)));
  } else if (marker > 0) {
    flush_paragraph();
    const std::string tag = ordered ? "ol" : "ul";
    if (in_item_) {
      out_ += "</li>\n";
    }
    if (list_tag_ != tag) {
      close_blocks();
      out_ += "<" + tag + ">\n";
      list_tag_ = tag;
    }
    out_ += "<li>";
    in_item_ = true;
    paragraph_.emplace_back(text.substr(marker));

    // 3. Anything else continues the open paragraph or list item.
  } else {
    paragraph_.emplace_back(text);
  }
}

std::string Renderer::finish() {
  if (pending_header_) {
    block_line(*pending_header_);
    pending_header_.reset();
  }
  if (in_code_) {
    out_ += "<pre><code>" + html_escape(code_) + "</code></pre>\n";
    in_code_ = false;
  }
  close_blocks();
  return out_;
}

}  // namespace

std::string lesson_to_html(std::string_view markdown, int heading_shift) {
  Renderer renderer(heading_shift);
  for (const std::string& line : split_lines(markdown)) {
    renderer.line(line);
  }
  return renderer.finish();
}

}  // namespace racecourse::report::detail

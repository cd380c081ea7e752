#include "report_blocks.hpp"

#include "text.hpp"

namespace racecourse::parser::detail {
namespace {

constexpr std::string_view kSeparator = "==================";

bool is_separator(std::string_view line) {
  return trim(line) == kSeparator;
}

// "ThreadSanitizer: reported 3 warnings", printed once per process at exit.
bool is_trailer(std::string_view line) {
  return trim(line).starts_with("ThreadSanitizer: reported ");
}

// Accumulates blocks while the splitter walks the lines.
class BlockSplitter {
 public:
  void add(std::string_view line);
  std::vector<ReportBlock> finish();

 private:
  void start(std::string_view line);
  void end(bool closed);
  void add_to_open(std::string_view line);

  std::vector<ReportBlock> blocks_;
  ReportBlock current_;
  bool open_ = false;
};

void BlockSplitter::add(std::string_view line) {
  if (is_separator(line)) {
    if (open_ && current_.has_summary) {
      current_.lines.push_back(line);
      end(true);
    } else {
      start(line);
    }
  } else if (is_headline(line) || is_error_headline(line)) {
    if (!open_ || current_.has_headline || current_.has_summary) {
      start(line);
    } else {
      current_.lines.push_back(line);
    }
    current_.has_headline = true;
  } else if (is_trailer(line)) {
    end(false);
  } else if (open_ || is_summary(line)) {
    add_to_open(line);
  }
}

// Opens a new block, ending the open one first (it was cut short).
void BlockSplitter::start(std::string_view line) {
  end(false);
  open_ = true;
  current_.lines.push_back(line);
}

void BlockSplitter::add_to_open(std::string_view line) {
  if (!open_) {
    open_ = true;  // a SUMMARY whose report start was lost
  }
  current_.lines.push_back(line);
  if (!is_summary(line)) {
    return;
  }
  current_.has_summary = true;
  // A sanitizer error ("==N==ERROR: ...") has no closing separator.
  if (!current_.lines.empty() && is_error_headline(current_.lines.front())) {
    end(true);
  }
}

void BlockSplitter::end(bool closed) {
  if (open_ && (current_.has_headline || current_.has_summary)) {
    current_.closed = closed;
    blocks_.push_back(current_);
  }
  current_ = ReportBlock{};
  open_ = false;
}

std::vector<ReportBlock> BlockSplitter::finish() {
  end(false);
  return std::move(blocks_);
}

}  // namespace

bool is_headline(std::string_view line) {
  return line.starts_with("WARNING: ThreadSanitizer: ");
}

bool is_error_headline(std::string_view line) {
  if (!consume(line, "==") || !consume_int(line) || !consume(line, "==")) {
    return false;
  }
  return line.starts_with("ERROR: ThreadSanitizer: ");
}

bool is_summary(std::string_view line) {
  return line.starts_with("SUMMARY: ThreadSanitizer: ");
}

std::vector<ReportBlock> split_report_blocks(std::string_view text) {
  BlockSplitter splitter;
  for (const std::string_view line : split_lines(text)) {
    splitter.add(line);
  }
  return splitter.finish();
}

}  // namespace racecourse::parser::detail

#include "report_sections.hpp"

#include <algorithm>
#include <string>

#include "racecourse/parser/frame.hpp"

#include "text.hpp"

namespace racecourse::parser::detail {
namespace {

// The stack that the next frame lines go to.
enum class StackTarget {
  report,    // right under the headline
  access,    // the last access
  location,  // a heap block's allocation or an fd's creation
  thread,    // the last thread's creation
  mutex,     // the last mutex's creation or acquisition
  ignored,   // "As if synchronized via sleep:" stacks
};

// Lines TSan prints that carry nothing this parser keeps.
bool is_known_note(std::string_view text) {
  std::string_view rest = text;
  const bool sanitizer_note =
      consume(rest, "==") && consume_int(rest) && consume(rest, "==");
  return text.empty() || sanitizer_note || text.starts_with("Hint: ") ||
         text == "[failed to restore the stack]" ||
         text.starts_with("And ") ||  // "And 3 more similar thread leaks."
         text.starts_with("ThreadSanitizer:DEADLYSIGNAL") ||
         text == "ThreadSanitizer can not provide additional info.";
}

// Reads " (mutexes: write M0, read M1)" into `held`; true when absent too.
bool consume_mutex_set(std::string_view& text, std::vector<std::string>& held) {
  if (!consume(text, " (mutexes:")) {
    return true;
  }
  for (;;) {
    consume(text, " ");
    if (!consume(text, "write ") && !consume(text, "read ")) {
      return false;
    }
    const std::optional<int> id =
        consume(text, "M") ? consume_int(text) : std::nullopt;
    if (!id) {
      return false;
    }
    held.push_back("M" + std::to_string(*id));
    if (consume(text, ")")) {
      return true;
    }
    if (!consume(text, ",")) {
      return false;
    }
  }
}

// Reads the access kind: "Write", "Previous atomic read", or an external
// object's "Modifying access of <type>" / "Previous read-only access of".
bool consume_access_kind(std::string_view& text, report::Access& access) {
  access.is_previous = consume(text, "Previous ");
  if (consume(text, "Modifying access of ") ||
      consume(text, "modifying access of ")) {
    access.is_write = true;
    return consume_until(text, " at ").has_value();
  }
  if (consume(text, "Read-only access of ") ||
      consume(text, "read-only access of ")) {
    return consume_until(text, " at ").has_value();
  }
  access.is_atomic = consume(text, "Atomic ") || consume(text, "atomic ");
  access.is_write = consume(text, "Write") || consume(text, "write");
  if (!access.is_write && !consume(text, "Read") && !consume(text, "read")) {
    return false;
  }
  const std::optional<int> size =
      consume(text, " of size ") ? consume_int(text) : std::nullopt;
  access.size = size.value_or(0);
  return size && consume(text, " at ");
}

void read_global(std::string_view text, report::Location& location) {
  location.kind = "global";
  std::string_view rest = text;
  if (const auto name = consume_until(rest, "' of size ")) {
    location.name = std::string(*name);
    location.size = consume_int64(rest).value_or(0);
  } else if (const auto unsized = consume_until(rest, "' at ")) {
    location.name = std::string(*unsized);
  }
}

// Reads "<what> of size N at 0x... allocated by <thread>:" for heap blocks
// and external objects.
bool read_heap(std::string_view text, report::Location& location) {
  if (!consume_until(text, " of size ")) {
    return false;
  }
  location.kind = "heap";
  location.size = consume_int64(text).value_or(0);
  if (consume_until(text, " allocated by ")) {
    location.thread = consume_thread(text).value_or("");
  }
  return true;
}

void read_location(std::string_view text, report::Location& location) {
  if (consume(text, "global '")) {
    read_global(text, location);
  } else if (consume(text, "stack of ")) {
    location.kind = "stack";
    location.thread = consume_thread(text).value_or("");
  } else if (consume(text, "TLS of ")) {
    location.kind = "tls";
    location.thread = consume_thread(text).value_or("");
  } else if (consume(text, "file descriptor ")) {
    location.kind = "fd";
    location.name = std::to_string(consume_int(text).value_or(-1));
    if (consume_until(text, " by ")) {
      location.thread = consume_thread(text).value_or("");
    }
  } else if (!read_heap(text, location)) {
    location.kind = "other";
  }
}

class BlockParser {
 public:
  explicit BlockParser(const ReportBlock& block) : block_(block) {}
  TsanReport parse();

 private:
  void parse_line(std::string_view line);
  bool parse_headline(std::string_view text);
  bool parse_access(std::string_view text);
  bool parse_location(std::string_view text);
  bool parse_thread(std::string_view text);
  bool parse_thread_origin(std::string_view text, report::ThreadInfo& thread);
  bool parse_mutex(std::string_view text);
  bool parse_cycle(std::string_view text);
  bool parse_stack_start(std::string_view text);
  bool parse_frame_line(std::string_view text);
  std::vector<report::Frame>& target_stack();
  void ignore_next_stack();
  bool has_required_sections() const;

  const ReportBlock& block_;
  TsanReport report_;
  report::Finding& finding_ = report_.finding;
  StackTarget target_ = StackTarget::report;
  std::vector<report::Frame> ignored_;
  bool garbled_ = false;
};

TsanReport BlockParser::parse() {
  for (const std::string_view line : block_.lines) {
    parse_line(line);
  }
  const std::string_view first = block_.lines.front();
  const std::string_view last = block_.lines.back();
  finding_.raw = std::string(first.data(), last.data() + last.size());
  finding_.source = "tsan";
  finding_.complete = block_.closed && block_.has_headline &&
                      block_.has_summary && !garbled_ &&
                      has_required_sections();
  return report_;
}

void BlockParser::parse_line(std::string_view line) {
  const std::string_view text = trim(line);
  if (text == "==================") {
    return;
  }
  if (is_summary(text)) {
    finding_.summary = std::string(text);
    return;
  }
  const bool recognized =
      parse_headline(text) || parse_frame_line(text) || parse_access(text) ||
      parse_location(text) || parse_thread(text) || parse_mutex(text) ||
      parse_cycle(text) || parse_stack_start(text) || is_known_note(text);
  garbled_ = garbled_ || !recognized;
}

// Reads "WARNING: ThreadSanitizer: <kind> (pid=N)", or a sanitizer error
// "==N==ERROR: ThreadSanitizer: SEGV on unknown address 0x0 (pc ...)".
bool BlockParser::parse_headline(std::string_view text) {
  if (is_error_headline(text)) {
    consume(text, "==");
    report_.pid = consume_int(text).value_or(0);
    consume_until(text, "ERROR: ThreadSanitizer: ");
    text = text.substr(0, text.find(" 0x"));
    finding_.kind = std::string(trim(text.substr(0, text.find(" ("))));
    finding_.verdict = report::Verdict::crash;
    return true;
  }
  if (!consume(text, "WARNING: ThreadSanitizer: ")) {
    return false;
  }
  const std::size_t pid_at = text.rfind(" (pid=");
  std::string_view pid = text.substr(std::min(pid_at, text.size()));
  if (consume(pid, " (pid=") && pid.ends_with(')')) {
    report_.pid = consume_int(pid).value_or(0);
    text = text.substr(0, pid_at);
  } else {
    garbled_ = true;  // the headline itself was cut
  }
  finding_.kind = std::string(text);
  finding_.verdict = verdict_for_kind(finding_.kind);
  return true;
}

// Reads "Previous write of size 4 at 0x7b04 by thread T1 (mutexes: write
// M0):"; the access's stack follows.
bool BlockParser::parse_access(std::string_view text) {
  report::Access access;
  if (!consume_access_kind(text, access) || !consume_until(text, " by ")) {
    return false;
  }
  const std::optional<std::string> thread = consume_thread(text);
  if (!thread || !consume_mutex_set(text, access.mutexes_held) || text != ":") {
    return false;
  }
  access.thread = *thread;
  finding_.accesses.push_back(std::move(access));
  target_ = StackTarget::access;
  return true;
}

// Reads "Location is global 'counter' of size 4 at ...", "Location is heap
// block of size 4 at ... allocated by thread T1:" and the other kinds.
bool BlockParser::parse_location(std::string_view text) {
  report::Location location;
  location.description = std::string(text);
  if (!consume(text, "Location is ")) {
    return false;
  }
  read_location(text, location);
  // NOTE: the model has room for one location, so a report that names
  // several keeps the first; the rest stay in `raw`.
  if (finding_.location) {
    ignore_next_stack();
    return true;
  }
  finding_.location = std::move(location);
  target_ = StackTarget::location;
  return true;
}

// Reads "Thread T1 'name' (tid=42, running) created by main thread at:".
bool BlockParser::parse_thread(std::string_view text) {
  std::optional<std::string> id;
  if (!consume(text, "Thread ") || !(id = consume_thread(text))) {
    return false;
  }
  if (consume(text, " '")) {
    const std::optional<std::string_view> name = consume_until(text, "'");
    if (!name) {
      return false;
    }
    report_.thread_names[*id] = std::string(*name);
  }
  report::ThreadInfo thread;
  thread.id = *id;
  if (!parse_thread_origin(text, thread)) {
    return false;
  }
  finding_.threads.push_back(std::move(thread));
  target_ = StackTarget::thread;
  return true;
}

// Reads " (tid=42, running) created by main thread at:" or
// " (tid=42, finished) is a GCD worker thread".
bool BlockParser::parse_thread_origin(std::string_view text,
                                      report::ThreadInfo& thread) {
  const std::optional<int> tid =
      consume(text, " (tid=") ? consume_int(text) : std::nullopt;
  if (!tid || !consume(text, ", ")) {
    return false;
  }
  thread.os_tid = *tid;
  thread.running = consume(text, "running)");
  thread.finished = !thread.running && consume(text, "finished)");
  if (!thread.running && !thread.finished) {
    return false;
  }
  if (consume(text, " is a GCD worker thread")) {
    return text.empty();
  }
  std::optional<std::string> parent;
  if (!consume(text, " created by ") || !(parent = consume_thread(text))) {
    return false;
  }
  thread.created_by = *parent;
  consume(text, " at:");
  return text.empty();
}

// Reads "Mutex M0 (0x...) created at:", "Mutex M0 is already destroyed.",
// "Mutex M1 acquired here while holding mutex M0 in thread T1:" and
// "Mutex M0 previously acquired by the same thread here:".
bool BlockParser::parse_mutex(std::string_view text) {
  std::string_view rest = text;
  const std::optional<int> id =
      consume(rest, "Mutex M") ? consume_int(rest) : std::nullopt;
  if (!id || !rest.starts_with(' ')) {
    return false;
  }
  report::MutexInfo mutex;
  mutex.id = "M" + std::to_string(*id);
  mutex.description = std::string(text);
  finding_.mutexes.push_back(std::move(mutex));
  target_ = StackTarget::mutex;
  return true;
}

// Reads "Cycle in lock order graph: M0 (0x..) => M1 (0x..) => M0".
bool BlockParser::parse_cycle(std::string_view text) {
  if (!consume(text, "Cycle in lock order graph: ")) {
    return false;
  }
  std::vector<std::string> cycle;
  for (;;) {
    std::string_view entry = text;
    const std::optional<std::string_view> head = consume_until(text, " => ");
    entry = head.value_or(entry);
    const std::optional<int> id =
        consume(entry, "M") ? consume_int(entry) : std::nullopt;
    if (!id) {
      return false;
    }
    cycle.push_back("M" + std::to_string(*id));
    if (!head) {
      break;
    }
  }
  if (cycle.size() > 1 && cycle.front() == cycle.back()) {
    cycle.pop_back();
  }
  report_.lock_cycle = std::move(cycle);
  return true;
}

// Reads the lines that open a stack of their own: "and:" between stacks
// under the headline, and "As if synchronized via sleep:".
bool BlockParser::parse_stack_start(std::string_view text) {
  if (text == "and:") {
    report_.stacks.emplace_back();
    target_ = StackTarget::report;
    return true;
  }
  if (text == "As if synchronized via sleep:") {
    ignore_next_stack();
    return true;
  }
  return false;
}

bool BlockParser::parse_frame_line(std::string_view text) {
  if (!text.starts_with('#')) {
    return false;
  }
  std::optional<report::Frame> frame = parse_frame(text);
  if (!frame) {
    return false;
  }
  std::vector<report::Frame>& stack = target_stack();
  // A gap in the numbering means lines were lost or mixed in.
  if (frame->index != static_cast<int>(stack.size())) {
    garbled_ = true;
  }
  stack.push_back(std::move(*frame));
  return true;
}

void BlockParser::ignore_next_stack() {
  ignored_.clear();
  target_ = StackTarget::ignored;
}

std::vector<report::Frame>& BlockParser::target_stack() {
  switch (target_) {
    case StackTarget::report:
      if (report_.stacks.empty()) {
        report_.stacks.emplace_back();
      }
      return report_.stacks.back();
    case StackTarget::access:
      return finding_.accesses.back().stack;
    case StackTarget::location:
      return finding_.location->stack;
    case StackTarget::thread:
      return finding_.threads.back().creation_stack;
    case StackTarget::mutex:
      return finding_.mutexes.back().stack;
    case StackTarget::ignored:
      break;
  }
  return ignored_;
}

// Checks for the sections every report of this kind has, so a report that
// lost lines in the middle is not taken as whole.
bool BlockParser::has_required_sections() const {
  switch (finding_.verdict) {
    case report::Verdict::data_race:
      return finding_.accesses.size() >= 2 &&
             !finding_.accesses.front().is_previous &&
             finding_.accesses.back().is_previous;
    case report::Verdict::lock_order_inversion:
      return !report_.lock_cycle.empty() &&
             finding_.mutexes.size() >= report_.lock_cycle.size();
    case report::Verdict::leak:
      return !finding_.threads.empty();
    default:
      return !report_.stacks.empty() && !report_.stacks.front().empty();
  }
}

}  // namespace

TsanReport parse_report_block(const ReportBlock& block) {
  return BlockParser(block).parse();
}

}  // namespace racecourse::parser::detail

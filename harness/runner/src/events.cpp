#include "racecourse/runner/events.hpp"

#include <sstream>

#include "racecourse/runner/file_read.hpp"

#include <nlohmann/json.hpp>

namespace racecourse::runner {
namespace {

using nlohmann::json;
using report::Finding;
using report::Verdict;

// Returns `object[key]` as a string when it is one, else "".
std::string text_of(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// "file:line" and the function of a runtime source location, or empty.
std::pair<std::string, std::string> location_of(const json& object,
                                                const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_object()) {
    return {};
  }
  std::string where = text_of(*it, "file");
  if (auto line = it->find("line"); line != it->end() && line->is_number()) {
    where += ":" + std::to_string(line->get<int>());
  }
  return {where, text_of(*it, "function")};
}

report::GoroutineInfo parse_goroutine(const json& object) {
  report::GoroutineInfo info;
  info.id = object.value("id", 0);
  info.name = text_of(object, "name");
  info.state = text_of(object, "state");
  std::tie(info.blocked_at, info.blocked_function) =
      location_of(object, "blocked_at");
  std::tie(info.created_at, info.created_function) =
      location_of(object, "created_at");
  return info;
}

std::vector<report::GoroutineInfo> parse_goroutines(const json& event,
                                                    const char* key) {
  std::vector<report::GoroutineInfo> goroutines;
  auto it = event.find(key);
  if (it != event.end() && it->is_array()) {
    for (const json& item : *it) {
      if (item.is_object()) {
        goroutines.push_back(parse_goroutine(item));
      }
    }
  }
  return goroutines;
}

Finding runtime_finding(Verdict verdict,
                        std::string kind,
                        const std::string& line) {
  Finding finding;
  finding.verdict = verdict;
  finding.source = "runtime";
  finding.kind = std::move(kind);
  finding.raw = line;
  return finding;
}

Finding panic_finding(const json& event, const std::string& line) {
  Finding finding = runtime_finding(Verdict::panic, "panic", line);
  finding.summary = text_of(event, "message");
  finding.message = "panic: " + finding.summary;
  if (auto id = event.find("goroutine"); id != event.end() && id->is_number()) {
    finding.message += " [goroutine " + std::to_string(id->get<int>()) + "]";
  }
  finding.goroutines = parse_goroutines(event, "goroutines");
  finding.complete = !finding.summary.empty();
  return finding;
}

Finding fatal_finding(const json& event, const std::string& line) {
  std::string kind = text_of(event, "kind");
  bool deadlock = kind == "deadlock" || kind == "lock_cycle";
  Finding finding =
      runtime_finding(deadlock ? Verdict::deadlock : Verdict::panic,
                      kind.empty() ? "fatal" : kind, line);
  finding.summary = text_of(event, "message");
  finding.message = "fatal error: " + finding.summary;
  finding.goroutines = parse_goroutines(event, "goroutines");
  finding.complete = !finding.summary.empty() && !kind.empty();
  return finding;
}

// Goroutines the runtime found asleep for good while others could still
// run. With RACECOURSE_LEAKS=warn the program ran on; either way the run
// deadlocked.
Finding partial_deadlock_finding(const json& event, const std::string& line) {
  Finding finding =
      runtime_finding(Verdict::deadlock, "partial_deadlock", line);
  finding.summary = text_of(event, "message");
  finding.message = (text_of(event, "mode") == "fail" ? "fatal error: " : "") +
                    finding.summary;
  finding.goroutines = parse_goroutines(event, "goroutines");
  finding.complete = !finding.summary.empty() && !finding.goroutines.empty();
  return finding;
}

// Counts `count` goroutines in words: "1 goroutine", "4 goroutines".
std::string goroutines(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " goroutine" : " goroutines");
}

// "2 goroutines blocked for good (leaked) and 1 still running (abandoned)
// when main returned", leaving out a part whose count is zero.
std::string leak_message(std::size_t leaked, std::size_t abandoned) {
  std::string text;
  if (leaked > 0) {
    text = goroutines(leaked) + " blocked for good (leaked)";
  }
  if (abandoned > 0) {
    text += text.empty() ? goroutines(abandoned)
                         : " and " + std::to_string(abandoned);
    text += " still running (abandoned)";
  }
  return text + " when main returned";
}

// A leak event is a finding only when some goroutine leaked.
std::optional<Finding> leak_finding(const json& event,
                                    const std::string& line) {
  auto leaked = parse_goroutines(event, "leaked");
  auto abandoned = parse_goroutines(event, "abandoned");
  if (leaked.empty() && abandoned.empty()) {
    return std::nullopt;
  }
  Finding finding = runtime_finding(Verdict::leak, "goroutine leak", line);
  finding.message = leak_message(leaked.size(), abandoned.size());
  finding.summary = finding.message;
  finding.goroutines = std::move(leaked);
  finding.goroutines.insert(finding.goroutines.end(), abandoned.begin(),
                            abandoned.end());
  return finding;
}

Finding unreadable_line(const std::string& line, const std::string& why) {
  Finding finding = runtime_finding(Verdict::clean, "unreadable event", line);
  finding.message = "ignored an event line the runner cannot read: " + why;
  finding.complete = false;
  return finding;
}

void record_goroutine_start(const json& event, EventLog& log) {
  auto it = event.find("goroutine");
  if (it == event.end() || !it->is_object()) {
    return;
  }
  int tid = it->value("os_tid", 0);
  int id = it->value("id", 0);
  if (tid != 0 && id != 0) {
    log.goroutine_by_tid[tid] = id;
  }
}

void parse_line(const std::string& line, EventLog& log) {
  json event = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (event.is_discarded() || !event.is_object()) {
    log.findings.push_back(unreadable_line(line, "not a JSON object"));
    return;
  }
  std::string name = text_of(event, "event");
  if (name == "go") {
    record_goroutine_start(event, log);
  } else if (name == "panic") {
    log.findings.push_back(panic_finding(event, line));
  } else if (name == "fatal") {
    log.findings.push_back(fatal_finding(event, line));
  } else if (name == "partial_deadlock") {
    log.findings.push_back(partial_deadlock_finding(event, line));
  } else if (name == "leak") {
    if (auto finding = leak_finding(event, line)) {
      log.findings.push_back(*finding);
    }
  } else {
    log.findings.push_back(
        unreadable_line(line, "unknown event '" + name + "'"));
  }
}

// Unreadable event lines kept as findings; the rest are counted in one.
constexpr std::size_t kMaxUnreadableLines = 20;

// Replaces the unreadable-line findings past the first
// kMaxUnreadableLines with one that counts them.
void fold_unreadable_lines(std::vector<Finding>& findings) {
  std::size_t seen = 0;
  std::size_t dropped = 0;
  std::vector<Finding> kept;
  for (Finding& finding : findings) {
    if (finding.kind == "unreadable event" && ++seen > kMaxUnreadableLines) {
      ++dropped;
    } else {
      kept.push_back(std::move(finding));
    }
  }
  if (dropped > 0) {
    Finding note = unreadable_line("", "");
    note.message = "ignored " + std::to_string(dropped) +
                   " more event lines the runner cannot read";
    kept.push_back(note);
  }
  findings = std::move(kept);
}

}  // namespace

EventLog parse_events(std::string_view text) {
  EventLog log;
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      continue;
    }
    try {
      parse_line(line, log);
    } catch (const nlohmann::json::exception& error) {
      // A field of the wrong type, such as "id": "seven".
      log.findings.push_back(unreadable_line(line, error.what()));
    }
  }
  fold_unreadable_lines(log.findings);
  return log;
}

EventLog read_events(const std::filesystem::path& path) {
  FileText file = read_regular_file(path);
  if (!file.found) {
    return {};
  }
  if (!file.error.empty()) {
    EventLog log;
    Finding finding = runtime_finding(Verdict::error, "unreadable events", "");
    finding.source = "runner";
    finding.message = "cannot read the runtime's event file " +
                      path.filename().string() + ": " + file.error;
    finding.summary = finding.message;
    log.findings.push_back(finding);
    return log;
  }
  EventLog log = parse_events(file.text);
  if (file.truncated) {
    Finding note = unreadable_line(
        "", "the event file has " + std::to_string(file.size) +
                " bytes; read the first " + std::to_string(file.text.size()));
    note.message = "event file truncated: " +
                   note.message.substr(note.message.find(": ") + 2);
    log.findings.push_back(note);
  }
  return log;
}

void attach_goroutines(std::vector<Finding>& findings,
                       const std::map<int, int>& goroutine_by_tid) {
  for (Finding& finding : findings) {
    for (report::ThreadInfo& thread : finding.threads) {
      auto it = goroutine_by_tid.find(thread.os_tid);
      if (thread.os_tid != 0 && it != goroutine_by_tid.end()) {
        thread.goroutine = it->second;
      }
    }
  }
}

}  // namespace racecourse::runner

#include "goroutine_dump.hpp"

#include <regex>
#include <sstream>

#include <gtest/gtest.h>

namespace detector_test {
namespace {

const std::regex kHeader(
    R"re(^goroutine (\d+)(?: "([^"]*)")? \[([^\]]+)\]:$)re");
const std::regex kFrame(R"(^(.+)\(\.\.\.\)$)");
const std::regex kCreatedBy(R"(^created by (.+) in goroutine (\d+)$)");
const std::regex kFileLine(R"(^\t(.+):(\d+)$)");

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
  }
  return lines;
}

// Reads the "\tfile:line" after a frame or "created by" line, if present.
bool read_file_line(const std::vector<std::string>& lines,
                    std::size_t& i,
                    Location& location) {
  std::smatch match;
  if (i + 1 < lines.size() &&
      std::regex_match(lines[i + 1], match, kFileLine)) {
    location.file = match[1];
    location.line = std::stoi(match[2]);
    ++i;
    return true;
  }
  return false;
}

void parse_body_line(const std::vector<std::string>& lines,
                     std::size_t& i,
                     DumpEntry& entry) {
  const std::string& line = lines[i];
  std::smatch match;
  if (std::regex_match(line, match, kCreatedBy)) {
    Location created{match[1], "", 0};
    entry.creator = std::stoll(match[2]);
    read_file_line(lines, i, created);
    entry.created_by = created;
  } else if (!entry.frame && std::regex_match(line, match, kFrame)) {
    Location frame{match[1], "", 0};
    read_file_line(lines, i, frame);
    entry.frame = frame;
  } else if (line.rfind("\t(position unknown", 0) != 0) {
    entry.notes.push_back(line);
  }
}

std::string location_text(const nlohmann::json& location) {
  return location.is_null() ? "null" : location.dump();
}

void expect_location(const Location& actual,
                     const std::string& function,
                     int line,
                     const FixtureSource& source,
                     std::string_view what) {
  EXPECT_EQ(actual.function, function) << what << " function";
  EXPECT_TRUE(same_file(actual.file, source.path()))
      << what << " file is " << actual.file << ", expected " << source.path();
  EXPECT_EQ(actual.line, line) << what << " line in " << source.path();
}

void expect_json_location(const nlohmann::json& actual,
                          const std::string& function,
                          int line,
                          const FixtureSource& source,
                          std::string_view what) {
  ASSERT_TRUE(actual.is_object()) << what << " is " << location_text(actual);
  EXPECT_EQ(actual.value("function", ""), function) << what;
  EXPECT_TRUE(same_file(actual.value("file", ""), source.path()))
      << what << " " << location_text(actual);
  EXPECT_EQ(actual.value("line", 0), line) << what;
}

void expect_entry(const DumpEntry& entry,
                  const ExpectedGoroutine& expected,
                  const FixtureSource& source) {
  EXPECT_EQ(entry.state, expected.state);
  EXPECT_EQ(entry.name, expected.name);
  if (expected.blocks_at.empty()) {
    EXPECT_FALSE(entry.frame) << "frame " << entry.frame->function;
  } else if (entry.frame) {
    expect_location(*entry.frame, expected.function,
                    source.line_of(expected.blocks_at), source, "frame");
  } else {
    ADD_FAILURE() << "the entry has no frame, expected one at "
                  << expected.blocks_at;
  }
  if (expected.created_at.empty()) {
    EXPECT_FALSE(entry.created_by) << "a 'created by' line for main";
  } else if (entry.created_by) {
    expect_location(*entry.created_by, expected.created_in,
                    source.line_of(expected.created_at), source, "created by");
    EXPECT_EQ(entry.creator, expected.creator) << "creator goroutine";
  } else {
    ADD_FAILURE() << "the entry has no 'created by' line";
  }
}

void expect_json_entry(const nlohmann::json& goroutine,
                       const ExpectedGoroutine& expected,
                       const FixtureSource& source) {
  EXPECT_EQ(goroutine.value("state", ""), expected.state) << goroutine.dump();
  EXPECT_EQ(goroutine.value("name", ""), expected.name) << goroutine.dump();
  if (expected.blocks_at.empty()) {
    EXPECT_TRUE(goroutine["blocked_at"].is_null()) << goroutine.dump();
  } else {
    expect_json_location(goroutine["blocked_at"], expected.function,
                         source.line_of(expected.blocks_at), source,
                         "JSON blocked_at");
  }
  if (expected.created_at.empty()) {
    EXPECT_TRUE(goroutine["created_at"].is_null()) << goroutine.dump();
  } else {
    expect_json_location(goroutine["created_at"], expected.created_in,
                         source.line_of(expected.created_at), source,
                         "JSON created_at");
    EXPECT_EQ(goroutine.value("creator", 0), expected.creator);
  }
}

const nlohmann::json* find_json(const nlohmann::json& goroutines,
                                std::int64_t id) {
  for (const nlohmann::json& goroutine : goroutines) {
    if (goroutine.value("id", std::int64_t{0}) == id) {
      return &goroutine;
    }
  }
  return nullptr;
}

}  // namespace

std::vector<DumpEntry> parse_dump(std::string_view text) {
  const std::vector<std::string> lines = split_lines(text);
  std::vector<DumpEntry> entries;
  bool in_entry = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch match;
    if (std::regex_match(lines[i], match, kHeader)) {
      entries.push_back(DumpEntry{std::stoll(match[1]), match[2], match[3]});
      in_entry = true;
    } else if (lines[i].empty()) {
      in_entry = false;
    } else if (in_entry) {
      parse_body_line(lines, i, entries.back());
    }
  }
  return entries;
}

std::string section(const std::string& text, std::string_view header) {
  const std::size_t found = text.find(header);
  if (found == std::string::npos) {
    return "";
  }
  const std::size_t start = text.rfind('\n', found);
  const std::size_t from = start == std::string::npos ? 0 : start + 1;
  const std::size_t next = text.find("\nracecourse: ", found);
  return text.substr(from, next == std::string::npos ? next : next - from);
}

void expect_goroutines(const std::vector<DumpEntry>& dump,
                       const nlohmann::json& json_goroutines,
                       const std::vector<ExpectedGoroutine>& expected,
                       const FixtureSource& source) {
  EXPECT_EQ(dump.size(), expected.size()) << "goroutines in the dump";
  ASSERT_TRUE(json_goroutines.is_array()) << json_goroutines.dump();
  EXPECT_EQ(json_goroutines.size(), expected.size())
      << "goroutines in the JSON event: " << json_goroutines.dump();
  for (const ExpectedGoroutine& want : expected) {
    SCOPED_TRACE("goroutine " + std::to_string(want.id));
    const DumpEntry* entry = nullptr;
    for (const DumpEntry& candidate : dump) {
      if (candidate.id == want.id) {
        entry = &candidate;
      }
    }
    if (entry == nullptr) {
      ADD_FAILURE() << "missing from the dump";
    } else {
      expect_entry(*entry, want, source);
    }
    if (const nlohmann::json* goroutine = find_json(json_goroutines, want.id)) {
      expect_json_entry(*goroutine, want, source);
    } else {
      ADD_FAILURE() << "missing from the JSON event";
    }
  }
}

}  // namespace detector_test

// Panics and fatal errors, each in a child process: the exact first line of
// stderr, exit status 2, the goroutine dump entry naming the fixture's
// line, and the JSON event in the RACECOURSE_EVENTS file.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include <nlohmann/json.hpp>

namespace {

using runtime_test::ChildResult;
using runtime_test::TempFolder;

struct PanicCase {
  std::string scenario;
  std::string first_line;
  std::string goroutine;  // the dump entry's header, "goroutine 1 [running]:"
  std::string event;      // "panic" or the fatal event's kind
  std::string message;
};

std::ostream& operator<<(std::ostream& out, const PanicCase& c) {
  return out << c.scenario;
}

const std::string kSource =
    std::string(RACECOURSE_TEST_FIXTURE_SOURCE_DIR) + "/panics.cpp";

// The line of panics.cpp marked `site: <scenario>`, or 0 when missing.
int site_line(const std::string& scenario) {
  std::ifstream in(kSource);
  std::string line;
  const std::string marker = "// site: " + scenario;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.size() >= marker.size() &&
        line.compare(line.size() - marker.size(), marker.size(), marker) == 0) {
      return number;
    }
  }
  return 0;
}

// The dump entry that starts with `header`, up to the blank line after it.
std::string dump_entry(const std::string& err, const std::string& header) {
  const auto start = err.find("\n" + header + "\n");
  if (start == std::string::npos) {
    return {};
  }
  // The entry keeps its last newline.
  const auto end = err.find("\n\n", start + 1);
  return err.substr(start + 1,
                    end == std::string::npos ? std::string::npos : end - start);
}

// The first JSON line of `events` whose "event" is panic or fatal.
nlohmann::json death_event(const std::string& events) {
  std::istringstream lines(events);
  std::string line;
  while (std::getline(lines, line)) {
    nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
    if (parsed.is_object() && (parsed.value("event", "") == "panic" ||
                               parsed.value("event", "") == "fatal")) {
      return parsed;
    }
  }
  return nullptr;
}

class PanicOutput : public testing::TestWithParam<PanicCase> {};

TEST_P(PanicOutput, MessageDumpStatusAndEvent) {
  const PanicCase& c = GetParam();
  const int line = site_line(c.scenario);
  ASSERT_GT(line, 0) << "no `// site: " << c.scenario << "` marker in "
                     << kSource;
  TempFolder folder;
  const std::string events = (folder.path() / "events.jsonl").string();
  const ChildResult result = runtime_test::run_child(
      {std::string(RACECOURSE_TEST_FIXTURE_DIR) + "/runtime_fixture_panics",
       c.scenario},
      {"RACECOURSE_EVENTS=" + events,
       "TSAN_OPTIONS=log_path=" + (folder.path() / "tsan").string()});

  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_status, 2) << result.err;
  EXPECT_EQ(result.err.substr(0, result.err.find('\n')), c.first_line)
      << result.err;

  const std::string entry = dump_entry(result.err, c.goroutine);
  ASSERT_FALSE(entry.empty()) << "no dump entry \"" << c.goroutine << "\" in\n"
                              << result.err;
  const std::string location = "/panics.cpp:" + std::to_string(line) + "\n";
  EXPECT_NE(entry.find(location), std::string::npos)
      << "the entry does not name " << location << entry;

  const nlohmann::json event = death_event(runtime_test::read_file(events));
  ASSERT_TRUE(event.is_object()) << runtime_test::read_file(events);
  if (c.event == "panic") {
    EXPECT_EQ(event["event"], "panic");
  } else {
    EXPECT_EQ(event["event"], "fatal");
    EXPECT_EQ(event["kind"], c.event);
  }
  EXPECT_EQ(event["message"], c.message);
  EXPECT_TRUE(event["goroutines"].is_array()) << event.dump();
}

// Go's texts for each runtime panic and fatal error.
const PanicCase kCases[] = {
    {"send-on-closed", "panic: send on closed channel",
     "goroutine 1 [running]:", "panic", "send on closed channel"},
    {"send-on-closed-while-blocked", "panic: send on closed channel",
     "goroutine 2 [running]:", "panic", "send on closed channel"},
    {"select-send-on-closed", "panic: send on closed channel",
     "goroutine 1 [running]:", "panic", "send on closed channel"},
    {"close-of-closed", "panic: close of closed channel",
     "goroutine 1 [running]:", "panic", "close of closed channel"},
    {"close-of-nil", "panic: close of nil channel",
     "goroutine 1 [running]:", "panic", "close of nil channel"},
    {"negative-wait-group", "panic: sync: negative WaitGroup counter",
     "goroutine 1 [running]:", "panic", "sync: negative WaitGroup counter"},
    {"unlock-of-unlocked", "fatal error: sync: unlock of unlocked mutex",
     "goroutine 1 [running]:", "fatal", "sync: unlock of unlocked mutex"},
    {"rw-unlock-of-unlocked", "fatal error: sync: Unlock of unlocked RWMutex",
     "goroutine 1 [running]:", "fatal", "sync: Unlock of unlocked RWMutex"},
    {"user-panic", "panic: the kettle boiled dry",
     "goroutine 1 [running]:", "panic", "the kettle boiled dry"},
    {"user-panic-in-goroutine", "panic: the kettle boiled dry",
     "goroutine 2 [running]:", "panic", "the kettle boiled dry"},
    // The entry names the go() call in its "created by" line.
    {"goroutine-exception", "panic: uncaught exception: the kettle boiled dry",
     "goroutine 2 [running]:", "panic",
     "uncaught exception: the kettle boiled dry"},
    {"deadlock", "fatal error: all goroutines are asleep - deadlock!",
     "goroutine 1 [chan receive]:", "deadlock",
     "all goroutines are asleep - deadlock!"},
    {"lock-cycle",
     "fatal error: lock cycle: goroutines wait for each other's mutexes - "
     "deadlock!",
     "goroutine 2 [sync.Mutex.Lock]:", "lock_cycle",
     "lock cycle: goroutines wait for each other's mutexes - deadlock!"},
};

INSTANTIATE_TEST_SUITE_P(Fixture,
                         PanicOutput,
                         testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<PanicCase>& info) {
                           return runtime_test::camel_case(info.param.scenario);
                         });

TEST(PanicFixture, UnknownScenarioIsAUsageError) {
  const ChildResult result = runtime_test::run_child(
      {std::string(RACECOURSE_TEST_FIXTURE_DIR) + "/runtime_fixture_panics",
       "no-such-scenario"},
      {});
  EXPECT_EQ(result.exit_status, 64) << result.err;
}

}  // namespace

#include "sample_run_set.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace racecourse::report::testing {
namespace {

std::string case_file(const std::string& name) {
  return (fixture_dir() / "cases" / name).string();
}

Frame frame(int index,
            std::string function,
            std::string file,
            int line,
            bool user_code) {
  Frame f;
  f.index = index;
  f.function = std::move(function);
  f.file = std::move(file);
  f.line = line;
  f.column = line == 0 ? 0 : 3;
  f.user_code = user_code;
  return f;
}

constexpr const char* kRaceText =
    "WARNING: ThreadSanitizer: data race (pid=4242)\n"
    "  Write of size 4 at 0x55d0c0ffee10 by thread T1:\n"
    "    #0 main::$_0::operator()() const racy.cpp:9:24\n"
    "\n"
    "  Previous write of size 4 at 0x55d0c0ffee10 by main thread:\n"
    "    #0 main racy.cpp:10:10\n"
    "\n"
    "SUMMARY: ThreadSanitizer: data race racy.cpp:9:24 in "
    "main::$_0::operator()() const\n";

Finding race_finding() {
  Finding finding;
  finding.verdict = Verdict::data_race;
  finding.source = "tsan";
  finding.kind = "data race";
  finding.message = "data race on counter";
  finding.summary = "data race racy.cpp:9:24 in main::$_0::operator()() const";

  Access write;
  write.is_write = true;
  write.size = 4;
  write.thread = "T1";
  write.stack = {
      frame(0, "main::$_0::operator()() const",
            case_file("msg-update/racy.cpp"), 9, true),
      frame(1, "std::__invoke_impl<void, main::$_0>",
            "/usr/include/c++/12/bits/invoke.h", 61, false),
  };
  Access previous;
  previous.is_write = true;
  previous.is_previous = true;
  previous.size = 4;
  previous.thread = "main thread";
  previous.mutexes_held = {"M7"};
  previous.stack = {
      frame(0, "main", case_file("msg-update/racy.cpp"), 10, true)};
  finding.accesses = {write, previous};

  Location location;
  location.kind = "global";
  location.name = "counter";
  location.size = 4;
  location.description =
      "Location is global 'counter' of size 4 at 0x55d0c0ffee10";
  finding.location = location;

  ThreadInfo thread;
  thread.id = "T1";
  thread.os_tid = 4244;
  thread.running = true;
  thread.created_by = "main thread";
  thread.goroutine = 2;
  Frame create = frame(0, "pthread_create", "", 0, false);
  create.module = "libtsan.so.2+0x5ad75";
  thread.creation_stack = {
      create, frame(1, "main", case_file("msg-update/racy.cpp"), 9, true)};
  finding.threads = {thread};
  finding.raw = kRaceText;
  return finding;
}

Run run(int index, Verdict verdict, bool met, std::string stdout_text) {
  Run r;
  r.index = index;
  r.verdict = verdict;
  r.met = met;
  r.exit_code = verdict == Verdict::data_race ? 66 : 0;
  r.duration_seconds = 0.125 * (index + 1);
  r.stdout_text = std::move(stdout_text);
  return r;
}

VariantResult variant(const std::string& case_name,
                      const std::string& name,
                      const std::string& title,
                      Verdict expected) {
  VariantResult result;
  result.case_name = case_name;
  result.variant = name;
  result.title = title;
  result.binary = "bin/" + case_name + "-" + name;
  result.source = "cases/" + case_name + "/" + name + ".cpp";
  result.lesson = "cases/" + case_name + "/lesson.md";
  result.expected = {expected};
  return result;
}

VariantResult msg_update_racy() {
  VariantResult result = variant("msg-update", "racy", "Unsynchronized counter",
                                 Verdict::data_race);
  result.outcome_spec.pattern = "counter=(\\d+)";
  for (int i = 0; i < 2; ++i) {
    Run r = run(i, Verdict::data_race, true, "counter=2\n");
    r.command = {result.binary};
    r.outcome = "2";
    r.findings = {race_finding()};
    r.stderr_text = kRaceText;
    result.runs.push_back(r);
  }
  Run missed = run(2, Verdict::clean, false,
                   "counter=1\n<script>alert('x')</script> ]]> a|b "
                   "\x1b[31mred\x1b[0m \xff\n");
  missed.command = {result.binary};
  missed.outcome = "1|<b>";
  result.runs.push_back(missed);
  return result;
}

VariantResult msg_update_fixed() {
  VariantResult result =
      variant("msg-update", "fixed", "Unsynchronized counter", Verdict::clean);
  result.outcome_spec.pattern = "counter=(\\d+)";
  Run r = run(0, Verdict::clean, true, "counter=2\n");
  r.command = {result.binary};
  r.outcome = "2";
  result.runs.push_back(r);
  return result;
}

Finding deadlock_finding() {
  Finding finding;
  finding.verdict = Verdict::deadlock;
  finding.source = "runtime";
  finding.kind = "deadlock";
  finding.message = "all goroutines are asleep - deadlock!";
  finding.summary = finding.message;
  GoroutineInfo main_goroutine;
  main_goroutine.id = 1;
  main_goroutine.state = "chan send";
  main_goroutine.blocked_at = "cases/ping-pong/racy.cpp:8";
  main_goroutine.blocked_function = "main";
  finding.goroutines = {main_goroutine};
  finding.raw =
      "fatal error: all goroutines are asleep - deadlock!\n\n"
      "goroutine 1 [chan send]:\nmain()\n\tcases/ping-pong/racy.cpp:8\n";
  return finding;
}

VariantResult ping_pong_racy() {
  VariantResult result =
      variant("ping-pong", "racy", "Send with no receiver", Verdict::deadlock);
  Run r = run(0, Verdict::deadlock, true, "");
  r.exit_code = 2;
  r.command = {result.binary, "--verbose"};
  r.findings = {deadlock_finding()};
  r.stderr_text = r.findings.front().raw;
  result.runs.push_back(r);
  return result;
}

VariantResult ping_pong_fixed() {
  VariantResult result =
      variant("ping-pong", "fixed", "Send with no receiver", Verdict::clean);
  Run r = run(0, Verdict::clean, true, "");
  r.command = {result.binary};
  result.runs.push_back(r);
  return result;
}

}  // namespace

std::filesystem::path fixture_dir() {
  return RACECOURSE_REPORT_FIXTURES;
}

RunSet sample_run_set() {
  RunSet runs;
  runs.tool_version = "0.1.0";
  runs.command = "run";
  runs.started_at = "2026-01-02T03:04:05Z";
  runs.duration_seconds = 1.75;
  runs.source_dir = fixture_dir().string();
  runs.results = {msg_update_racy(), msg_update_fixed(), ping_pong_racy(),
                  ping_pong_fixed()};
  return runs;
}

std::string normalize(std::string text) {
  const std::string dir = fixture_dir().string();
  for (auto pos = text.find(dir); pos != std::string::npos;
       pos = text.find(dir, pos)) {
    text.replace(pos, dir.size(), "@FIXTURES@");
  }
  return text;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void expect_golden(const std::string& name, const std::string& actual) {
  const std::filesystem::path golden = fixture_dir() / "golden" / name;
  const std::string text = normalize(actual);
  // The tests run on one thread, so nothing changes the environment
  // during this read.
  const char* update =
      std::getenv("RACECOURSE_UPDATE_GOLDEN");  // NOLINT(concurrency-mt-unsafe)
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream out(golden, std::ios::binary);
    out << text;
    ASSERT_TRUE(out.good()) << "cannot write " << golden;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(golden))
      << golden << " is missing; run the test with "
      << "RACECOURSE_UPDATE_GOLDEN=1 to create it";
  EXPECT_EQ(read_text(golden), text)
      << "output differs from " << golden << "; if the change is intended, "
      << "rerun with RACECOURSE_UPDATE_GOLDEN=1 and review the diff";
}

}  // namespace racecourse::report::testing

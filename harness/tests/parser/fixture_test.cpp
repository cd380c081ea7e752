// Parses every captured log (clang 14 and g++ 12) and checks the structure
// against what the fixture programs do.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "racecourse/parser/tsan_parser.hpp"

#include "fixture_log.hpp"

namespace racecourse::parser {
namespace {

using report::Verdict;
using testing::find_frame;
using testing::read_fixture;

class ParserFixture : public ::testing::TestWithParam<std::string> {
 protected:
  bool is_clang() const { return GetParam() == "clang"; }

  // clang prints columns, g++ does not.
  int column(int clang_column) const { return is_clang() ? clang_column : 0; }

  std::vector<report::Finding> parse(const std::string& program) const {
    return parse_tsan_log(read_fixture(program + "." + GetParam() + ".log"));
  }

  std::vector<TsanReport> parse_reports(const std::string& program) const {
    return parse_tsan_reports(
        read_fixture(program + "." + GetParam() + ".log"));
  }
};

void expect_frame_at(const report::Frame* frame,
                     std::string_view file,
                     int line,
                     int column) {
  ASSERT_NE(frame, nullptr);
  EXPECT_TRUE(frame->file.ends_with(file)) << frame->file;
  EXPECT_EQ(frame->line, line);
  EXPECT_EQ(frame->column, column);
  EXPECT_TRUE(frame->user_code);
}

TEST_P(ParserFixture, GlobalRaceKindAndSummary) {
  const std::vector<report::Finding> findings = parse("global_race");
  ASSERT_EQ(findings.size(), 1u);
  const report::Finding& race = findings[0];
  EXPECT_EQ(race.source, "tsan");
  EXPECT_EQ(race.kind, "data race");
  EXPECT_EQ(race.verdict, Verdict::data_race);
  EXPECT_TRUE(race.complete);
  const std::string summary =
      "SUMMARY: ThreadSanitizer: data race "
      "/work/main/harness/tests/fixtures/programs/global_race.cpp:9" +
      std::string(is_clang() ? ":11" : "") + " in increment()";
  EXPECT_EQ(race.summary, summary);
  EXPECT_EQ(race.message,
            "data race on global 'counter' at global_race.cpp:9 in "
            "increment()");
}

TEST_P(ParserFixture, GlobalRaceAccesses) {
  const report::Finding race = parse("global_race").at(0);
  ASSERT_EQ(race.accesses.size(), 2u);
  const report::Access& current = race.accesses[0];
  const report::Access& previous = race.accesses[1];
  // clang reports the store of `counter + 1`, g++ the load before it.
  EXPECT_EQ(current.is_write, is_clang());
  EXPECT_FALSE(current.is_atomic);
  EXPECT_FALSE(current.is_previous);
  EXPECT_EQ(current.size, 4);
  EXPECT_EQ(current.thread, "T2");
  EXPECT_TRUE(current.mutexes_held.empty());
  EXPECT_TRUE(previous.is_write);
  EXPECT_TRUE(previous.is_previous);
  EXPECT_EQ(previous.size, 4);
  EXPECT_EQ(previous.thread, "T1");
}

TEST_P(ParserFixture, GlobalRaceFrames) {
  const report::Finding race = parse("global_race").at(0);
  ASSERT_EQ(race.accesses.size(), 2u);
  for (const report::Access& access : race.accesses) {
    ASSERT_EQ(access.stack.size(), 7u);
    const report::Frame& top = access.stack[0];
    EXPECT_EQ(top.index, 0);
    EXPECT_EQ(top.function, "increment()");
    expect_frame_at(&top, "programs/global_race.cpp", 9, column(11));
    EXPECT_TRUE(top.module.starts_with("global_race-" + GetParam() + "+0x"));
    const report::Frame& last = access.stack[6];
    EXPECT_EQ(last.function, "<null>");
    EXPECT_EQ(last.file, "");
    EXPECT_EQ(last.module, "libstdc++.so.6+0xd44a2");
    EXPECT_FALSE(last.user_code);
  }
}

TEST_P(ParserFixture, GlobalRaceLocation) {
  const report::Finding race = parse("global_race").at(0);
  ASSERT_TRUE(race.location.has_value());
  EXPECT_EQ(race.location->kind, "global");
  EXPECT_EQ(race.location->name, "counter");
  EXPECT_EQ(race.location->size, 4);
  EXPECT_TRUE(race.location->stack.empty());
  EXPECT_TRUE(race.location->description.starts_with(
      "Location is global 'counter' of size 4 at 0x"));
}

TEST_P(ParserFixture, GlobalRaceThreads) {
  const report::Finding race = parse("global_race").at(0);
  ASSERT_EQ(race.threads.size(), 2u);
  EXPECT_EQ(race.threads[0].id, "T2");
  EXPECT_TRUE(race.threads[0].running);
  EXPECT_FALSE(race.threads[0].finished);
  EXPECT_EQ(race.threads[1].id, "T1");
  EXPECT_TRUE(race.threads[1].finished);
  EXPECT_EQ(race.threads[0].os_tid, race.threads[1].os_tid + 1);
  for (const report::ThreadInfo& thread : race.threads) {
    EXPECT_GT(thread.os_tid, 0);
    EXPECT_EQ(thread.created_by, "main thread");
    ASSERT_EQ(thread.creation_stack.size(), 3u);
    EXPECT_EQ(thread.creation_stack[0].function, "pthread_create");
    EXPECT_FALSE(thread.creation_stack[0].user_code);
  }
}

TEST_P(ParserFixture, GlobalRaceThreadCreationLines) {
  const report::Finding race = parse("global_race").at(0);
  ASSERT_EQ(race.threads.size(), 2u);
  if (is_clang()) {
    // clang 14 inlines main's frame away; libc's caller is printed instead.
    EXPECT_EQ(race.threads[0].creation_stack[2].function,
              "__libc_start_call_main");
    EXPECT_FALSE(race.threads[0].creation_stack[2].user_code);
    return;
  }
  expect_frame_at(&race.threads[0].creation_stack[2], "global_race.cpp", 14, 0);
  expect_frame_at(&race.threads[1].creation_stack[2], "global_race.cpp", 13, 0);
}

TEST_P(ParserFixture, GlobalRaceKeepsRawText) {
  const std::string log = read_fixture("global_race." + GetParam() + ".log");
  const report::Finding race = parse_tsan_log(log).at(0);
  const std::string trailer = "ThreadSanitizer: reported 1 warnings\n";
  ASSERT_TRUE(log.ends_with(trailer));
  // The raw text runs from the opening to the closing separator.
  EXPECT_EQ(race.raw, log.substr(0, log.size() - trailer.size() - 1));
  EXPECT_EQ(parse_reports("global_race").at(0).pid,
            std::stoi(log.substr(log.find("(pid=") + 5)));
}

TEST_P(ParserFixture, HeapRaceAccesses) {
  const std::vector<report::Finding> findings = parse("heap_race");
  ASSERT_EQ(findings.size(), 1u);
  const report::Finding& race = findings[0];
  EXPECT_TRUE(race.complete);
  EXPECT_EQ(race.verdict, Verdict::data_race);
  ASSERT_EQ(race.accesses.size(), 2u);
  EXPECT_TRUE(race.accesses[0].is_write);
  EXPECT_EQ(race.accesses[0].thread, "main thread");
  EXPECT_EQ(race.accesses[0].size, 4);
  ASSERT_EQ(race.accesses[0].stack.size(), 1u);
  EXPECT_EQ(race.accesses[0].stack[0].function, "main");
  expect_frame_at(&race.accesses[0].stack[0], "heap_race.cpp", 33, column(10));
  EXPECT_EQ(race.accesses[1].thread, "T1");
  expect_frame_at(find_frame(race.accesses[1].stack, "produce()"),
                  "heap_race.cpp", 16, column(10));
}

TEST_P(ParserFixture, HeapRaceLocation) {
  const report::Finding race = parse("heap_race").at(0);
  ASSERT_TRUE(race.location.has_value());
  EXPECT_EQ(race.location->kind, "heap");
  EXPECT_EQ(race.location->size, 4);
  EXPECT_EQ(race.location->thread, "T1");
  EXPECT_EQ(race.location->name, "");
  ASSERT_EQ(race.location->stack.size(), 8u);
  EXPECT_EQ(race.location->stack[0].function, "operator new(unsigned long)");
  EXPECT_FALSE(race.location->stack[0].user_code);
  EXPECT_EQ(race.location->stack[1].function, "produce()");
  expect_frame_at(&race.location->stack[1], "heap_race.cpp", 11, column(16));
  ASSERT_EQ(race.threads.size(), 1u);
  EXPECT_EQ(race.threads[0].id, "T1");
  EXPECT_TRUE(race.threads[0].finished);
}

TEST_P(ParserFixture, ContainerRaceReports) {
  const std::string log = read_fixture("container_race." + GetParam() + ".log");
  const std::vector<report::Finding> findings = parse_tsan_log(log);
  // The trailer states how many reports the process printed.
  const std::size_t at = log.rfind("reported ");
  ASSERT_NE(at, std::string::npos);
  ASSERT_EQ(findings.size(), std::stoul(log.substr(at + 9)));
  for (const report::Finding& race : findings) {
    EXPECT_EQ(race.kind, "data race");
    EXPECT_TRUE(race.complete) << race.raw;
    EXPECT_EQ(race.accesses.size(), 2u);
    ASSERT_TRUE(race.location.has_value());
  }
}

TEST_P(ParserFixture, ContainerRaceOnString) {
  const report::Finding race = parse("container_race").at(0);
  ASSERT_TRUE(race.location.has_value());
  EXPECT_EQ(race.location->kind, "global");
  EXPECT_EQ(race.location->name, "greeting[abi:cxx11]");
  EXPECT_EQ(race.location->size, 32);
  ASSERT_EQ(race.accesses.size(), 2u);
  EXPECT_EQ(race.accesses[0].size, 8);
  // The racing load is inside libstdc++; the user's line is further down.
  const std::vector<report::Frame>& stack = race.accesses[0].stack;
  ASSERT_FALSE(stack.empty());
  EXPECT_FALSE(stack[0].user_code);
  EXPECT_TRUE(stack[0].file.ends_with("basic_string.h"));
  expect_frame_at(find_frame(stack, "fill(int)"), "container_race.cpp", 11,
                  column(12));
}

TEST_P(ParserFixture, ContainerRaceOnMap) {
  const std::vector<report::Finding> findings = parse("container_race");
  ASSERT_FALSE(findings.empty());
  const report::Finding& race = findings.back();
  ASSERT_TRUE(race.location.has_value());
  EXPECT_EQ(race.location->name, "names[abi:cxx11]");
  EXPECT_EQ(race.location->size, 48);
  ASSERT_EQ(race.accesses.size(), 2u);
  expect_frame_at(find_frame(race.accesses[0].stack, "fill(int)"),
                  "container_race.cpp", 12, column(3));
}

TEST_P(ParserFixture, ContainerRaceHeapBlock) {
  int heap_blocks = 0;
  for (const report::Finding& race : parse("container_race")) {
    if (race.location && race.location->kind == "heap") {
      ++heap_blocks;
      EXPECT_GT(race.location->size, 0);
      EXPECT_FALSE(race.location->thread.empty());
      EXPECT_FALSE(race.location->stack.empty());
    }
  }
  EXPECT_GE(heap_blocks, 1);
}

TEST_P(ParserFixture, LockOrderInversionCycle) {
  const std::vector<TsanReport> reports = parse_reports("lock_order_inversion");
  ASSERT_EQ(reports.size(), 1u);
  const report::Finding& finding = reports[0].finding;
  EXPECT_EQ(finding.kind, "lock-order-inversion (potential deadlock)");
  EXPECT_EQ(finding.verdict, Verdict::lock_order_inversion);
  EXPECT_TRUE(finding.complete);
  // clang numbers the report's mutexes from 0, g++'s runtime from 9.
  const std::string first = is_clang() ? "M0" : "M9";
  const std::string second = is_clang() ? "M1" : "M10";
  EXPECT_EQ(reports[0].lock_cycle, (std::vector<std::string>{first, second}));
  ASSERT_EQ(finding.mutexes.size(), 2u);
  EXPECT_EQ(finding.mutexes[0].id, second);
  EXPECT_EQ(finding.mutexes[0].description,
            "Mutex " + second + " acquired here while holding mutex " + first +
                " in thread T1:");
  EXPECT_EQ(finding.mutexes[1].id, first);
  EXPECT_EQ(finding.mutexes[1].description,
            "Mutex " + first + " acquired here while holding mutex " + second +
                " in thread T2:");
}

TEST_P(ParserFixture, LockOrderInversionStacks) {
  const report::Finding finding = parse("lock_order_inversion").at(0);
  ASSERT_EQ(finding.mutexes.size(), 2u);
  ASSERT_EQ(finding.mutexes[0].stack.size(), 11u);
  EXPECT_EQ(finding.mutexes[0].stack[0].function, "pthread_mutex_lock");
  expect_frame_at(find_frame(finding.mutexes[0].stack, "lock_a_then_b()"),
                  "lock_order_inversion.cpp", 12, column(31));
  expect_frame_at(find_frame(finding.mutexes[1].stack, "lock_b_then_a()"),
                  "lock_order_inversion.cpp", 17, column(31));
  ASSERT_EQ(finding.threads.size(), 2u);
  EXPECT_EQ(finding.threads[0].id, "T1");
  EXPECT_TRUE(finding.threads[0].finished);
  EXPECT_EQ(finding.threads[1].id, "T2");
  EXPECT_TRUE(finding.threads[1].running);
  EXPECT_TRUE(finding.accesses.empty());
}

TEST_P(ParserFixture, ThreadLeak) {
  const std::vector<report::Finding> findings = parse("thread_leak");
  ASSERT_EQ(findings.size(), 1u);
  const report::Finding& leak = findings[0];
  EXPECT_EQ(leak.kind, "thread leak");
  EXPECT_EQ(leak.verdict, Verdict::leak);
  EXPECT_TRUE(leak.complete);
  EXPECT_TRUE(
      leak.summary.starts_with("SUMMARY: ThreadSanitizer: thread leak"));
  ASSERT_EQ(leak.threads.size(), 1u);
  EXPECT_EQ(leak.threads[0].id, "T1");
  EXPECT_TRUE(leak.threads[0].finished);
  EXPECT_EQ(leak.threads[0].created_by, "main thread");
  EXPECT_EQ(leak.threads[0].creation_stack.size(), 3u);
}

TEST_P(ParserFixture, UnlockOfUnlockedMutex) {
  const std::vector<TsanReport> reports = parse_reports("unlock_unlocked");
  ASSERT_EQ(reports.size(), 1u);
  const report::Finding& misuse = reports[0].finding;
  EXPECT_EQ(misuse.kind, "unlock of an unlocked mutex (or by a wrong thread)");
  EXPECT_EQ(misuse.verdict, Verdict::misuse);
  EXPECT_TRUE(misuse.complete);
  ASSERT_EQ(reports[0].stacks.size(), 1u);
  const std::vector<report::Frame>& stack = reports[0].stacks[0];
  ASSERT_EQ(stack.size(), 4u);
  EXPECT_EQ(stack[0].function, "pthread_mutex_unlock");
  EXPECT_FALSE(stack[0].user_code);
  EXPECT_FALSE(stack[1].user_code);
  EXPECT_FALSE(stack[2].user_code);
  expect_frame_at(&stack[3], "unlock_unlocked.cpp", 8, column(9));
  ASSERT_TRUE(misuse.location.has_value());
  EXPECT_EQ(misuse.location->name, "guard");
  EXPECT_EQ(misuse.location->size, 40);
  ASSERT_EQ(misuse.mutexes.size(), 1u);
  EXPECT_EQ(misuse.mutexes[0].stack.size(), 4u);
  EXPECT_EQ(misuse.message,
            "unlock of an unlocked mutex (or by a wrong thread) on global "
            "'guard' at unlock_unlocked.cpp:8 in main");
}

TEST_P(ParserFixture, DoubleLock) {
  const std::vector<TsanReport> reports = parse_reports("double_lock");
  ASSERT_EQ(reports.size(), 1u);
  const report::Finding& misuse = reports[0].finding;
  EXPECT_EQ(misuse.kind, "double lock of a mutex");
  EXPECT_EQ(misuse.verdict, Verdict::misuse);
  EXPECT_TRUE(misuse.complete);
  ASSERT_EQ(reports[0].stacks.size(), 1u);
  expect_frame_at(find_frame(reports[0].stacks[0], "main"), "double_lock.cpp",
                  19, column(9));
  ASSERT_EQ(misuse.mutexes.size(), 1u);
  EXPECT_TRUE(misuse.mutexes[0].description.ends_with(") created at:"));
  expect_frame_at(find_frame(misuse.mutexes[0].stack, "lock_and_exit"),
                  "double_lock.cpp", 12, column(9));
}

TEST_P(ParserFixture, SignalUnsafeCall) {
  const std::vector<TsanReport> reports = parse_reports("signal_unsafe");
  ASSERT_EQ(reports.size(), 2u);
  const std::array<std::string_view, 2> allocators{"malloc", "free"};
  const std::array<int, 2> lines{12, 13};
  for (int i = 0; i < 2; ++i) {
    const report::Finding& misuse = reports[i].finding;
    EXPECT_EQ(misuse.kind, "signal-unsafe call inside of a signal");
    EXPECT_EQ(misuse.verdict, Verdict::misuse);
    EXPECT_TRUE(misuse.complete);
    ASSERT_EQ(reports[i].stacks.size(), 1u);
    const std::vector<report::Frame>& stack = reports[i].stacks[0];
    ASSERT_EQ(stack.size(), 4u);
    EXPECT_EQ(stack[0].function, allocators[i]);
    EXPECT_FALSE(stack[0].user_code);
    EXPECT_EQ(stack[1].function, "on_signal(int)");
    expect_frame_at(&stack[1], "signal_unsafe.cpp", lines[i],
                    column(i == 0 ? 13 : 3));
    EXPECT_FALSE(stack[2].user_code);  // TSan's CallUserSignalHandler
  }
}

TEST_P(ParserFixture, CleanProgramHasNoFindings) {
  EXPECT_TRUE(parse("clean").empty());
}

TEST_P(ParserFixture, TwoProcessesGiveTwoReports) {
  const std::vector<TsanReport> reports = parse_reports("two_processes");
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_NE(reports[0].pid, reports[1].pid);
  for (const TsanReport& report : reports) {
    EXPECT_GT(report.pid, 0);
    EXPECT_EQ(report.finding.kind, "data race");
    EXPECT_TRUE(report.finding.complete);
    ASSERT_TRUE(report.finding.location.has_value());
    EXPECT_EQ(report.finding.location->name, "counter");
  }
}

INSTANTIATE_TEST_SUITE_P(Compilers,
                         ParserFixture,
                         ::testing::Values("clang", "gcc"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace racecourse::parser

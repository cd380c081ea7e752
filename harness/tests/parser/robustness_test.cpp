// Logs that are cut, garbled, mixed with program output, or edited to show
// report features the fixture programs do not produce.
#include <algorithm>
#include <array>
#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "racecourse/parser/tsan_parser.hpp"

#include "fixture_log.hpp"

namespace racecourse::parser {
namespace {

using report::Verdict;
using testing::read_fixture;

constexpr std::string_view kSeparator = "==================";

// Returns the first report of a fixture, from its opening separator to the
// end of its closing separator line (without the newline).
std::string first_report(const std::string& fixture) {
  const std::string log = read_fixture(fixture);
  const std::size_t closing = log.find(kSeparator, kSeparator.size());
  return log.substr(0, closing + kSeparator.size());
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return lines;
}

std::string join_first(const std::vector<std::string>& lines,
                       std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    text += lines[i] + "\n";
  }
  return text;
}

// Replaces the first occurrence of `from` in `text`; fails the test when
// the fixture no longer contains it.
std::string replace(std::string text,
                    std::string_view from,
                    std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "fixture lacks: " << from;
  if (at != std::string::npos) {
    text.replace(at, from.size(), to);
  }
  return text;
}

constexpr std::array<std::string_view, 8> kTruncationFixtures{
    "global_race.clang.log",        "global_race.gcc.log",
    "heap_race.clang.log",          "lock_order_inversion.clang.log",
    "lock_order_inversion.gcc.log", "thread_leak.gcc.log",
    "double_lock.clang.log",        "signal_unsafe.gcc.log",
};

TEST(ParserRobustness, EmptyInput) {
  EXPECT_TRUE(parse_tsan_log("").empty());
  EXPECT_TRUE(parse_tsan_log("\n\n  \r\n").empty());
}

TEST(ParserRobustness, TextWithoutReports) {
  EXPECT_TRUE(parse_tsan_log("counter=2\nall done\n").empty());
  EXPECT_TRUE(parse_tsan_log("ThreadSanitizer: reported 0 warnings\n").empty());
}

TEST(ParserRobustness, TruncationAtEveryLine) {
  for (const std::string_view fixture : kTruncationFixtures) {
    const std::vector<std::string> lines =
        lines_of(first_report(std::string(fixture)));
    for (std::size_t count = 1; count < lines.size(); ++count) {
      const std::vector<report::Finding> findings =
          parse_tsan_log(join_first(lines, count));
      // Only the opening separator: nothing to report yet.
      ASSERT_EQ(findings.size(), count == 1 ? 0u : 1u)
          << fixture << " cut after line " << count;
      if (count > 1) {
        EXPECT_FALSE(findings[0].complete)
            << fixture << " cut after line " << count;
        EXPECT_FALSE(findings[0].kind.empty()) << fixture;
      }
    }
    const std::vector<report::Finding> whole =
        parse_tsan_log(join_first(lines, lines.size()));
    ASSERT_EQ(whole.size(), 1u) << fixture;
    EXPECT_TRUE(whole[0].complete) << fixture;
  }
}

TEST(ParserRobustness, TruncationAtEveryByte) {
  const std::string report = first_report("thread_leak.clang.log");
  for (std::size_t length = 0; length <= report.size(); ++length) {
    const std::vector<report::Finding> findings =
        parse_tsan_log(std::string_view{report}.substr(0, length));
    ASSERT_LE(findings.size(), 1u) << "cut at byte " << length;
    if (!findings.empty()) {
      EXPECT_EQ(findings[0].complete, length == report.size())
          << "cut at byte " << length;
    }
  }
}

TEST(ParserRobustness, RandomBytes) {
  std::mt19937 random(20240611);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 200; ++round) {
    std::string garbage(static_cast<std::size_t>(round * 37 % 4096), '\0');
    for (char& c : garbage) {
      c = static_cast<char>(byte(random));
    }
    for (const report::Finding& finding : parse_tsan_log(garbage)) {
      EXPECT_FALSE(finding.complete) << "round " << round;
    }
  }
}

TEST(ParserRobustness, ShuffledReportLines) {
  std::mt19937 random(7);
  std::vector<std::string> lines =
      lines_of(read_fixture("container_race.gcc.log"));
  for (int round = 0; round < 50; ++round) {
    std::shuffle(lines.begin(), lines.end(), random);
    std::string text;
    for (const std::string& line : lines) {
      text += line + "\n";
    }
    EXPECT_NO_THROW(parse_tsan_log(text)) << "round " << round;
  }
}

TEST(ParserRobustness, GarbledLineInsideReport) {
  const std::string report = first_report("global_race.clang.log");
  const std::string garbled = replace(report, "    #2 std::__invoke_result",
                                      "\x01\xff@@ \x7f#2 garbage");
  const std::vector<report::Finding> findings = parse_tsan_log(garbled);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_FALSE(findings[0].complete);
  EXPECT_EQ(findings[0].kind, "data race");
  EXPECT_EQ(findings[0].accesses.size(), 2u);
}

TEST(ParserRobustness, MissingSummary) {
  std::string report = first_report("global_race.gcc.log");
  const std::size_t at = report.find("SUMMARY:");
  report.erase(at, report.find('\n', at) - at + 1);
  const std::vector<report::Finding> findings = parse_tsan_log(report);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_FALSE(findings[0].complete);
  EXPECT_EQ(findings[0].summary, "");
}

TEST(ParserRobustness, MissingAccessSection) {
  const std::vector<std::string> lines =
      lines_of(first_report("heap_race.gcc.log"));
  std::string text;
  for (const std::string& line : lines) {
    if (!line.starts_with("  Previous write")) {
      text += line + "\n";
    }
  }
  const std::vector<report::Finding> findings = parse_tsan_log(text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_FALSE(findings[0].complete);
}

TEST(ParserRobustness, ReportWithoutItsStart) {
  const std::vector<std::string> lines =
      lines_of(first_report("global_race.clang.log"));
  std::string tail;
  for (std::size_t i = lines.size() - 8; i < lines.size(); ++i) {
    tail += lines[i] + "\n";
  }
  const std::vector<report::Finding> findings = parse_tsan_log(tail);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_FALSE(findings[0].complete);
  EXPECT_EQ(findings[0].kind, "data race");
  EXPECT_EQ(findings[0].verdict, Verdict::data_race);
}

TEST(ParserRobustness, CutReportFollowedByWholeOne) {
  const std::vector<std::string> lines =
      lines_of(first_report("global_race.clang.log"));
  const std::string text =
      join_first(lines, lines.size() / 2) + read_fixture("heap_race.clang.log");
  const std::vector<report::Finding> findings = parse_tsan_log(text);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_FALSE(findings[0].complete);
  EXPECT_EQ(findings[0].kind, "data race");
  EXPECT_TRUE(findings[1].complete);
  ASSERT_TRUE(findings[1].location.has_value());
  EXPECT_EQ(findings[1].location->kind, "heap");
}

TEST(ParserRobustness, LogsMixedWithProgramOutput) {
  const std::string text = "counter=2\n" + read_fixture("global_race.gcc.log") +
                           "\nsome output\n" +
                           read_fixture("lock_order_inversion.clang.log") +
                           "\n" + read_fixture("thread_leak.gcc.log");
  const std::vector<report::Finding> findings = parse_tsan_log(text);
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].verdict, Verdict::data_race);
  EXPECT_EQ(findings[1].verdict, Verdict::lock_order_inversion);
  EXPECT_EQ(findings[2].verdict, Verdict::leak);
  for (const report::Finding& finding : findings) {
    EXPECT_TRUE(finding.complete) << finding.raw;
  }
}

TEST(ParserRobustness, ColoredOutput) {
  const std::string colored =
      replace(read_fixture("global_race.clang.log"), "WARNING: ThreadSanitizer",
              "\x1b[1m\x1b[31mWARNING: ThreadSanitizer");
  const std::vector<report::Finding> findings = parse_tsan_log(colored);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_TRUE(findings[0].complete);
  EXPECT_EQ(findings[0].kind, "data race");
}

TEST(ParserRobustness, WindowsLineEndings) {
  std::string text;
  for (const std::string& line :
       lines_of(read_fixture("thread_leak.gcc.log"))) {
    text += line + "\r\n";
  }
  const std::vector<report::Finding> findings = parse_tsan_log(text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_TRUE(findings[0].complete);
}

TEST(ParserReportFeatures, MutexesHeldAndAtomic) {
  std::string text = first_report("global_race.clang.log");
  text = replace(
      text, "by thread T2:", "by thread T2 (mutexes: write M0, read M12):");
  text = replace(text, "Previous write", "Previous atomic write");
  const std::vector<report::Finding> findings = parse_tsan_log(text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_TRUE(findings[0].complete);
  ASSERT_EQ(findings[0].accesses.size(), 2u);
  EXPECT_EQ(findings[0].accesses[0].mutexes_held,
            (std::vector<std::string>{"M0", "M12"}));
  EXPECT_FALSE(findings[0].accesses[0].is_atomic);
  EXPECT_TRUE(findings[0].accesses[1].is_atomic);
  EXPECT_TRUE(findings[0].accesses[1].is_write);
}

TEST(ParserReportFeatures, NamedThread) {
  const std::string text =
      replace(first_report("global_race.gcc.log"),
              "Thread T2 (tid=", "Thread T2 'worker' (tid=");
  const std::vector<TsanReport> reports = parse_tsan_reports(text);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].finding.complete);
  EXPECT_EQ(reports[0].thread_names.at("T2"), "worker");
  ASSERT_EQ(reports[0].finding.threads.size(), 2u);
  EXPECT_EQ(reports[0].finding.threads[0].id, "T2");
}

TEST(ParserReportFeatures, StackAndTlsLocations) {
  const std::string report = first_report("global_race.gcc.log");
  const std::string global_line =
      report.substr(report.find("  Location is global"),
                    report.find('\n', report.find("  Location is global")) -
                        report.find("  Location is global"));
  const std::string stack =
      replace(report, global_line, "  Location is stack of thread T1.");
  const std::string tls =
      replace(report, global_line, "  Location is TLS of main thread.");
  const report::Finding on_stack = parse_tsan_log(stack).at(0);
  ASSERT_TRUE(on_stack.location.has_value());
  EXPECT_EQ(on_stack.location->kind, "stack");
  EXPECT_EQ(on_stack.location->thread, "T1");
  EXPECT_TRUE(on_stack.complete);
  const report::Finding in_tls = parse_tsan_log(tls).at(0);
  ASSERT_TRUE(in_tls.location.has_value());
  EXPECT_EQ(in_tls.location->kind, "tls");
  EXPECT_EQ(in_tls.location->thread, "main thread");
}

TEST(ParserReportFeatures, FailedToRestoreStack) {
  std::string report = first_report("heap_race.gcc.log");
  const std::size_t previous = report.find("  Previous write");
  const std::size_t stack = report.find('\n', previous) + 1;
  const std::size_t location = report.find("  Location is");
  report.replace(stack, location - stack,
                 "    [failed to restore the stack]\n\n");
  const std::vector<report::Finding> findings = parse_tsan_log(report);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_TRUE(findings[0].complete);
  ASSERT_EQ(findings[0].accesses.size(), 2u);
  EXPECT_TRUE(findings[0].accesses[1].stack.empty());
}

TEST(ParserReportFeatures, SanitizerError) {
  const std::string text =
      "ThreadSanitizer:DEADLYSIGNAL\n"
      "==4711==ERROR: ThreadSanitizer: SEGV on unknown address "
      "0x000000000000 (pc 0x55d4 bp 0x7ffc sp 0x7ffc T4711)\n"
      "==4711==The signal is caused by a WRITE memory access.\n"
      "==4711==Hint: address points to the zero page.\n"
      "    #0 main /src/crash.cpp:5:6 (crash+0xd4328)\n"
      "    #1 __libc_start_call_main "
      "csu/../sysdeps/nptl/libc_start_call_main.h:58:16 "
      "(libc.so.6+0x27249)\n"
      "\n"
      "ThreadSanitizer can not provide additional info.\n"
      "SUMMARY: ThreadSanitizer: SEGV /src/crash.cpp:5:6 in main\n"
      "==4711==ABORTING\n";
  const std::vector<TsanReport> reports = parse_tsan_reports(text);
  ASSERT_EQ(reports.size(), 1u);
  const report::Finding& crash = reports[0].finding;
  EXPECT_EQ(crash.kind, "SEGV on unknown address");
  EXPECT_EQ(crash.verdict, Verdict::crash);
  EXPECT_TRUE(crash.complete);
  EXPECT_EQ(reports[0].pid, 4711);
  ASSERT_EQ(reports[0].stacks.size(), 1u);
  EXPECT_EQ(reports[0].stacks[0].size(), 2u);
  EXPECT_EQ(crash.message, "SEGV on unknown address at crash.cpp:5 in main");
}

TEST(ParserKinds, VerdictForEachKind) {
  const std::array<std::pair<std::string_view, Verdict>, 13> cases{{
      {"data race", Verdict::data_race},
      {"data race on vptr (ctor/dtor vs virtual call)", Verdict::data_race},
      {"heap-use-after-free", Verdict::data_race},
      {"heap-use-after-free (virtual call vs free)", Verdict::data_race},
      {"race on external object", Verdict::data_race},
      {"lock-order-inversion (potential deadlock)",
       Verdict::lock_order_inversion},
      {"thread leak", Verdict::leak},
      {"unlock of an unlocked mutex (or by a wrong thread)", Verdict::misuse},
      {"double lock of a mutex", Verdict::misuse},
      {"destroy of a locked mutex", Verdict::misuse},
      {"read lock of a write locked mutex", Verdict::misuse},
      {"signal-unsafe call inside of a signal", Verdict::misuse},
      {"signal handler spoils errno", Verdict::misuse},
  }};
  for (const auto& [kind, verdict] : cases) {
    EXPECT_EQ(verdict_for_kind(kind), verdict) << kind;
  }
}

}  // namespace
}  // namespace racecourse::parser

#include "racecourse/runner/events.hpp"

#include <gtest/gtest.h>

namespace racecourse::runner {
namespace {

using report::Verdict;

TEST(Events, PanicEventIsPanic) {
  EventLog log = parse_events(
      R"({"event":"panic","message":"send on closed channel","goroutine":7,)"
      R"("goroutines":[{"id":7,"name":"","state":"chan send","os_tid":12,)"
      R"("blocked_at":{"file":"a.cpp","line":12,"function":"f"},)"
      R"("created_at":null}]})"
      "\n");
  ASSERT_EQ(log.findings.size(), 1U);
  const report::Finding& finding = log.findings[0];
  EXPECT_EQ(finding.verdict, Verdict::panic);
  EXPECT_EQ(finding.source, "runtime");
  EXPECT_EQ(finding.summary, "send on closed channel");
  EXPECT_EQ(finding.message, "panic: send on closed channel [goroutine 7]");
  ASSERT_EQ(finding.goroutines.size(), 1U);
  EXPECT_EQ(finding.goroutines[0].id, 7);
  EXPECT_EQ(finding.goroutines[0].state, "chan send");
  EXPECT_EQ(finding.goroutines[0].blocked_at, "a.cpp:12");
  EXPECT_EQ(finding.goroutines[0].blocked_function, "f");
  EXPECT_EQ(finding.goroutines[0].created_at, "");
  EXPECT_TRUE(finding.complete);
}

TEST(Events, DeadlockKindsAreDeadlock) {
  for (const char* kind : {"deadlock", "lock_cycle"}) {
    EventLog log =
        parse_events(std::string(R"({"event":"fatal","kind":")") + kind +
                     R"(","message":"all goroutines are asleep - )"
                     R"(deadlock!","goroutines":[]})");
    ASSERT_EQ(log.findings.size(), 1U) << kind;
    EXPECT_EQ(log.findings[0].verdict, Verdict::deadlock) << kind;
    EXPECT_EQ(log.findings[0].kind, kind);
  }
}

TEST(Events, PartialDeadlockIsDeadlockInEitherMode) {
  for (const char* mode : {"warn", "fail"}) {
    EventLog log = parse_events(
        std::string(R"({"event":"partial_deadlock","mode":")") + mode +
        R"(","message":"1 goroutine is asleep for good - partial deadlock!",)"
        R"("goroutines":[{"id":4,"state":"chan send",)"
        R"("blocked_at":{"file":"w.cpp","line":9,"function":"work"}}]})");
    ASSERT_EQ(log.findings.size(), 1U) << mode;
    const report::Finding& finding = log.findings[0];
    EXPECT_EQ(finding.verdict, Verdict::deadlock) << mode;
    EXPECT_EQ(finding.kind, "partial_deadlock");
    EXPECT_EQ(finding.summary,
              "1 goroutine is asleep for good - partial deadlock!");
    EXPECT_EQ(finding.message,
              std::string(mode == std::string("fail") ? "fatal error: " : "") +
                  "1 goroutine is asleep for good - partial deadlock!");
    ASSERT_EQ(finding.goroutines.size(), 1U);
    EXPECT_EQ(finding.goroutines[0].blocked_at, "w.cpp:9");
    EXPECT_TRUE(finding.complete);
  }
}

TEST(Events, PartialDeadlockWithoutGoroutinesIsIncomplete) {
  EventLog log = parse_events(
      R"({"event":"partial_deadlock","mode":"warn","message":"x"})");
  ASSERT_EQ(log.findings.size(), 1U);
  EXPECT_EQ(log.findings[0].verdict, Verdict::deadlock);
  EXPECT_FALSE(log.findings[0].complete);
}

TEST(Events, OtherFatalErrorIsPanic) {
  EventLog log = parse_events(
      R"({"event":"fatal","kind":"fatal","message":"sync: unlock of unlocked mutex","goroutines":[]})");
  ASSERT_EQ(log.findings.size(), 1U);
  EXPECT_EQ(log.findings[0].verdict, Verdict::panic);
  EXPECT_EQ(log.findings[0].message,
            "fatal error: sync: unlock of unlocked mutex");
}

TEST(Events, LeakWithGoroutinesIsLeak) {
  EventLog log = parse_events(
      R"({"event":"leak","mode":"warn","leaked":[{"id":3,"state":"chan receive"}],"abandoned":[]})");
  ASSERT_EQ(log.findings.size(), 1U);
  EXPECT_EQ(log.findings[0].verdict, Verdict::leak);
  ASSERT_EQ(log.findings[0].goroutines.size(), 1U);
  EXPECT_EQ(log.findings[0].goroutines[0].id, 3);
}

TEST(Events, LeakMessageCountsEachKind) {
  EventLog one_leaked = parse_events(
      R"({"event":"leak","mode":"warn","leaked":[{"id":3}],"abandoned":[]})");
  ASSERT_EQ(one_leaked.findings.size(), 1U);
  EXPECT_EQ(one_leaked.findings[0].message,
            "1 goroutine blocked for good (leaked) when main returned");

  EventLog abandoned = parse_events(
      R"({"event":"leak","mode":"warn","leaked":[],"abandoned":[{"id":4},{"id":5}]})");
  ASSERT_EQ(abandoned.findings.size(), 1U);
  EXPECT_EQ(abandoned.findings[0].message,
            "2 goroutines still running (abandoned) when main returned");

  EventLog both = parse_events(
      R"({"event":"leak","mode":"warn","leaked":[{"id":3},{"id":6}],"abandoned":[{"id":4}]})");
  ASSERT_EQ(both.findings.size(), 1U);
  EXPECT_EQ(both.findings[0].message,
            "2 goroutines blocked for good (leaked) and 1 still running "
            "(abandoned) when main returned");
}

TEST(Events, LeakWithoutGoroutinesIsNoFinding) {
  EventLog log = parse_events(
      R"({"event":"leak","mode":"warn","leaked":[],"abandoned":[]})");
  EXPECT_TRUE(log.findings.empty());
}

TEST(Events, GoEventsMapThreadsToGoroutines) {
  EventLog log =
      parse_events(R"({"event":"go","goroutine":{"id":1,"os_tid":100}})"
                   "\n"
                   R"({"event":"go","goroutine":{"id":5,"os_tid":105}})"
                   "\n");
  EXPECT_TRUE(log.findings.empty());
  EXPECT_EQ(log.goroutine_by_tid.at(100), 1);
  EXPECT_EQ(log.goroutine_by_tid.at(105), 5);

  std::vector<report::Finding> findings(1);
  findings[0].threads.resize(2);
  findings[0].threads[0].os_tid = 105;
  findings[0].threads[1].os_tid = 999;
  attach_goroutines(findings, log.goroutine_by_tid);
  EXPECT_EQ(findings[0].threads[0].goroutine, 5);
  EXPECT_FALSE(findings[0].threads[1].goroutine.has_value());
}

TEST(Events, MalformedLineIsIncompleteFinding) {
  EventLog log = parse_events("{\"event\":\"panic\",\"mess\n");
  ASSERT_EQ(log.findings.size(), 1U);
  EXPECT_FALSE(log.findings[0].complete);
  EXPECT_EQ(log.findings[0].verdict, Verdict::clean);
}

TEST(Events, UnknownEventIsIncompleteFinding) {
  EventLog log = parse_events(R"({"event":"teleport"})");
  ASSERT_EQ(log.findings.size(), 1U);
  EXPECT_FALSE(log.findings[0].complete);
  EXPECT_NE(log.findings[0].message.find("teleport"), std::string::npos);
}

TEST(Events, WrongFieldTypeIsIncompleteFinding) {
  EventLog log =
      parse_events(R"({"event":"go","goroutine":{"id":"one","os_tid":1}})");
  ASSERT_EQ(log.findings.size(), 1U);
  EXPECT_FALSE(log.findings[0].complete);
}

TEST(Events, MissingFileIsEmpty) {
  EventLog log = read_events("/nonexistent/events.jsonl");
  EXPECT_TRUE(log.findings.empty());
  EXPECT_TRUE(log.goroutine_by_tid.empty());
}

}  // namespace
}  // namespace racecourse::runner

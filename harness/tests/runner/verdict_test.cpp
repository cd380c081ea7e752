#include "racecourse/runner/verdict.hpp"

#include <csignal>

#include <gtest/gtest.h>

namespace racecourse::runner {
namespace {

using report::Finding;
using report::Verdict;

Finding finding_of(Verdict verdict, const std::string& source = "tsan") {
  Finding finding;
  finding.verdict = verdict;
  finding.source = source;
  return finding;
}

TEST(Verdict, NoFindingsIsClean) {
  EXPECT_EQ(decide_verdict({}), Verdict::clean);
}

TEST(Verdict, MostSeriousFindingWins) {
  EXPECT_EQ(
      decide_verdict({finding_of(Verdict::leak), finding_of(Verdict::data_race),
                      finding_of(Verdict::lock_order_inversion)}),
      Verdict::data_race);
  EXPECT_EQ(decide_verdict(
                {finding_of(Verdict::deadlock), finding_of(Verdict::panic)}),
            Verdict::deadlock);
  EXPECT_EQ(
      decide_verdict({finding_of(Verdict::timeout), finding_of(Verdict::crash),
                      finding_of(Verdict::wrong_output)}),
      Verdict::crash);
  EXPECT_EQ(decide_verdict({finding_of(Verdict::clean)}), Verdict::clean);
}

TEST(Verdict, MetWhenVerdictIsExpected) {
  EXPECT_TRUE(is_met(Verdict::leak, {Verdict::data_race, Verdict::leak}));
  EXPECT_FALSE(is_met(Verdict::clean, {Verdict::data_race}));
}

TEST(Verdict, SignalIsCrash) {
  auto crash = signal_finding(SIGSEGV, false, {});
  ASSERT_TRUE(crash.has_value());
  EXPECT_EQ(crash->verdict, Verdict::crash);
  EXPECT_NE(crash->message.find("signal 11"), std::string::npos);
}

TEST(Verdict, OurKillIsNoCrash) {
  EXPECT_FALSE(signal_finding(SIGKILL, true, {}).has_value());
  EXPECT_FALSE(signal_finding(0, false, {}).has_value());
}

TEST(Verdict, PanicEventExplainsAbort) {
  EXPECT_FALSE(
      signal_finding(SIGABRT, false, {finding_of(Verdict::panic, "runtime")})
          .has_value());
  EXPECT_TRUE(signal_finding(SIGABRT, false, {finding_of(Verdict::data_race)})
                  .has_value());
}

TEST(Verdict, SanitizerDeadlySignalIsCrash) {
  auto findings = sanitizer_crash_findings(
      "ThreadSanitizer:DEADLYSIGNAL\n==12==ERROR: ThreadSanitizer: SEGV on "
      "unknown address 0x000000000000 (pc 0x1 bp 0x2 sp 0x3 T12)\n");
  ASSERT_EQ(findings.size(), 1U);
  EXPECT_EQ(findings[0].verdict, Verdict::crash);
  EXPECT_NE(findings[0].message.find("SEGV on unknown address"),
            std::string::npos);
  EXPECT_TRUE(
      sanitizer_crash_findings("WARNING: ThreadSanitizer: data race").empty());
}

TEST(Verdict, OutcomeTakesFirstCaptureGroup) {
  report::Run run;
  run.stdout_text = "start\nmessage: hello world\nend\n";
  check_outcome(run, {"message: (.*)", ""});
  EXPECT_EQ(run.outcome, "hello world");
  EXPECT_TRUE(run.findings.empty());
}

TEST(Verdict, OutcomeWithoutGroupTakesWholeMatch) {
  report::Run run;
  run.stdout_text = "total 42\n";
  check_outcome(run, {"[0-9]+", ""});
  EXPECT_EQ(run.outcome, "42");
}

TEST(Verdict, RequiredPatternMissingIsWrongOutput) {
  report::Run run;
  run.stdout_text = "counter: 1998\n";
  check_outcome(run, {"counter: (\\d+)", "counter: 2000"});
  EXPECT_EQ(run.outcome, "1998");
  ASSERT_EQ(run.findings.size(), 1U);
  EXPECT_EQ(run.findings[0].verdict, Verdict::wrong_output);
  settle_run(run, {Verdict::clean});
  EXPECT_EQ(run.verdict, Verdict::wrong_output);
  EXPECT_FALSE(run.met);
}

TEST(Verdict, RequiredPatternSearchesWholeStdout) {
  report::Run run;
  run.stdout_text = "one\ncounter: 2000\nthree\n";
  check_outcome(run, {"", "counter: 2000"});
  EXPECT_TRUE(run.findings.empty());
  EXPECT_FALSE(run.outcome.has_value());
}

}  // namespace
}  // namespace racecourse::runner

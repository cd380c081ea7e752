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

TEST(Verdict, ShownPatternStaysOnOneLine) {
  EXPECT_EQ(shown_pattern("message: Hello, (universe|cosmos)\n"),
            "message: Hello, (universe|cosmos)");
  EXPECT_EQ(shown_pattern("a\nb\tc  "), "a\\nb\\tc");
  EXPECT_EQ(shown_pattern(" \n"), "");
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

// The wait-group case's required pattern.
constexpr const char* kWaitGroupPattern =
    "(?=[\\s\\S]*0: alpha)(?=[\\s\\S]*1: beta)(?=[\\s\\S]*2: delta)"
    "(?=[\\s\\S]*3: gamma)(?=[\\s\\S]*4: pi)(?=[\\s\\S]*5: zeta)"
    "(?=[\\s\\S]*6: eta)(?=[\\s\\S]*7: theta)(?=[\\s\\S]*8: epsilon)";

std::string long_output(std::size_t bytes, const std::string& tail) {
  std::string text;
  while (text.size() < bytes) {
    text += std::string(99, 'x') + "\n";
  }
  return text + tail;
}

TEST(Verdict, AnyTextPatternSurvivesLongOutput) {
  report::Run run;
  run.stdout_text = long_output(60'000, "total: 100\n");
  check_outcome(run, {"total: (\\d+)", "start[\\s\\S]*total: 100"});
  ASSERT_EQ(run.findings.size(), 1U);
  EXPECT_EQ(run.findings[0].verdict, Verdict::wrong_output);
  EXPECT_EQ(run.outcome, "100");
}

TEST(Verdict, WaitGroupPatternOnLongOutput) {
  report::Run met;
  met.stdout_text = long_output(
      60'000,
      "8: epsilon\n0: alpha\n1: beta\n2: delta\n3: gamma\n4: pi\n5: "
      "zeta\n6: eta\n7: theta\n");
  check_outcome(met, {"", kWaitGroupPattern});
  EXPECT_TRUE(met.findings.empty());

  report::Run unmet;
  unmet.stdout_text = long_output(60'000, "0: alpha\n1: beta\n");
  check_outcome(unmet, {"", kWaitGroupPattern});
  ASSERT_EQ(unmet.findings.size(), 1U);
  EXPECT_EQ(unmet.findings[0].verdict, Verdict::wrong_output);
}

TEST(Verdict, OtherLookaroundOnLongOutputIsError) {
  report::Run run;
  run.stdout_text = long_output(60'000, "");
  check_outcome(run, {"", "x(?!y)"});
  ASSERT_EQ(run.findings.size(), 1U);
  EXPECT_EQ(run.findings[0].verdict, Verdict::error);
}

TEST(Verdict, NonZeroExitIsCrash) {
  auto finding = exit_status_finding(1, {}, {});
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->verdict, Verdict::crash);
  EXPECT_NE(finding->message.find("status 1"), std::string::npos);
}

TEST(Verdict, NonZeroExitWithOutputCheckIsWrongOutput) {
  auto finding = exit_status_finding(3, {}, {"", "done"});
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->verdict, Verdict::wrong_output);
}

TEST(Verdict, TsanExitWithoutReportIsError) {
  auto finding = exit_status_finding(66, {}, {});
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->verdict, Verdict::error);
  EXPECT_NE(finding->message.find("no TSan report"), std::string::npos);
}

TEST(Verdict, ExplainedExitIsNoFinding) {
  report::Finding panic;
  panic.source = "runtime";
  panic.verdict = Verdict::panic;
  EXPECT_FALSE(exit_status_finding(2, {panic}, {}).has_value());
  EXPECT_FALSE(exit_status_finding(0, {}, {}).has_value());
}

TEST(Verdict, RejectedTsanOptionsIsError) {
  auto finding = rejected_options_finding(
      "ThreadSanitizer: ERROR: expected '=' in TSAN_OPTIONS\n");
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->verdict, Verdict::error);
  EXPECT_FALSE(rejected_options_finding("counter: 2000\n").has_value());
}

TEST(Verdict, FindingsAreCapped) {
  std::vector<report::Finding> findings(kMaxFindingsPerRun + 500);
  findings.back().verdict = Verdict::data_race;
  cap_findings(findings);
  ASSERT_EQ(findings.size(), kMaxFindingsPerRun + 1);
  EXPECT_EQ(findings.back().verdict, Verdict::data_race);
  EXPECT_NE(findings.back().message.find("500"), std::string::npos);
}

}  // namespace
}  // namespace racecourse::runner

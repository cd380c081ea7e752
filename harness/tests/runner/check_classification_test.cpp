// Each fixture program, run the way `racecourse check` runs programs, gets
// the verdict its kind of failure deserves.
#include <algorithm>
#include <csignal>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "racecourse/runner/executor.hpp"

#include "test_support.hpp"

namespace racecourse::runner {
namespace {

using report::Verdict;
using test::fixture;

report::Run run_fixture(
    const std::string& name,
    std::chrono::milliseconds timeout = std::chrono::seconds(60),
    std::vector<std::string> args = {}) {
  test::TempFolder folder;
  RunRequest request;
  request.command = {fixture(name)};
  request.command.insert(request.command.end(), args.begin(), args.end());
  request.timeout = timeout;
  request.expected = {Verdict::clean};
  request.run_dir = folder.path() / "run";
  return execute_run(request);
}

bool has_finding(const report::Run& run,
                 const std::string& source,
                 Verdict verdict) {
  return std::any_of(run.findings.begin(), run.findings.end(),
                     [&](const report::Finding& finding) {
                       return finding.source == source &&
                              finding.verdict == verdict;
                     });
}

TEST(CheckClassification, DataRace) {
  RACECOURSE_SKIP_WITHOUT_TSAN();
  report::Run run = run_fixture("data_race");
  EXPECT_EQ(run.verdict, Verdict::data_race);
  EXPECT_TRUE(has_finding(run, "tsan", Verdict::data_race));
  EXPECT_EQ(run.exit_code, 66);
  EXPECT_FALSE(run.met);
}

TEST(CheckClassification, LockOrderInversion) {
  RACECOURSE_SKIP_WITHOUT_TSAN();
  report::Run run = run_fixture("lock_order");
  EXPECT_EQ(run.verdict, Verdict::lock_order_inversion);
  EXPECT_TRUE(has_finding(run, "tsan", Verdict::lock_order_inversion));
}

TEST(CheckClassification, ThreadLeak) {
  RACECOURSE_SKIP_WITHOUT_TSAN();
  report::Run run = run_fixture("thread_leak");
  EXPECT_EQ(run.verdict, Verdict::leak);
  EXPECT_TRUE(has_finding(run, "tsan", Verdict::leak));
}

TEST(CheckClassification, MutexHeldForeverIsDeadlock) {
  report::Run run = run_fixture("mutex_hang", std::chrono::seconds(2));
  EXPECT_EQ(run.verdict, Verdict::deadlock);
  EXPECT_TRUE(run.timed_out);
  EXPECT_EQ(run.signal, SIGKILL);
  ASSERT_TRUE(has_finding(run, "runner", Verdict::deadlock));
  // gdb's stacks show the thread waiting in the fixture's own function.
  EXPECT_NE(run.hang_analysis.find("wait_for_mutex"), std::string::npos)
      << run.hang_analysis;
  const report::Finding& hang = run.findings.back();
  bool blocked_in_fixture = std::any_of(
      hang.goroutines.begin(), hang.goroutines.end(), [](const auto& thread) {
        return thread.blocked_at.find("mutex_hang.cpp") != std::string::npos;
      });
  EXPECT_TRUE(blocked_in_fixture) << run.hang_analysis;
}

TEST(CheckClassification, BusyLoopIsTimeout) {
  report::Run run = run_fixture("busy_loop", std::chrono::seconds(2));
  EXPECT_EQ(run.verdict, Verdict::timeout);
  EXPECT_TRUE(run.timed_out);
  EXPECT_TRUE(has_finding(run, "runner", Verdict::timeout));
}

TEST(CheckClassification, IgnoredSigtermStillStopsAtTimeout) {
  report::Run run = run_fixture("ignore_sigterm", std::chrono::seconds(2));
  EXPECT_EQ(run.verdict, Verdict::timeout);
  EXPECT_EQ(run.signal, SIGKILL);
  EXPECT_NE(run.stdout_text.find("still running after SIGTERM"),
            std::string::npos);
  EXPECT_LT(run.duration_seconds, 30);
}

TEST(CheckClassification, SegfaultIsCrash) {
  report::Run run = run_fixture("segfault");
  EXPECT_EQ(run.verdict, Verdict::crash);
  EXPECT_EQ(run.stdout_text, "about to crash\n");
}

TEST(CheckClassification, AbortIsCrash) {
  report::Run run = run_fixture("abort");
  EXPECT_EQ(run.verdict, Verdict::crash);
  EXPECT_EQ(run.signal, SIGABRT);
}

TEST(CheckClassification, CleanProgramIsClean) {
  report::Run run = run_fixture("clean");
  EXPECT_EQ(run.verdict, Verdict::clean);
  EXPECT_TRUE(run.met);
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.stdout_text, "counter: 2000\n");
}

TEST(CheckClassification, LoudProgramIsCleanAndCapped) {
  report::Run run = run_fixture("loud");
  EXPECT_EQ(run.verdict, Verdict::clean);
  EXPECT_LE(run.stdout_text.size(), kDefaultOutputLimit + 200);
  EXPECT_NE(run.stdout_text.find("output truncated"), std::string::npos);
}

TEST(CheckClassification, PanicEventIsPanicNotCrash) {
  report::Run run =
      run_fixture("process_probe", std::chrono::seconds(30), {"panic"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.verdict, Verdict::panic);
  EXPECT_TRUE(has_finding(run, "runtime", Verdict::panic));
}

TEST(CheckClassification, MissingBinaryIsError) {
  test::TempFolder folder;
  RunRequest request;
  request.command = {(folder.path() / "never-built").string()};
  request.expected = {Verdict::clean};
  request.run_dir = folder.path() / "run";
  report::Run run = execute_run(request);
  EXPECT_EQ(run.verdict, Verdict::error);
  EXPECT_NE(run.error.find("never-built"), std::string::npos);
  EXPECT_NE(run.error.find("check the path"), std::string::npos);
}

TEST(CheckCommand, MetExpectationExitsZero) {
  RACECOURSE_SKIP_WITHOUT_TSAN();
  test::TempFolder folder;
  ProcessResult result = test::run_racecourse(
      {"check", "--expect", "data-race", "--report-dir",
       (folder.path() / "reports").string(), "--", fixture("data_race")});
  EXPECT_EQ(result.exit_code, 0) << result.stdout_text << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("got data-race"), std::string::npos);
  EXPECT_NE(result.stdout_text.find("met 1/1"), std::string::npos);
}

// `check` arguments; builds without TSan also have uninstrumented
// fixtures, which `check` rejects unless told to accept them.
std::vector<std::string> check_args(std::vector<std::string> options) {
  if (!test::kWithTsan) {
    options.insert(options.begin(), "--allow-uninstrumented");
  }
  options.insert(options.begin(), "check");
  return options;
}

TEST(CheckCommand, UnmetExpectationExitsOne) {
  test::TempFolder folder;
  ProcessResult result = test::run_racecourse(check_args(
      {"--timeout", "2", "--report-dir", (folder.path() / "reports").string(),
       "--", fixture("abort")}));
  EXPECT_EQ(result.exit_code, 1) << result.stdout_text << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("got crash"), std::string::npos);
  EXPECT_NE(result.stdout_text.find("met 0/1"), std::string::npos);
}

TEST(CheckCommand, RepeatRunsEachTime) {
  test::TempFolder folder;
  ProcessResult result = test::run_racecourse(check_args(
      {"--repeat", "3", "--jobs", "2", "--report-dir",
       (folder.path() / "reports").string(), "--", fixture("clean")}));
  EXPECT_EQ(result.exit_code, 0) << result.stdout_text << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("met 3/3"), std::string::npos);
}

}  // namespace
}  // namespace racecourse::runner

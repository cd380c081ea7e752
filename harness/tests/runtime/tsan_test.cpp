// What ThreadSanitizer sees, in both directions. Each fixture scenario runs
// as a child with TSan writing its reports to a fresh folder:
// - TsanEdge: programs ordered only by one of Go's happens-before edges
//   must produce no report;
// - TsanRace: programs relying on an edge Go does not have must produce a
//   data race report naming the fixture, on each of kRaceRuns runs;
// - TsanStress: heavy correct programs must produce no report.
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

using runtime_test::ChildResult;
using runtime_test::TempFolder;

constexpr int kRaceRuns = 5;
// TSan's exit status when it reported anything (its exitcode flag).
constexpr int kTsanExitStatus = 66;

std::string fixture(const std::string& name) {
  return std::string(RACECOURSE_TEST_FIXTURE_DIR) + "/runtime_fixture_" + name;
}

// A fixture run under TSan and the reports it left.
struct TsanRun {
  ChildResult child;
  std::string reports;
  int report_count = 0;
};

TsanRun run_under_tsan(
    const std::string& program,
    const std::string& scenario,
    std::chrono::seconds timeout = std::chrono::seconds(120)) {
  TempFolder logs;
  TsanRun run;
  run.child = runtime_test::run_child(
      {fixture(program), scenario},
      // With RACECOURSE_LEAKS=warn the handle tracking of the partial-
      // deadlock check runs too, so these runs show it adds no edge.
      {"TSAN_OPTIONS=log_path=" + (logs.path() / "tsan").string() +
           ":halt_on_error=0",
       "RACECOURSE_LEAKS=warn"},
      timeout);
  run.reports = runtime_test::read_folder(logs.path());
  run.report_count = runtime_test::count_tsan_reports(run.reports);
  return run;
}

// The scenario names a fixture prints for --list.
std::vector<std::string> listed_scenarios(const std::string& program) {
  const ChildResult listed =
      runtime_test::run_child({fixture(program), "--list"}, {});
  std::vector<std::string> names;
  std::istringstream lines(listed.out);
  for (std::string line; std::getline(lines, line);) {
    names.push_back(line);
  }
  return names;
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
  return runtime_test::camel_case(info.param);
}

const std::vector<std::string> kEdgeScenarios = {
    "after-value",
    "close-before-zero-recv-close-first",
    "close-before-zero-recv-receiver-waits",
    "done-before-wait-done-first",
    "done-before-wait-waiter-parked",
    "go-before-start",
    "kth-recv-before-send-k-plus-cap-blocked",
    "kth-recv-before-send-k-plus-cap-buffered",
    "kth-recv-before-send-k-plus-cap-handoff",
    "once-before-late-call",
    "once-before-waiting-call",
    "recv-before-send-completes-receiver-waits",
    "recv-before-send-completes-sender-waits",
    "rw-unlock-before-lock-shared",
    "rw-unlock-before-lock-shared-handoff",
    "rw-unlock-shared-before-lock",
    "rw-unlock-shared-before-lock-handoff",
    "select-buffered-send-before-recv",
    "select-recv-before-send-completes",
    "select-recv-waits-for-send",
    "select-send-before-recv",
    "send-recv-buffered-receiver-waits",
    "send-recv-buffered-sender-first",
    "send-recv-unbuffered-receiver-waits",
    "send-recv-unbuffered-sender-waits",
    "unlock-before-lock",
    "unlock-before-lock-handoff",
};

const std::vector<std::string> kRaceScenarios = {
    "add-from-zero-vs-wait",
    "buffered-sends-unordered",
    "chan-handle-copies",
    "close-vs-send",
    "goroutine-exit-then-start",
    "len-and-cap",
    "partial-deadlock-report",
    "probe-parked-only",
    "probe-signal-only",
    "rw-readers-unordered",
    "timers",
    "unrelated-channel",
    "unrelated-channel-close",
    "wait-group-add",
    "wait-group-done-then-add",
    "write-after-recv-vs-after-send-k-plus-cap",
    "write-after-send-vs-before-recv",
};

class TsanEdge : public testing::TestWithParam<std::string> {};

TEST_P(TsanEdge, NoReport) {
  RACECOURSE_SKIP_WITHOUT_TSAN();
  const TsanRun run = run_under_tsan("tsan_edges", GetParam());
  EXPECT_FALSE(run.child.timed_out);
  EXPECT_EQ(run.child.exit_status, 0) << run.child.err;
  EXPECT_EQ(run.report_count, 0) << run.reports;
  EXPECT_TRUE(run.reports.empty()) << run.reports;
}

INSTANTIATE_TEST_SUITE_P(Fixture,
                         TsanEdge,
                         testing::ValuesIn(kEdgeScenarios),
                         test_name);

class TsanRace : public testing::TestWithParam<std::string> {};

TEST_P(TsanRace, ReportedOnEveryRun) {
  RACECOURSE_SKIP_WITHOUT_TSAN();
  for (int attempt = 1; attempt <= kRaceRuns; ++attempt) {
    SCOPED_TRACE("run " + std::to_string(attempt) + " of " +
                 std::to_string(kRaceRuns));
    const TsanRun run = run_under_tsan("tsan_races", GetParam());
    EXPECT_FALSE(run.child.timed_out);
    EXPECT_EQ(run.child.exit_status, kTsanExitStatus) << run.child.err;
    EXPECT_GE(run.report_count, 1) << "no TSan report; stderr:\n"
                                   << run.child.err;
    EXPECT_NE(run.reports.find("WARNING: ThreadSanitizer: data race"),
              std::string::npos)
        << run.reports;
    EXPECT_NE(run.reports.find("tsan_races.cpp"), std::string::npos)
        << "the report does not point at the fixture's lines:\n"
        << run.reports;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixture,
                         TsanRace,
                         testing::ValuesIn(kRaceScenarios),
                         test_name);

class TsanStress : public testing::TestWithParam<std::string> {};

TEST_P(TsanStress, NoReport) {
  RACECOURSE_SKIP_WITHOUT_TSAN();
  const TsanRun run =
      run_under_tsan("tsan_stress", GetParam(), std::chrono::seconds(240));
  EXPECT_FALSE(run.child.timed_out);
  EXPECT_EQ(run.child.exit_status, 0) << run.child.err;
  EXPECT_EQ(run.report_count, 0) << run.reports;
  EXPECT_TRUE(run.reports.empty()) << run.reports;
}

INSTANTIATE_TEST_SUITE_P(
    Fixture,
    TsanStress,
    testing::Values("chain", "buffered", "select-storm", "sync-storm"),
    test_name);

// Every scenario a fixture offers is run by one of the suites above.
TEST(TsanFixtures, EveryScenarioIsTested) {
  EXPECT_EQ(listed_scenarios("tsan_edges"), kEdgeScenarios);
  EXPECT_EQ(listed_scenarios("tsan_races"), kRaceScenarios);
}

// The NOTE on racecourse::Mutex: TSan ties a mutex to the thread that
// locked it, so Go's legal unlock from another goroutine is reported.
TEST(TsanMutex, UnlockElsewhereIsReportedAsMisuse) {
  RACECOURSE_SKIP_WITHOUT_TSAN();
  TempFolder logs;
  const ChildResult child = runtime_test::run_child(
      {fixture("unlock_elsewhere"), "unlock-elsewhere"},
      {"TSAN_OPTIONS=log_path=" + (logs.path() / "tsan").string()});
  const std::string reports = runtime_test::read_folder(logs.path());
  EXPECT_EQ(child.exit_status, kTsanExitStatus) << child.err;
  EXPECT_NE(reports.find("unlock of an unlocked mutex"), std::string::npos)
      << reports;
}

}  // namespace

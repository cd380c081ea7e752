// Partial deadlocks: goroutines blocked on channels that no goroutine able
// to run can reach are reported while main runs on, as a partial_deadlock
// event and in Go's dump shape. RACECOURSE_LEAKS decides whether the
// program then runs on (warn, the default) or exits with status 2 (fail).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixture_run.hpp"
#include "goroutine_dump.hpp"

namespace detector_test {
namespace {

constexpr std::string_view kMainDone = "main done\n";

const FixtureSource& source() {
  static const FixtureSource fixture(RACECOURSE_DETECTOR_FIXTURE_DIR
                                     "/partial_deadlocks.cpp");
  return fixture;
}

// Collects the goroutines of every partial_deadlock event of `run` in one
// array and checks each event's mode and message. Goroutines that block at
// different moments may be reported in separate events.
nlohmann::json reported_goroutines(const FixtureRun& run,
                                   std::string_view mode) {
  nlohmann::json all = nlohmann::json::array();
  for (const nlohmann::json& event : run.events) {
    if (event.value("event", "") != "partial_deadlock") {
      continue;
    }
    EXPECT_EQ(event.value("mode", ""), mode) << event.dump();
    const nlohmann::json& goroutines = event["goroutines"];
    EXPECT_TRUE(goroutines.is_array()) << event.dump();
    EXPECT_FALSE(goroutines.empty()) << event.dump();
    const std::string count = std::to_string(goroutines.size());
    const std::string expected_message =
        count + (goroutines.size() == 1 ? " goroutine is" : " goroutines are") +
        " asleep for good - partial deadlock!";
    EXPECT_EQ(event.value("message", ""), expected_message);
    for (const nlohmann::json& goroutine : goroutines) {
      all.push_back(goroutine);
    }
  }
  return all;
}

// Runs `scenario` in warn mode: the report appears on stderr and in the
// events, the program runs on to "main done" and exits 0, and nothing is
// listed again as leaked at exit.
void expect_reported_and_runs_on(
    const std::string& scenario,
    const std::vector<ExpectedGoroutine>& expected) {
  const FixtureRun run =
      run_fixture(RACECOURSE_DETECTOR_PARTIAL_DEADLOCKS, scenario);
  const std::string& err = run.child.err;
  ASSERT_FALSE(run.child.timed_out) << "stderr:\n" << err;
  EXPECT_EQ(run.child.exit_status, 0)
      << describe_end(run.child) << "; stderr:\n"
      << err;
  EXPECT_NE(run.child.out.find(kMainDone), std::string::npos)
      << "main did not run on; stdout:\n"
      << run.child.out;
  EXPECT_EQ(err.rfind("racecourse: ", 0), 0u) << "stderr:\n" << err;
  EXPECT_NE(err.find("asleep for good - partial deadlock!\n"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("The program runs on (RACECOURSE_LEAKS=warn)"),
            std::string::npos)
      << err;
  EXPECT_EQ(err.find("fatal error"), std::string::npos) << err;
  EXPECT_EQ(err.find("(leaked)"), std::string::npos) << err;
  EXPECT_EQ(run.find_event("leak"), nullptr);
  expect_goroutines(parse_dump(err), reported_goroutines(run, "warn"), expected,
                    source());
  expect_tsan_clean(run);
}

const ExpectedGoroutine kWorker = {.id = 2,
                                   .state = "chan send",
                                   .function = "deliver",
                                   .blocks_at = "BLOCKS-HERE deliver",
                                   .created_in = "start_abandoned_worker",
                                   .created_at = "GO-HERE worker",
                                   .name = "worker"};

TEST(DetectorPartialDeadlock, AbandonedWorkerSend) {
  expect_reported_and_runs_on("abandoned-sender", {kWorker});
}

TEST(DetectorPartialDeadlock, TwoGoroutinesSendingToEachOther) {
  expect_reported_and_runs_on("pair-sending",
                              {{.id = 2,
                                .state = "chan send",
                                .function = "send_then_receive",
                                .blocks_at = "BLOCKS-HERE pair-send",
                                .created_in = "pair_sending",
                                .created_at = "GO-HERE first"},
                               {.id = 3,
                                .state = "chan send",
                                .function = "send_then_receive",
                                .blocks_at = "BLOCKS-HERE pair-send",
                                .created_in = "pair_sending",
                                .created_at = "GO-HERE second"}});
}

TEST(DetectorPartialDeadlock, ReceiveFromNilChannel) {
  expect_reported_and_runs_on("nil-receiver",
                              {{.id = 2,
                                .state = "chan receive (nil chan)",
                                .function = "receive_from_nil",
                                .blocks_at = "BLOCKS-HERE nil-receive",
                                .created_in = "nil_receiver",
                                .created_at = "GO-HERE nil-receiver"}});
}

TEST(DetectorPartialDeadlock, RangeOverUnclosedChannel) {
  expect_reported_and_runs_on("range-unclosed",
                              {{.id = 2,
                                .state = "chan receive",
                                .function = "sum_all",
                                .blocks_at = "BLOCKS-HERE range",
                                .created_in = "range_unclosed",
                                .created_at = "GO-HERE consumer"}});
}

TEST(DetectorPartialDeadlock, ChainOfThreeStuckGoroutines) {
  expect_reported_and_runs_on("stuck-chain",
                              {{.id = 2,
                                .state = "chan receive",
                                .function = "wait_forever",
                                .blocks_at = "BLOCKS-HERE chain-end",
                                .created_in = "stuck_chain",
                                .created_at = "GO-HERE chain-end"},
                               {.id = 3,
                                .state = "chan receive",
                                .function = "pass_on",
                                .blocks_at = "BLOCKS-HERE link",
                                .created_in = "stuck_chain",
                                .created_at = "GO-HERE chain-middle"},
                               {.id = 4,
                                .state = "chan receive",
                                .function = "pass_on",
                                .blocks_at = "BLOCKS-HERE link",
                                .created_in = "stuck_chain",
                                .created_at = "GO-HERE chain-start"}});
}

TEST(DetectorPartialDeadlock, SelectOnOrphanChannels) {
  expect_reported_and_runs_on("orphan-select",
                              {{.id = 2,
                                .state = "select",
                                .function = "select_both",
                                .blocks_at = "BLOCKS-HERE select",
                                .created_in = "orphan_select",
                                .created_at = "GO-HERE select"}});
}

TEST(DetectorPartialDeadlock, ReceiveFromUnsharedChannel) {
  expect_reported_and_runs_on("own-channel",
                              {{.id = 2,
                                .state = "chan receive",
                                .function = "receive_own",
                                .blocks_at = "BLOCKS-HERE own-channel",
                                .created_in = "own_channel",
                                .created_at = "GO-HERE own-channel"}});
}

TEST(DetectorPartialDeadlock, ReportedOncePlainThreadEnds) {
  expect_reported_and_runs_on("after-plain-thread", {kWorker});
}

TEST(DetectorPartialDeadlock, MutexHeldByStuckGoroutine) {
  expect_reported_and_runs_on("stuck-holding-mutex",
                              {{.id = 2,
                                .state = "chan send",
                                .function = "send_while_locked",
                                .blocks_at = "BLOCKS-HERE locked-send",
                                .created_in = "stuck_holding_mutex",
                                .created_at = "GO-HERE holder"},
                               {.id = 3,
                                .state = "sync.Mutex.Lock",
                                .function = "lock_after_holder",
                                .blocks_at = "BLOCKS-HERE mutex-wait",
                                .created_in = "stuck_holding_mutex",
                                .created_at = "GO-HERE mutex-waiter"}});
}

// With RACECOURSE_LEAKS=fail the report is Go's fatal error and the program
// ends there with status 2.
TEST(DetectorPartialDeadlock, FailModeEndsTheProgram) {
  ChildOptions options;
  options.set_env = {"RACECOURSE_LEAKS=fail"};
  const FixtureRun run = run_fixture(RACECOURSE_DETECTOR_PARTIAL_DEADLOCKS,
                                     "abandoned-sender", options);
  const std::string& err = run.child.err;
  ASSERT_FALSE(run.child.timed_out) << "stderr:\n" << err;
  EXPECT_EQ(run.child.exit_status, 2)
      << describe_end(run.child) << "; stderr:\n"
      << err;
  EXPECT_EQ(run.child.out, "") << "main ran on past the report";
  EXPECT_EQ(err.rfind("fatal error: 1 goroutine is asleep for good - "
                      "partial deadlock!\n",
                      0),
            0u)
      << "stderr:\n"
      << err;
  EXPECT_EQ(err.find("The program runs on"), std::string::npos) << err;
  expect_goroutines(parse_dump(err), reported_goroutines(run, "fail"),
                    {kWorker}, source());
  expect_tsan_clean(run);
}

// With RACECOURSE_LEAKS=off nothing is reported while the program runs,
// and nothing at exit either.
TEST(DetectorPartialDeadlock, OffModeReportsNothing) {
  ChildOptions options;
  options.set_env = {"RACECOURSE_LEAKS=off"};
  const FixtureRun run = run_fixture(RACECOURSE_DETECTOR_PARTIAL_DEADLOCKS,
                                     "abandoned-sender", options);
  ASSERT_FALSE(run.child.timed_out) << "stderr:\n" << run.child.err;
  EXPECT_EQ(run.child.exit_status, 0) << describe_end(run.child);
  EXPECT_EQ(run.child.out, kMainDone);
  EXPECT_EQ(run.child.err, "");
  EXPECT_TRUE(run.events.empty() ||
              run.find_event("partial_deadlock") == nullptr);
  expect_tsan_clean(run);
}

}  // namespace
}  // namespace detector_test

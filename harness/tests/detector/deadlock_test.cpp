// Global deadlocks: every goroutine blocked in a runtime primitive must
// end the program at once with Go's message, a dump and exit status 2.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixture_run.hpp"
#include "goroutine_dump.hpp"

namespace detector_test {
namespace {

constexpr std::string_view kHeadline =
    "fatal error: all goroutines are asleep - deadlock!\n";

const FixtureSource& source() {
  static const FixtureSource fixture(RACECOURSE_DETECTOR_FIXTURE_DIR
                                     "/deadlocks.cpp");
  return fixture;
}

std::size_t count_of(const std::string& text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// Runs `scenario` and checks the message, the dump, the exit status, the
// JSON event and the TSan logs of a global deadlock.
void expect_deadlock(const std::string& scenario,
                     const std::vector<ExpectedGoroutine>& expected) {
  const FixtureRun run = run_fixture(RACECOURSE_DETECTOR_DEADLOCKS, scenario);
  const std::string& err = run.child.err;
  ASSERT_FALSE(run.child.timed_out)
      << "no deadlock was reported within the time limit; stderr:\n"
      << err;
  EXPECT_EQ(run.child.exit_status, 2)
      << describe_end(run.child) << "; stderr:\n"
      << err;
  EXPECT_EQ(err.rfind(kHeadline, 0), 0u) << "stderr:\n" << err;
  EXPECT_EQ(count_of(err, "fatal error:"), 1u) << "stderr:\n" << err;
  EXPECT_EQ(run.child.out, "") << "the scenario went past its block";

  const nlohmann::json* event = run.find_event("fatal", "deadlock");
  ASSERT_NE(event, nullptr)
      << "no deadlock event among " << run.events.size() << " events";
  EXPECT_EQ(event->value("message", ""),
            "all goroutines are asleep - deadlock!");
  expect_goroutines(parse_dump(err), (*event)["goroutines"], expected,
                    source());
  expect_tsan_clean(run);
}

TEST(DetectorDeadlock, WaitGroupAddedMoreThanDone) {
  expect_deadlock("wait-group", {{.id = 1,
                                  .state = "semacquire",
                                  .function = "wait_group_short_of_done",
                                  .blocks_at = "BLOCKS-HERE wait-group"}});
}

TEST(DetectorDeadlock, SendWithoutReceiver) {
  expect_deadlock("send-without-receiver",
                  {{.id = 1,
                    .state = "chan receive",
                    .function = "send_without_receiver",
                    .blocks_at = "BLOCKS-HERE wait-sender"},
                   {.id = 2,
                    .state = "chan send",
                    .function = "send_unread",
                    .blocks_at = "BLOCKS-HERE send-unread",
                    .created_in = "send_without_receiver",
                    .created_at = "GO-HERE sender",
                    .name = "sender"}});
}

TEST(DetectorDeadlock, ReceiveNeverSent) {
  expect_deadlock("receive-never-sent", {{.id = 1,
                                          .state = "chan receive",
                                          .function = "receive_never_sent",
                                          .blocks_at = "BLOCKS-HERE receive"}});
}

TEST(DetectorDeadlock, NilChannelSendAndReceive) {
  expect_deadlock("nil-channels", {{.id = 1,
                                    .state = "chan receive (nil chan)",
                                    .function = "nil_channels",
                                    .blocks_at = "BLOCKS-HERE nil-receive"},
                                   {.id = 2,
                                    .state = "chan send (nil chan)",
                                    .function = "send_on_nil",
                                    .blocks_at = "BLOCKS-HERE nil-send",
                                    .created_in = "nil_channels",
                                    .created_at = "GO-HERE nil-sender"}});
}

TEST(DetectorDeadlock, SelectWithNoReadyCase) {
  expect_deadlock("select-nothing-ready",
                  {{.id = 1,
                    .state = "select",
                    .function = "select_nothing_ready",
                    .blocks_at = "BLOCKS-HERE select"}});
}

TEST(DetectorDeadlock, SelectWithNoCases) {
  expect_deadlock("select-without-cases",
                  {{.id = 1,
                    .state = "semacquire",
                    .function = "select_without_cases",
                    .blocks_at = "BLOCKS-HERE wait-empty-select"},
                   {.id = 2,
                    .state = "select (no cases)",
                    .function = "select_forever",
                    .blocks_at = "BLOCKS-HERE empty-select",
                    .created_in = "select_without_cases",
                    .created_at = "GO-HERE empty-select"}});
}

TEST(DetectorDeadlock, RangeOverChannelNeverClosed) {
  expect_deadlock("range-never-closed", {{.id = 1,
                                          .state = "chan receive",
                                          .function = "range_never_closed",
                                          .blocks_at = "BLOCKS-HERE range"}});
}

// The producers have exited, so main is the only goroutine left to list.
TEST(DetectorDeadlock, ProducersFinishedMainWaitsForMore) {
  expect_deadlock("producers-finished",
                  {{.id = 1,
                    .state = "chan receive",
                    .function = "producers_finished",
                    .blocks_at = "BLOCKS-HERE fourth-value"}});
}

TEST(DetectorDeadlock, RWMutexWriterRelocks) {
  expect_deadlock("rwmutex-relock", {{.id = 1,
                                      .state = "sync.RWMutex.Lock",
                                      .function = "rwmutex_relock",
                                      .blocks_at = "BLOCKS-HERE write-relock"},
                                     {.id = 2,
                                      .state = "sync.RWMutex.RLock",
                                      .function = "read_table",
                                      .blocks_at = "BLOCKS-HERE read-lock",
                                      .created_in = "rwmutex_relock",
                                      .created_at = "GO-HERE reader"}});
}

// Go shows a Once waiting for itself as waiting on the Once's mutex.
TEST(DetectorDeadlock, OnceCalledFromItsOwnFunction) {
  expect_deadlock("once-recursive", {{.id = 1,
                                      .state = "sync.Mutex.Lock",
                                      .function = "init_again",
                                      .blocks_at = "BLOCKS-HERE once-again"}});
}

TEST(DetectorDeadlock, ReportedOncePlainThreadEnds) {
  expect_deadlock("after-plain-thread",
                  {{.id = 1,
                    .state = "chan receive",
                    .function = "after_plain_thread",
                    .blocks_at = "BLOCKS-HERE after-plain-thread"}});
}

}  // namespace
}  // namespace detector_test

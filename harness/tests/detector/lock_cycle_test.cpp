// Lock cycles: goroutines each waiting for a Mutex held by the next must
// end the program with "fatal error: lock cycle", even while main runs.
#include <chrono>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixture_run.hpp"
#include "goroutine_dump.hpp"

namespace detector_test {
namespace {

constexpr std::string_view kHeadline =
    "fatal error: lock cycle: goroutines wait for each other's mutexes - "
    "deadlock!\n";

const FixtureSource& source() {
  static const FixtureSource fixture(RACECOURSE_DETECTOR_FIXTURE_DIR
                                     "/lock_cycles.cpp");
  return fixture;
}

// One member of the expected cycle: who it is, where it waits, which
// goroutine holds the mutex it waits for and where that one locked it.
struct CycleMember {
  ExpectedGoroutine goroutine;
  std::int64_t held_by = 0;
  std::string locked_at;
};

// "waits for mutex <address> held by goroutine <id>, locked at <file:line>"
const std::regex kWaitsFor(
    R"(^waits for mutex (\S+) held by goroutine (\d+), locked at (.+):(\d+)$)");

void expect_waits_for_note(const DumpEntry& entry, const CycleMember& member) {
  SCOPED_TRACE("goroutine " + std::to_string(entry.id));
  ASSERT_EQ(entry.notes.size(), 1u) << "expected one 'waits for mutex' line";
  std::smatch match;
  ASSERT_TRUE(std::regex_match(entry.notes[0], match, kWaitsFor))
      << entry.notes[0];
  EXPECT_EQ(std::stoll(match[2]), member.held_by) << entry.notes[0];
  EXPECT_TRUE(same_file(match[3], source().path())) << entry.notes[0];
  EXPECT_EQ(std::stoi(match[4]), source().line_of(member.locked_at))
      << entry.notes[0];
}

void expect_mutex_json(const nlohmann::json& mutexes,
                       const CycleMember& member) {
  SCOPED_TRACE("mutex waited for by goroutine " +
               std::to_string(member.goroutine.id));
  const nlohmann::json* found = nullptr;
  for (const nlohmann::json& mutex : mutexes) {
    if (mutex.value("waiter", std::int64_t{0}) == member.goroutine.id) {
      found = &mutex;
    }
  }
  ASSERT_NE(found, nullptr) << mutexes.dump();
  EXPECT_EQ(found->value("held_by", std::int64_t{0}), member.held_by);
  const nlohmann::json& locked_at = (*found)["locked_at"];
  EXPECT_TRUE(same_file(locked_at.value("file", ""), source().path()))
      << locked_at.dump();
  EXPECT_EQ(locked_at.value("line", 0), source().line_of(member.locked_at))
      << locked_at.dump();
}

// Runs `scenario` and checks the lock cycle report: message, one entry per
// member with its "waits for" line, exit status, JSON event and TSan logs.
// TSan's own lock-order-inversion report about the same cycle is correct
// and allowed; any other TSan report fails.
FixtureRun expect_lock_cycle(const std::string& scenario,
                             const std::vector<CycleMember>& cycle) {
  FixtureRun run = run_fixture(RACECOURSE_DETECTOR_LOCK_CYCLES, scenario);
  const std::string& err = run.child.err;
  EXPECT_FALSE(run.child.timed_out) << "stderr:\n" << err;
  EXPECT_EQ(run.child.exit_status, 2)
      << describe_end(run.child) << "; stderr:\n"
      << err << "\nstdout:\n"
      << run.child.out;
  EXPECT_EQ(err.rfind(kHeadline, 0), 0u) << "stderr:\n" << err;

  const nlohmann::json* event = run.find_event("fatal", "lock_cycle");
  if (event == nullptr) {
    ADD_FAILURE() << "no lock_cycle event among " << run.events.size()
                  << " events";
    return run;
  }
  std::vector<ExpectedGoroutine> goroutines;
  for (const CycleMember& member : cycle) {
    goroutines.push_back(member.goroutine);
  }
  const std::vector<DumpEntry> dump = parse_dump(err);
  expect_goroutines(dump, (*event)["goroutines"], goroutines, source());
  const nlohmann::json& mutexes = (*event)["mutexes"];
  EXPECT_EQ(mutexes.size(), cycle.size()) << mutexes.dump();
  for (const CycleMember& member : cycle) {
    for (const DumpEntry& entry : dump) {
      if (entry.id == member.goroutine.id) {
        expect_waits_for_note(entry, member);
      }
    }
    expect_mutex_json(mutexes, member);
  }
  expect_tsan_clean(run, "lock-order-inversion");
  return run;
}

const std::vector<CycleMember>& abba_cycle() {
  static const std::vector<CycleMember> cycle = {
      {{.id = 2,
        .state = "sync.Mutex.Lock",
        .function = "transfer_a_to_b",
        .blocks_at = "BLOCKS-HERE wait-b",
        .created_in = "start_transfers",
        .created_at = "GO-HERE a-to-b"},
       3,
       "LOCKED-HERE b"},
      {{.id = 3,
        .state = "sync.Mutex.Lock",
        .function = "transfer_b_to_a",
        .blocks_at = "BLOCKS-HERE wait-a",
        .created_in = "start_transfers",
        .created_at = "GO-HERE b-to-a"},
       2,
       "LOCKED-HERE a"},
  };
  return cycle;
}

TEST(DetectorLockCycle, AbbaWhileMainWaits) {
  expect_lock_cycle("abba-main-waits", abba_cycle());
}

// Main keeps running, so this is no global deadlock: only the cycle check
// can end it. The fixture gives up after 15 s and prints that on stdout.
TEST(DetectorLockCycle, AbbaWhileMainKeepsRunning) {
  const FixtureRun run = expect_lock_cycle("abba-main-runs", abba_cycle());
  EXPECT_EQ(run.child.out.find("no lock cycle reported"), std::string::npos)
      << run.child.out;
  EXPECT_LT(run.child.elapsed, std::chrono::seconds(15))
      << "the cycle was not reported while main ran";
}

TEST(DetectorLockCycle, RingOfThreeGoroutines) {
  std::vector<CycleMember> cycle;
  for (std::int64_t id = 2; id <= 4; ++id) {
    cycle.push_back({{.id = id,
                      .state = "sync.Mutex.Lock",
                      .function = "dine",
                      .blocks_at = "BLOCKS-HERE right-fork",
                      .created_in = "ring_of_three",
                      .created_at = "GO-HERE philosopher"},
                     id == 4 ? 2 : id + 1,
                     "LOCKED-HERE left-fork"});
  }
  expect_lock_cycle("ring-of-three", cycle);
}

// Locking a Mutex one already holds is a cycle of one goroutine.
TEST(DetectorLockCycle, SelfLockIsCycleOfOne) {
  expect_lock_cycle("self-lock", {{{.id = 1,
                                    .state = "sync.Mutex.Lock",
                                    .function = "self_lock",
                                    .blocks_at = "BLOCKS-HERE self"},
                                   1,
                                   "LOCKED-HERE self"}});
}

}  // namespace
}  // namespace detector_test

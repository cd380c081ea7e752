// select, in process: which cases it may pick, the default case, nil
// channels, callbacks that use channels, move-only values, and a
// chi-square check that the choice among ready cases is uniform.
#include <array>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "racecourse/go.hpp"

#include "test_support.hpp"

namespace rc = racecourse;
using runtime_test::go_and_wait_until_parked;
using runtime_test::recv_bounded;
using runtime_test::run_bounded;

namespace {

constexpr int kPicks = 10'000;

// Pearson's chi-square statistic of `counts` against a uniform spread.
template <std::size_t N>
double chi_square(const std::array<int, N>& counts) {
  double total = 0;
  for (int count : counts) {
    total += count;
  }
  const double expected = total / N;
  double statistic = 0;
  for (int count : counts) {
    statistic += (count - expected) * (count - expected) / expected;
  }
  return statistic;
}

// Critical values for p = 0.0001, so a correct select fails one run in
// ten thousand: chi-square with 1 and 3 degrees of freedom.
constexpr double kCritical1 = 15.137;
constexpr double kCritical3 = 21.108;

TEST(Select, PicksTheOnlyReadyCase) {
  auto empty = rc::make_chan<int>(1);
  auto ready = rc::make_chan<int>(1);
  auto full = rc::make_chan<int>(1);
  full.send(0);
  for (int i = 0; i < 1000; ++i) {
    ready.send(i);
    int picked = -1;
    rc::select(rc::on_recv(empty, [&picked](int) { picked = 0; }),
               rc::on_recv(ready, [&picked](int) { picked = 1; }),
               rc::on_send(full, 5, [&picked] { picked = 2; }));
    ASSERT_EQ(picked, 1) << "at pick " << i;
  }
}

TEST(Select, RunsOtherwiseWhenNoneReady) {
  auto empty = rc::make_chan<int>(1);
  auto full = rc::make_chan<int>(1);
  auto unbuffered = rc::make_chan<int>();
  full.send(0);
  std::string picked;
  rc::select(rc::on_recv(empty, [&picked](int) { picked = "empty"; }),
             rc::on_send(full, 1, [&picked] { picked = "full"; }),
             rc::on_send(unbuffered, 1, [&picked] { picked = "unbuffered"; }),
             rc::on_recv(unbuffered, [&picked](int) { picked = "recv"; }),
             rc::otherwise([&picked] { picked = "otherwise"; }));
  EXPECT_EQ(picked, "otherwise");
  EXPECT_EQ(full.len(), 1U);
}

TEST(Select, PrefersReadyCaseOverOtherwise) {
  auto ready = rc::make_chan<int>(1);
  for (int i = 0; i < 1000; ++i) {
    ready.send(i);
    int got = -1;
    rc::select(rc::on_recv(ready, [&got](int v) { got = v; }),
               rc::otherwise([&got] { got = -2; }));
    ASSERT_EQ(got, i);
  }
}

TEST(Select, OnlyOtherwise) {
  bool ran = false;
  rc::select(rc::otherwise([&ran] { ran = true; }));
  EXPECT_TRUE(ran);
}

TEST(Select, NilChannelCaseIsNeverReady) {
  rc::Chan<int> nil;
  auto ready = rc::make_chan<int>(1);
  for (int i = 0; i < 1000; ++i) {
    ready.send(i);
    int picked = -1;
    rc::select(rc::on_recv(nil, [&picked](int) { picked = 0; }),
               rc::on_send(nil, 1, [&picked] { picked = 1; }),
               rc::on_recv(ready, [&picked](int) { picked = 2; }));
    ASSERT_EQ(picked, 2) << "at pick " << i;
  }
  bool fell_through = false;
  rc::select(rc::on_recv(nil, [](int) {}), rc::on_send(nil, 1, [] {}),
             rc::otherwise([&fell_through] { fell_through = true; }));
  EXPECT_TRUE(fell_through);
}

TEST(Select, RecvOkSeesClose) {
  auto ch = rc::make_chan<int>();
  ch.close();
  bool called = false;
  rc::select(rc::on_recv_ok(ch, [&called](int value, bool ok) {
    called = true;
    EXPECT_EQ(value, 0);
    EXPECT_FALSE(ok);
  }));
  EXPECT_TRUE(called);
}

TEST(Select, BlocksUntilACaseIsReady) {
  auto a = rc::make_chan<int>();
  auto b = rc::make_chan<int>();
  auto result = rc::make_chan<int>(1);
  go_and_wait_until_parked(
      [a, b, result] {
        rc::select(rc::on_recv(a, [result](int v) { result.send(v); }),
                   rc::on_recv(b, [result](int v) { result.send(-v); }));
      },
      "the select parks");
  EXPECT_EQ(result.len(), 0U);
  b.send(3);
  EXPECT_EQ(recv_bounded(result, "the select's callback").value, -3);
  EXPECT_FALSE([&] {
    bool sent = false;
    rc::select(rc::on_send(a, 1, [&sent] { sent = true; }),
               rc::otherwise([] {}));
    return sent;
  }()) << "the select that already fired still waits on its other case";
}

TEST(Select, BlockedSendCaseDelivers) {
  auto ch = rc::make_chan<int>();
  auto done = rc::make_chan<int>(1);
  go_and_wait_until_parked(
      [ch, done] { rc::select(rc::on_send(ch, 42, [done] { done.send(1); })); },
      "the sending select parks");
  EXPECT_EQ(recv_bounded(ch, "the value from the select").value, 42);
  EXPECT_EQ(recv_bounded(done, "the send case's callback").value, 1);
}

TEST(Select, CallbackMayUseChannels) {
  auto ch = rc::make_chan<int>(1);
  auto other = rc::make_chan<int>(1);
  ch.send(1);
  run_bounded(
      [ch, other] {
        rc::select(rc::on_recv(ch, [ch, other](int v) {
          ch.send(v + 1);
          rc::select(rc::on_send(other, v + 2, [] {}));
        }));
      },
      "a select whose callback uses the same channel");
  EXPECT_EQ(ch.recv(), 2);
  EXPECT_EQ(other.recv(), 3);
}

TEST(Select, MoveOnlyValues) {
  auto ch = rc::make_chan<std::unique_ptr<int>>(1);
  rc::select(rc::on_send(ch, std::make_unique<int>(9), [] {}));
  std::unique_ptr<int> got;
  rc::select(
      rc::on_recv(ch, [&got](std::unique_ptr<int> p) { got = std::move(p); }));
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(*got, 9);

  auto unbuffered = rc::make_chan<std::unique_ptr<int>>();
  rc::go([unbuffered] {
    rc::select(rc::on_send(unbuffered, std::make_unique<int>(10), [] {}));
  });
  auto received = recv_bounded(unbuffered, "the move-only value");
  ASSERT_NE(received.value, nullptr);
  EXPECT_EQ(*received.value, 10);
}

TEST(Select, UnchosenSendValueIsNotConsumed) {
  auto ready = rc::make_chan<std::unique_ptr<int>>(1);
  auto full = rc::make_chan<std::unique_ptr<int>>(1);
  full.send(std::make_unique<int>(0));
  rc::select(rc::on_send(ready, std::make_unique<int>(1), [] {}),
             rc::on_send(full, std::make_unique<int>(2), [] {}));
  EXPECT_EQ(ready.len(), 1U);
  EXPECT_EQ(*full.recv(), 0);
  EXPECT_EQ(full.len(), 0U);
}

TEST(SelectFairness, TwoReadyReceives) {
  std::array<rc::Chan<int>, 2> chans = {rc::make_chan<int>(1),
                                        rc::make_chan<int>(1)};
  std::array<int, 2> counts{};
  for (auto& ch : chans) {
    ch.send(0);
  }
  for (int i = 0; i < kPicks; ++i) {
    int picked = -1;
    rc::select(rc::on_recv(chans[0], [&picked](int) { picked = 0; }),
               rc::on_recv(chans[1], [&picked](int) { picked = 1; }));
    ASSERT_GE(picked, 0);
    ++counts[static_cast<std::size_t>(picked)];
    chans[static_cast<std::size_t>(picked)].send(0);
  }
  EXPECT_LT(chi_square(counts), kCritical1)
      << "picks: " << counts[0] << " and " << counts[1];
}

TEST(SelectFairness, FourReadyMixedCases) {
  auto in_a = rc::make_chan<int>(1);
  auto in_b = rc::make_chan<int>(1);
  auto out_a = rc::make_chan<int>(1);
  auto out_b = rc::make_chan<int>(1);
  in_a.send(0);
  in_b.send(0);
  std::array<int, 4> counts{};
  for (int i = 0; i < kPicks; ++i) {
    int picked = -1;
    rc::select(rc::on_recv(in_a, [&picked](int) { picked = 0; }),
               rc::on_recv(in_b, [&picked](int) { picked = 1; }),
               rc::on_send(out_a, 0, [&picked] { picked = 2; }),
               rc::on_send(out_b, 0, [&picked] { picked = 3; }),
               rc::otherwise([] {}));
    ASSERT_GE(picked, 0) << "no case was ready at pick " << i;
    ++counts[static_cast<std::size_t>(picked)];
    // Restore every case to ready.
    if (picked == 0) {
      in_a.send(0);
    } else if (picked == 1) {
      in_b.send(0);
    } else if (picked == 2) {
      out_a.recv();
    } else {
      out_b.recv();
    }
  }
  EXPECT_LT(chi_square(counts), kCritical3)
      << "picks: " << counts[0] << ", " << counts[1] << ", " << counts[2]
      << ", " << counts[3];
}

TEST(SelectFairness, ChiSquareRejectsBias) {
  // The check itself must be able to fail: a 53/47 split over 10,000 picks
  // is beyond the critical value.
  EXPECT_GT(chi_square(std::array<int, 2>{5300, 4700}), kCritical1);
  EXPECT_LT(chi_square(std::array<int, 2>{5050, 4950}), kCritical1);
}

}  // namespace

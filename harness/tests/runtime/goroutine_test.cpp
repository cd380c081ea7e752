// go() with every kind of callable and argument, goroutine ids, after()
// and sleep_for(), in process.
#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "racecourse/go.hpp"

#include "test_support.hpp"

namespace rc = racecourse;
using runtime_test::recv_bounded;

namespace {

// A callable that reports on `out` how it was invoked.
struct Reporter {
  rc::Chan<std::string> out;
  void operator()(const std::string& tag) const { out.send("const " + tag); }
};

TEST(Goroutine, LvalueCallableIsCopied) {
  auto out = rc::make_chan<int>(1);
  int base = 10;
  auto add = [out, base](int x) {
    out.send(base + x);
  };
  rc::go(add, 5);
  EXPECT_EQ(recv_bounded(out, "the lvalue callable").value, 15);
  rc::go(add, 6);
  EXPECT_EQ(recv_bounded(out, "the same callable again").value, 16);
}

TEST(Goroutine, ConstCallableAndArguments) {
  const Reporter reporter{rc::make_chan<std::string>(1)};
  const std::string tag = "argument";
  rc::go(reporter, tag);
  EXPECT_EQ(recv_bounded(reporter.out, "the const callable").value,
            "const argument");
}

TEST(Goroutine, MoveOnlyCallable) {
  auto out = rc::make_chan<int>(1);
  auto owned = std::make_unique<int>(21);
  rc::go([out, owned = std::move(owned)] { out.send(*owned * 2); });
  EXPECT_EQ(recv_bounded(out, "the move-only callable").value, 42);
}

TEST(Goroutine, MoveOnlyArguments) {
  auto out = rc::make_chan<std::unique_ptr<int>>(1);
  rc::go(
      [](rc::Chan<std::unique_ptr<int>> to, std::unique_ptr<int> value) {
        *value += 1;
        to.send(std::move(value));
      },
      out, std::make_unique<int>(1));
  auto got = recv_bounded(out, "the moved argument");
  ASSERT_NE(got.value, nullptr);
  EXPECT_EQ(*got.value, 2);
}

TEST(Goroutine, LvalueArgumentIsCopied) {
  auto out = rc::make_chan<std::string>(1);
  auto gate = rc::make_chan<int>();
  std::string text = "before";
  rc::go(
      [out, gate](std::string copy) {
        gate.recv();
        out.send(copy);
      },
      text);
  text = "after";
  gate.send(0);
  EXPECT_EQ(recv_bounded(out, "the copied argument").value, "before");
}

TEST(Goroutine, ReferenceWrapperArgument) {
  auto done = rc::make_chan<int>(1);
  int target = 0;
  rc::go(
      [done](int& ref) {
        ref = 7;
        done.send(0);
      },
      std::ref(target));
  recv_bounded(done, "the goroutine writing through std::ref");
  EXPECT_EQ(target, 7);
}

TEST(Goroutine, FunctionPointer) {
  static rc::Chan<int> out = rc::make_chan<int>(1);
  rc::go(
      +[](int v) { out.send(v); }, 3);
  EXPECT_EQ(recv_bounded(out, "the function pointer").value, 3);
}

TEST(Goroutine, NamedGoroutine) {
  auto out = rc::make_chan<int>(1);
  rc::go(
      rc::GoName{"producer"}, [out](int v) { out.send(v); }, 8);
  EXPECT_EQ(recv_bounded(out, "the named goroutine").value, 8);
}

TEST(Goroutine, MainIsOne) {
  EXPECT_EQ(rc::goroutine_id(), 1);
}

TEST(Goroutine, IdsAreDistinctAndNotOne) {
  constexpr int kGoroutines = 20;
  auto ids = rc::make_chan<std::int64_t>(kGoroutines);
  for (int i = 0; i < kGoroutines; ++i) {
    rc::go([ids] { ids.send(rc::goroutine_id()); });
  }
  std::set<std::int64_t> seen;
  for (int i = 0; i < kGoroutines; ++i) {
    const std::int64_t id = recv_bounded(ids, "a goroutine's id").value;
    EXPECT_GT(id, 1);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kGoroutines));
}

TEST(Goroutine, IdIsStableWithinGoroutine) {
  auto ids = rc::make_chan<std::int64_t>(2);
  rc::go([ids] {
    ids.send(rc::goroutine_id());
    ids.send(rc::goroutine_id());
  });
  const auto first = recv_bounded(ids, "the first id").value;
  EXPECT_EQ(recv_bounded(ids, "the second id").value, first);
}

TEST(Goroutine, ForeignThreadGetsAnId) {
  std::int64_t id = 0;
  std::thread([&id] { id = rc::goroutine_id(); }).join();
  EXPECT_GT(id, 1);
}

TEST(Timer, AfterFiresOnce) {
  const auto start = std::chrono::steady_clock::now();
  auto timer = rc::after(std::chrono::milliseconds(20));
  EXPECT_EQ(timer.cap(), 1U);
  const rc::TimePoint fired = recv_bounded(timer, "the timer").value;
  EXPECT_GE(fired - start, std::chrono::milliseconds(20));
  EXPECT_LE(fired, std::chrono::steady_clock::now());

  // A second value never comes: a later, longer timer wins the select.
  bool second = false;
  rc::select(rc::on_recv(timer, [&second](rc::TimePoint) { second = true; }),
             rc::on_recv(rc::after(std::chrono::milliseconds(50)),
                         [](rc::TimePoint) {}));
  EXPECT_FALSE(second);
}

TEST(Timer, EarlierTimerFiresFirst) {
  auto slow = rc::after(std::chrono::seconds(5));
  auto fast = rc::after(std::chrono::milliseconds(5));
  std::string first;
  rc::select(rc::on_recv(slow, [&first](rc::TimePoint) { first = "slow"; }),
             rc::on_recv(fast, [&first](rc::TimePoint) { first = "fast"; }));
  EXPECT_EQ(first, "fast");
}

TEST(Timer, SleepFor) {
  const auto start = std::chrono::steady_clock::now();
  rc::sleep_for(std::chrono::milliseconds(30));
  EXPECT_GE(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(30));
}

TEST(Timer, SleepingGoroutineIsNotADeadlock) {
  // Main blocks on a channel while the only other goroutine sleeps: the
  // deadlock detector must count the sleeper as awake.
  auto out = rc::make_chan<int>();
  rc::go([out] {
    rc::sleep_for(std::chrono::milliseconds(30));
    out.send(1);
  });
  EXPECT_EQ(out.recv(), 1);
}

}  // namespace

// WaitGroup, Mutex, RWMutex and Once, in process.
#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
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

// Waits for `wg`, bounded.
void wait_bounded(rc::WaitGroup& wg, const std::string& what) {
  run_bounded([&wg] { wg.wait(); }, what);
}

TEST(WaitGroup, WaitReturnsAtOnceWhenZero) {
  rc::WaitGroup wg;
  wait_bounded(wg, "wait() on a fresh WaitGroup");
  wg.add(2);
  wg.done();
  wg.done();
  wait_bounded(wg, "wait() after the counter returned to zero");
}

TEST(WaitGroup, WaitBlocksUntilEveryDone) {
  rc::WaitGroup wg;
  auto released = rc::make_chan<int>(1);
  wg.add(3);
  go_and_wait_until_parked(
      [&wg, released] {
        wg.wait();
        released.send(1);
      },
      "the waiter parks in wait");
  wg.done();
  wg.done();
  EXPECT_EQ(released.len(), 0U);
  wg.done();
  EXPECT_EQ(recv_bounded(released, "the waiter's release").value, 1);
}

TEST(WaitGroup, ReleasesEveryWaiter) {
  rc::WaitGroup wg;
  auto released = rc::make_chan<int>(3);
  wg.add(1);
  for (int i = 0; i < 3; ++i) {
    go_and_wait_until_parked(
        [&wg, released] {
          wg.wait();
          released.send(1);
        },
        "a waiter parks in wait");
  }
  EXPECT_EQ(released.len(), 0U);
  wg.done();
  for (int i = 0; i < 3; ++i) {
    recv_bounded(released, "every waiter's release");
  }
}

TEST(WaitGroup, SignedAdd) {
  rc::WaitGroup wg;
  auto released = rc::make_chan<int>(1);
  wg.add(5);
  wg.add(-2);
  go_and_wait_until_parked(
      [&wg, released] {
        wg.wait();
        released.send(1);
      },
      "the waiter parks in wait");
  wg.add(-2);
  EXPECT_EQ(released.len(), 0U);
  wg.add(-1);
  EXPECT_EQ(recv_bounded(released, "the release by add(-1)").value, 1);
}

TEST(WaitGroup, ManyGoroutines) {
  constexpr int kGoroutines = 64;
  rc::WaitGroup wg;
  std::atomic<int> finished{0};
  wg.add(kGoroutines);
  for (int i = 0; i < kGoroutines; ++i) {
    rc::go([&] {
      ++finished;
      wg.done();
    });
  }
  wait_bounded(wg, "64 goroutines to call done()");
  EXPECT_EQ(finished, kGoroutines);
}

TEST(WaitGroup, ReusableAfterWait) {
  rc::WaitGroup wg;
  for (int round = 0; round < 3; ++round) {
    wg.add(1);
    rc::go([&wg] { wg.done(); });
    wait_bounded(wg, "a reused WaitGroup");
  }
}

TEST(Mutex, MutualExclusion) {
  constexpr int kGoroutines = 8;
  constexpr int kRounds = 2000;
  rc::Mutex mu;
  rc::WaitGroup wg;
  std::atomic<int> inside{0};
  std::atomic<int> overlaps{0};
  long counter = 0;
  wg.add(kGoroutines);
  for (int g = 0; g < kGoroutines; ++g) {
    rc::go([&] {
      for (int i = 0; i < kRounds; ++i) {
        mu.lock();
        if (inside.fetch_add(1) != 0) {
          ++overlaps;
        }
        ++counter;
        inside.fetch_sub(1);
        mu.unlock();
      }
      wg.done();
    });
  }
  wait_bounded(wg, "the lockers to finish");
  EXPECT_EQ(overlaps, 0);
  EXPECT_EQ(counter, kGoroutines * kRounds);
}

TEST(Mutex, TryLock) {
  rc::Mutex mu;
  EXPECT_TRUE(mu.try_lock());
  EXPECT_FALSE(mu.try_lock());
  auto result = rc::make_chan<bool>(1);
  rc::go([&mu, result] { result.send(mu.try_lock()); });
  EXPECT_FALSE(recv_bounded(result, "try_lock in another goroutine").value);
  mu.unlock();
  EXPECT_TRUE(mu.try_lock());
  mu.unlock();
}

TEST(Mutex, LockBlocksUntilUnlock) {
  rc::Mutex mu;
  auto locked = rc::make_chan<int>(1);
  mu.lock();
  go_and_wait_until_parked(
      [&mu, locked] {
        mu.lock();
        mu.unlock();
        locked.send(1);
      },
      "the second locker parks in lock");
  EXPECT_EQ(locked.len(), 0U);
  mu.unlock();
  EXPECT_EQ(recv_bounded(locked, "the second locker").value, 1);
}

TEST(Mutex, StandardLockHelpers) {
  rc::Mutex a;
  rc::Mutex b;
  {
    std::lock_guard<rc::Mutex> guard(a);
    EXPECT_FALSE(a.try_lock());
  }
  EXPECT_TRUE(a.try_lock());
  a.unlock();
  {
    std::unique_lock<rc::Mutex> lock(a);
    EXPECT_TRUE(lock.owns_lock());
    lock.unlock();
    EXPECT_TRUE(a.try_lock());
    a.unlock();
    EXPECT_TRUE(lock.try_lock());
  }
  {
    std::scoped_lock both(a, b);
    EXPECT_FALSE(a.try_lock());
    EXPECT_FALSE(b.try_lock());
  }
  EXPECT_TRUE(a.try_lock());
  EXPECT_TRUE(b.try_lock());
  b.unlock();
  a.unlock();
}

// Runs a scenario of the unlock_elsewhere fixture. TSan reports an unlock
// from another goroutine as misuse, and the mutex as still locked when it is
// destroyed (the NOTE on Mutex), so the scenarios run in a child with the
// TSan flags that silence both.
runtime_test::ChildResult run_unlock_elsewhere(const std::string& scenario) {
  return runtime_test::run_child(
      {std::string(RACECOURSE_TEST_FIXTURE_DIR) +
           "/runtime_fixture_unlock_elsewhere",
       scenario},
      {"TSAN_OPTIONS=report_mutex_bugs=0:report_destroy_locked=0"});
}

TEST(Mutex, UnlockByAnotherGoroutine) {
  const runtime_test::ChildResult result =
      run_unlock_elsewhere("unlock-elsewhere");
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(result.out, "unlock_elsewhere: ok\n");
}

TEST(RWMutex, ReadersShare) {
  rc::RWMutex mu;
  mu.lock_shared();
  auto result = rc::make_chan<int>(1);
  run_bounded(
      [&mu, result] {
        mu.lock_shared();
        mu.unlock_shared();
        result.send(1);
      },
      "a second reader while the first holds the lock");
  EXPECT_TRUE(mu.try_lock_shared());
  mu.unlock_shared();
  mu.unlock_shared();
  EXPECT_EQ(result.recv(), 1);
}

TEST(RWMutex, WriterExcludesReadersAndWriters) {
  rc::RWMutex mu;
  mu.lock();
  EXPECT_FALSE(mu.try_lock());
  EXPECT_FALSE(mu.try_lock_shared());
  auto order = rc::make_chan<std::string>(2);
  go_and_wait_until_parked(
      [&mu, order] {
        mu.lock_shared();
        mu.unlock_shared();
        order.send("reader");
      },
      "a reader parks behind the writer");
  EXPECT_EQ(order.len(), 0U);
  mu.unlock();
  EXPECT_EQ(recv_bounded(order, "the reader after unlock").value, "reader");
}

TEST(RWMutex, ReaderExcludesWriter) {
  rc::RWMutex mu;
  mu.lock_shared();
  EXPECT_FALSE(mu.try_lock());
  auto locked = rc::make_chan<int>(1);
  go_and_wait_until_parked(
      [&mu, locked] {
        mu.lock();
        mu.unlock();
        locked.send(1);
      },
      "a writer parks behind the reader");
  EXPECT_EQ(locked.len(), 0U);
  mu.unlock_shared();
  EXPECT_EQ(recv_bounded(locked, "the writer after unlock_shared").value, 1);
}

TEST(RWMutex, WaitingWriterBlocksNewReaders) {
  rc::RWMutex mu;
  rc::WaitGroup unlocked;
  // Each goroutine records its turn while it holds the lock; the buffer
  // has room for both, so recording never blocks.
  auto order = rc::make_chan<std::string>(2);
  unlocked.add(2);
  mu.lock_shared();
  go_and_wait_until_parked(
      [&mu, &unlocked, order] {
        mu.lock();
        order.send("writer");
        mu.unlock();
        unlocked.done();
      },
      "a writer parks behind the reader");
  EXPECT_FALSE(mu.try_lock_shared())
      << "a new reader got in ahead of a waiting writer";
  go_and_wait_until_parked(
      [&mu, &unlocked, order] {
        mu.lock_shared();
        order.send("reader");
        mu.unlock_shared();
        unlocked.done();
      },
      "a new reader parks behind the waiting writer");
  EXPECT_EQ(order.len(), 0U);
  mu.unlock_shared();
  EXPECT_EQ(recv_bounded(order, "the writer").value, "writer");
  EXPECT_EQ(recv_bounded(order, "the reader").value, "reader");
  wait_bounded(unlocked, "both goroutines to unlock");
}

TEST(RWMutex, StandardLockHelpers) {
  rc::RWMutex mu;
  {
    std::shared_lock<rc::RWMutex> reader(mu);
    std::shared_lock<rc::RWMutex> second(mu);
    EXPECT_FALSE(mu.try_lock());
  }
  {
    std::unique_lock<rc::RWMutex> writer(mu);
    EXPECT_FALSE(mu.try_lock_shared());
  }
  EXPECT_TRUE(mu.try_lock());
  mu.unlock();
}

TEST(Once, RunsOnceUnderContention) {
  constexpr int kCallers = 16;
  rc::Once once;
  rc::WaitGroup wg;
  std::atomic<int> runs{0};
  std::atomic<int> saw_unfinished{0};
  wg.add(kCallers);
  for (int i = 0; i < kCallers; ++i) {
    rc::go([&] {
      once.call([&runs] { ++runs; });
      if (runs.load() != 1) {
        ++saw_unfinished;
      }
      wg.done();
    });
  }
  wait_bounded(wg, "every Once caller to return");
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(saw_unfinished, 0) << "call() returned before f had run";
}

TEST(Once, WaitersReturnOnlyAfterFReturns) {
  rc::Once once;
  auto release = rc::make_chan<int>();
  auto returned = rc::make_chan<int>(1);
  std::atomic<bool> f_done{false};
  go_and_wait_until_parked(
      [&once, &f_done, release] {
        once.call([&f_done, release] {
          release.recv();
          f_done = true;
        });
      },
      "f parks inside call");
  go_and_wait_until_parked(
      [&once, &f_done, returned] {
        once.call([] {});
        returned.send(f_done ? 1 : 0);
      },
      "a second caller parks in call");
  EXPECT_EQ(returned.len(), 0U);
  release.send(0);
  EXPECT_EQ(recv_bounded(returned, "the second caller").value, 1);
}

TEST(Once, ThrowingFunctionCountsAsDone) {
  rc::Once once;
  int runs = 0;
  EXPECT_THROW(once.call([&runs] {
    ++runs;
    throw std::runtime_error("first call fails");
  }),
               std::runtime_error);
  once.call([&runs] { ++runs; });
  EXPECT_EQ(runs, 1);
}

}  // namespace

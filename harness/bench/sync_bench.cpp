// Mutex and WaitGroup, each beside a standard-library baseline doing the
// same work:
// - Mutex lock and unlock, uncontended and contended by two threads,
//   beside std::mutex;
// - WaitGroup add(1), done(), wait() in one goroutine, and a fan-in of two
//   goroutines per round, beside a counter under a std::mutex with a
//   std::condition_variable.
// The contended and fan-in benchmarks span several threads and report the
// CPU time of the whole process (MeasureProcessCPUTime) beside wall-clock
// time (UseRealTime). The single-threaded ones report the CPU time of
// their thread. README.md compares CPU times, because other processes on
// the machine inflate wall-clock time far more.
#include <array>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>

#include <benchmark/benchmark.h>

#include "racecourse/go.hpp"

#include "context_switches.hpp"

namespace {

// The standard-library counterpart of a WaitGroup: a counter under a mutex,
// with a condition variable that wait() sleeps on until it is zero.
// done() notifies after unlocking, so the counter must outlive every
// done() call (the benchmarks join their threads before destroying it).
class StdWaitCounter {
 public:
  void add(std::int64_t delta) {
    bool reached_zero = false;
    {
      std::lock_guard lock(mutex_);
      count_ += delta;
      reached_zero = count_ == 0;
    }
    if (reached_zero) {
      zero_.notify_all();
    }
  }

  void done() { add(-1); }

  void wait() {
    std::unique_lock lock(mutex_);
    zero_.wait(lock, [this] { return count_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable zero_;
  std::int64_t count_ = 0;  // guarded by mutex_
};

// Locks and unlocks `mutex` once per iteration around an increment.
template <class Lockable>
void lock_unlock_loop(benchmark::State& state,
                      Lockable& mutex,
                      std::int64_t& counter) {
  for (auto _ : state) {
    std::lock_guard lock(mutex);
    ++counter;
  }
}

void BM_MutexUncontended(benchmark::State& state) {
  racecourse::Mutex mutex;
  std::int64_t counter = 0;
  lock_unlock_loop(state, mutex, counter);
  benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_MutexUncontended);

void BM_StdMutexUncontended(benchmark::State& state) {
  std::mutex mutex;
  std::int64_t counter = 0;
  lock_unlock_loop(state, mutex, counter);
  benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_StdMutexUncontended);

// Two benchmark threads share one mutex and one counter. Google Benchmark
// divides the time by the iterations of both threads, so the figure is
// the cost of one lock and unlock under contention. Thread 0 reports
// the context switches of both threads over its own loop.
void BM_MutexContended(benchmark::State& state) {
  static racecourse::Mutex mutex;
  static std::int64_t counter = 0;
  const std::int64_t switches = racecourse::bench::voluntary_context_switches();
  lock_unlock_loop(state, mutex, counter);
  if (state.thread_index() == 0) {
    racecourse::bench::report_context_switches(state, switches);
  }
}
BENCHMARK(BM_MutexContended)
    ->Threads(2)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

void BM_StdMutexContended(benchmark::State& state) {
  static std::mutex mutex;
  static std::int64_t counter = 0;
  const std::int64_t switches = racecourse::bench::voluntary_context_switches();
  lock_unlock_loop(state, mutex, counter);
  if (state.thread_index() == 0) {
    racecourse::bench::report_context_switches(state, switches);
  }
}
BENCHMARK(BM_StdMutexContended)
    ->Threads(2)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// add(1), done(), wait() per iteration in one thread: wait() never blocks,
// so this is the cost of the bookkeeping alone.
template <class Counter>
void add_done_wait_loop(benchmark::State& state) {
  Counter group;
  for (auto _ : state) {
    group.add(1);
    group.done();
    group.wait();
  }
}

void BM_WaitGroupAddDoneWait(benchmark::State& state) {
  add_done_wait_loop<racecourse::WaitGroup>(state);
}
BENCHMARK(BM_WaitGroupAddDoneWait);

void BM_StdCondVarCounterAddDoneWait(benchmark::State& state) {
  add_done_wait_loop<StdWaitCounter>(state);
}
BENCHMARK(BM_StdCondVarCounterAddDoneWait);

// Fan-in rounds between the main thread and two workers, built from one
// Counter type only (racecourse::WaitGroup or StdWaitCounter), so both
// benchmarks run the same protocol. Each round the main thread opens one
// gate per worker, a Counter at 1 that the worker waits on, and waits on
// `finished_` until both workers have called done(). Each worker has two
// gates used alternately: the gate it meets after a round is already
// armed, and a gate is re-armed only after the wait on it has returned,
// as WaitGroup reuse requires.
//
// NOTE: one gate per worker rather than one shared gate: with two
// goroutines in wait() on one WaitGroup at once, which Go allows, the
// runtime's TSan build reports a data race between the two wait() calls.
template <class Counter>
class FanInRounds {
 public:
  static constexpr std::size_t kWorkers = 2;

  FanInRounds() {
    for (auto& gates : gates_) {
      gates[0].add(1);
    }
  }

  // The loop worker `worker` (0 or 1) runs until stop().
  void work(std::size_t worker) {
    for (std::size_t round = 0;; ++round) {
      gates_[worker][round % 2].wait();
      // The gate's done() ordered the main thread's write of stop_ before
      // this read.
      const bool stopping = stop_;
      finished_.done();
      if (stopping) {
        return;
      }
    }
  }

  // Runs round `round` (0, 1, 2, ... in turn) and returns when both workers
  // have finished it.
  void run_round(std::size_t round) {
    finished_.add(kWorkers);
    for (auto& gates : gates_) {
      gates[(round + 1) % 2].add(1);
    }
    open_gates(round);
    finished_.wait();
  }

  // Releases the workers one last time, after round `round` - 1, and
  // returns once both have left work() or are about to.
  void stop(std::size_t round) {
    stop_ = true;
    finished_.add(kWorkers);
    open_gates(round);
    finished_.wait();
  }

 private:
  void open_gates(std::size_t round) {
    for (auto& gates : gates_) {
      gates[round % 2].done();
    }
  }

  std::array<std::array<Counter, 2>, kWorkers> gates_;
  Counter finished_;
  bool stop_ = false;
};

// Runs a warm-up round (the workers' threads start inside it) and then one
// timed round per iteration.
template <class Counter>
void run_fan_in(benchmark::State& state, FanInRounds<Counter>& rounds) {
  std::size_t round = 0;
  rounds.run_round(round++);
  const std::int64_t switches = racecourse::bench::voluntary_context_switches();
  for (auto _ : state) {
    rounds.run_round(round++);
  }
  racecourse::bench::report_context_switches(state, switches);
  rounds.stop(round);
}

void BM_WaitGroupFanIn(benchmark::State& state) {
  FanInRounds<racecourse::WaitGroup> rounds;
  for (std::size_t i = 0; i < FanInRounds<racecourse::WaitGroup>::kWorkers;
       ++i) {
    racecourse::go(racecourse::GoName{"fan-in worker"},
                   [&rounds, i] { rounds.work(i); });
  }
  // stop() returns after both workers' last done(); past that point they
  // touch nothing of `rounds`, so it may go out of scope.
  run_fan_in(state, rounds);
}
BENCHMARK(BM_WaitGroupFanIn)->MeasureProcessCPUTime()->UseRealTime();

void BM_StdCondVarCounterFanIn(benchmark::State& state) {
  FanInRounds<StdWaitCounter> rounds;
  std::array<std::thread, FanInRounds<StdWaitCounter>::kWorkers> workers;
  for (std::size_t i = 0; i < workers.size(); ++i) {
    workers[i] = std::thread([&rounds, i] { rounds.work(i); });
  }
  run_fan_in(state, rounds);
  for (std::thread& worker : workers) {
    worker.join();
  }
}
BENCHMARK(BM_StdCondVarCounterFanIn)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

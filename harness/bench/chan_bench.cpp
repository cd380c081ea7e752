// Channels and select, each beside a standard-library baseline doing the
// same work:
// - an unbuffered channel round trip (ping and pong between two
//   goroutines) beside a mutex and condition variable hand-off between
//   two std::threads, and, for reference, beside a rendezvous built the
//   same way;
// - a buffered channel carrying values from one producer to one consumer
//   beside a mutex-guarded std::deque with condition variables;
// - select over two ready channels beside a single receive on a ready
//   channel.
// Benchmarks whose work spans two threads report the CPU time of the
// whole process (MeasureProcessCPUTime) beside wall-clock time
// (UseRealTime). The single-threaded select pair reports the CPU time of
// its thread. README.md compares CPU times, because other processes on
// the machine inflate wall-clock time far more.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include <benchmark/benchmark.h>

#include "racecourse/go.hpp"

#include "context_switches.hpp"

namespace {

constexpr std::int64_t kStop = -1;
constexpr std::size_t kQueueCapacity = 128;

// A one-value mailbox, the standard-library side of a ping-pong. put()
// returns once the value is stored, not once it is taken as an unbuffered
// send does. In a round trip the sender waits for the reply anyway, so
// both sides make the same two hand-offs per round.
class StdMailbox {
 public:
  void put(std::int64_t value) {
    {
      std::unique_lock lock(mutex_);
      emptied_.wait(lock, [this] { return !full_; });
      value_ = value;
      full_ = true;
    }
    filled_.notify_one();
  }

  std::int64_t take() {
    std::int64_t value = 0;
    {
      std::unique_lock lock(mutex_);
      filled_.wait(lock, [this] { return full_; });
      value = value_;
      full_ = false;
    }
    emptied_.notify_one();
    return value;
  }

 private:
  std::mutex mutex_;
  std::condition_variable filled_;
  std::condition_variable emptied_;
  std::int64_t value_ = 0;  // guarded by mutex_
  bool full_ = false;       // guarded by mutex_
};

// A rendezvous: put() returns only once take() has the value, as an
// unbuffered channel's send does. Not a target baseline: it shows what the
// channel's semantics cost when built from a mutex and condition
// variables. Meant for one putter and one taker at a time.
class StdRendezvous {
 public:
  void put(std::int64_t value) {
    std::unique_lock lock(mutex_);
    value_ = value;
    full_ = true;
    filled_.notify_one();
    taken_.wait(lock, [this] { return !full_; });
  }

  std::int64_t take() {
    std::int64_t value = 0;
    {
      std::unique_lock lock(mutex_);
      filled_.wait(lock, [this] { return full_; });
      value = value_;
      full_ = false;
    }
    taken_.notify_one();
    return value;
  }

 private:
  std::mutex mutex_;
  std::condition_variable filled_;
  std::condition_variable taken_;
  std::int64_t value_ = 0;  // guarded by mutex_
  bool full_ = false;       // guarded by mutex_
};

// A bounded FIFO queue with close(), the standard-library side of a
// buffered channel.
class StdBoundedQueue {
 public:
  explicit StdBoundedQueue(std::size_t capacity) : capacity_(capacity) {}

  void push(std::int64_t value) {
    {
      std::unique_lock lock(mutex_);
      not_full_.wait(lock, [this] { return items_.size() < capacity_; });
      items_.push_back(value);
    }
    not_empty_.notify_one();
  }

  // Returns the oldest value, or nullopt once closed and drained.
  std::optional<std::int64_t> pop() {
    std::optional<std::int64_t> value;
    {
      std::unique_lock lock(mutex_);
      not_empty_.wait(lock, [this] { return !items_.empty() || closed_; });
      if (items_.empty()) {
        return std::nullopt;
      }
      value = items_.front();
      items_.pop_front();
    }
    not_full_.notify_one();
    return value;
  }

  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    not_empty_.notify_all();
  }

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<std::int64_t> items_;  // guarded by mutex_
  bool closed_ = false;             // guarded by mutex_
};

// One round trip per iteration: the main goroutine sends on `ping`, an
// echo goroutine receives and sends the value back on `pong`.
void BM_ChanSendRecvUnbuffered(benchmark::State& state) {
  auto ping = racecourse::make_chan<std::int64_t>();
  auto pong = racecourse::make_chan<std::int64_t>();
  racecourse::go(racecourse::GoName{"echo"}, [ping, pong] {
    for (const std::int64_t value : ping) {
      pong.send(value);
    }
    pong.close();
  });

  // Warm-up round: the echo goroutine's thread is running before timing.
  ping.send(0);
  std::int64_t value = pong.recv();
  const std::int64_t switches = racecourse::bench::voluntary_context_switches();
  for (auto _ : state) {
    ping.send(value + 1);
    value = pong.recv();
  }
  racecourse::bench::report_context_switches(state, switches);
  benchmark::DoNotOptimize(value);

  // The echo goroutine closes pong once it has seen ping closed.
  ping.close();
  pong.recv_ok();
}
BENCHMARK(BM_ChanSendRecvUnbuffered)->MeasureProcessCPUTime()->UseRealTime();

// The same round trip between two std::threads through two mailboxes.
void BM_StdCondVarPingPong(benchmark::State& state) {
  StdMailbox ping;
  StdMailbox pong;
  std::thread echo([&ping, &pong] {
    for (std::int64_t value = ping.take(); value != kStop;
         value = ping.take()) {
      pong.put(value);
    }
  });

  ping.put(0);
  std::int64_t value = pong.take();
  const std::int64_t switches = racecourse::bench::voluntary_context_switches();
  for (auto _ : state) {
    ping.put(value + 1);
    value = pong.take();
  }
  racecourse::bench::report_context_switches(state, switches);
  benchmark::DoNotOptimize(value);

  ping.put(kStop);
  echo.join();
}
BENCHMARK(BM_StdCondVarPingPong)->MeasureProcessCPUTime()->UseRealTime();

// The round trip through two StdRendezvous, for reference (see there).
void BM_StdCondVarRendezvousPingPong(benchmark::State& state) {
  StdRendezvous ping;
  StdRendezvous pong;
  std::thread echo([&ping, &pong] {
    for (std::int64_t value = ping.take(); value != kStop;
         value = ping.take()) {
      pong.put(value);
    }
  });

  ping.put(0);
  std::int64_t value = pong.take();
  const std::int64_t switches = racecourse::bench::voluntary_context_switches();
  for (auto _ : state) {
    ping.put(value + 1);
    value = pong.take();
  }
  racecourse::bench::report_context_switches(state, switches);
  benchmark::DoNotOptimize(value);

  ping.put(kStop);
  echo.join();
}
BENCHMARK(BM_StdCondVarRendezvousPingPong)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// One value per iteration through a channel of capacity 128, from a
// producer goroutine to the main goroutine.
void BM_ChanBufferedThroughput(benchmark::State& state) {
  auto queue = racecourse::make_chan<std::int64_t>(
      static_cast<std::ptrdiff_t>(kQueueCapacity));
  // One value more than the timed loop takes, for the warm-up receive.
  const std::int64_t count = state.max_iterations + 1;
  racecourse::go(racecourse::GoName{"producer"}, [queue, count] {
    for (std::int64_t i = 0; i < count; ++i) {
      queue.send(i);
    }
    queue.close();
  });

  queue.recv();
  const std::int64_t switches = racecourse::bench::voluntary_context_switches();
  for (auto _ : state) {
    benchmark::DoNotOptimize(queue.recv());
  }
  racecourse::bench::report_context_switches(state, switches);
  // Closed and drained: the producer has sent everything.
  queue.recv_ok();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ChanBufferedThroughput)->MeasureProcessCPUTime()->UseRealTime();

// The same transfer through a StdBoundedQueue between two std::threads.
void BM_StdDequeQueueThroughput(benchmark::State& state) {
  StdBoundedQueue queue(kQueueCapacity);
  const std::int64_t count = state.max_iterations + 1;
  std::thread producer([&queue, count] {
    for (std::int64_t i = 0; i < count; ++i) {
      queue.push(i);
    }
    queue.close();
  });

  queue.pop();
  const std::int64_t switches = racecourse::bench::voluntary_context_switches();
  for (auto _ : state) {
    benchmark::DoNotOptimize(queue.pop());
  }
  racecourse::bench::report_context_switches(state, switches);
  queue.pop();
  producer.join();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StdDequeQueueThroughput)->MeasureProcessCPUTime()->UseRealTime();

// Both select benchmarks receive from buffered channels that are refilled
// outside the timed region every kReadyBatch iterations. With two channels
// of kReadyBatch values each, a batch of selects never finds both empty.
constexpr int kReadyBatch = 1024;

void refill(const racecourse::Chan<int>& chan) {
  while (chan.len() < chan.cap()) {
    chan.send(1);
  }
}

// One select per iteration over two channels that both contain values.
void BM_SelectTwoReady(benchmark::State& state) {
  auto first = racecourse::make_chan<int>(kReadyBatch);
  auto second = racecourse::make_chan<int>(kReadyBatch);
  int sum = 0;
  while (state.KeepRunningBatch(kReadyBatch)) {
    state.PauseTiming();
    refill(first);
    refill(second);
    state.ResumeTiming();
    for (int i = 0; i < kReadyBatch; ++i) {
      racecourse::select(
          racecourse::on_recv(first, [&sum](int value) { sum += value; }),
          racecourse::on_recv(second, [&sum](int value) { sum += value; }));
    }
  }
  benchmark::DoNotOptimize(sum);
}
BENCHMARK(BM_SelectTwoReady);

// One plain receive per iteration from a channel that contains values.
void BM_ChanRecvReady(benchmark::State& state) {
  auto chan = racecourse::make_chan<int>(kReadyBatch);
  int sum = 0;
  while (state.KeepRunningBatch(kReadyBatch)) {
    state.PauseTiming();
    refill(chan);
    state.ResumeTiming();
    for (int i = 0; i < kReadyBatch; ++i) {
      sum += chan.recv();
    }
  }
  benchmark::DoNotOptimize(sum);
}
BENCHMARK(BM_ChanRecvReady);

}  // namespace

BENCHMARK_MAIN();

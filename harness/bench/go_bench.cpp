// Starting a goroutine and waiting for it, beside starting and joining a
// std::thread. A goroutine is an OS thread plus the runtime's record of
// it, so the difference is the cost of that record and the WaitGroup.
// Both report the CPU time of the whole process, which includes the
// started thread's, beside wall-clock time.
#include "racecourse/go.hpp"

#include <thread>

#include <benchmark/benchmark.h>

namespace {

// go() and a WaitGroup, as Go code waits for a goroutine. The goroutine's
// thread is detached: wait() returns after done(), while the thread may
// still be exiting.
void BM_GoStartWait(benchmark::State& state) {
  for (auto _ : state) {
    racecourse::WaitGroup finished;
    finished.add(1);
    racecourse::go([&finished] { finished.done(); });
    finished.wait();
  }
}
BENCHMARK(BM_GoStartWait)->MeasureProcessCPUTime()->UseRealTime();

void BM_StdThreadStartJoin(benchmark::State& state) {
  for (auto _ : state) {
    std::thread thread([] {});
    thread.join();
  }
}
BENCHMARK(BM_StdThreadStartJoin)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

// A benchmark counter for how often threads sleep in the kernel.
#pragma once

#include <sys/resource.h>

#include <cstdint>

#include <benchmark/benchmark.h>

namespace racecourse::bench {

// Voluntary context switches of the whole process so far, summed over all
// its threads (getrusage RUSAGE_SELF). A thread that blocks in the kernel,
// such as in futex_wait, and gives up its CPU adds one.
inline std::int64_t voluntary_context_switches() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::int64_t>(usage.ru_nvcsw);
}

// Sets the counter "vol_ctx_switches" to the voluntary context switches
// since `before`, per iteration. In a multi-threaded benchmark call it from
// thread 0 only: the count already covers every thread.
inline void report_context_switches(benchmark::State& state,
                                    std::int64_t before) {
  state.counters["vol_ctx_switches"] = benchmark::Counter(
      static_cast<double>(voluntary_context_switches() - before),
      benchmark::Counter::kAvgIterations);
}

}  // namespace racecourse::bench

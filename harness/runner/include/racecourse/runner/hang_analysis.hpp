// What the runner learns about a program that ran past its timeout, before
// it kills it: CPU use of its process group from /proc, and every thread's
// stack from gdb.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "racecourse/report/model.hpp"

namespace racecourse::runner {

struct ProcessResult;

// User plus system CPU seconds used so far by every live process whose
// process group is `pgid` (from /proc/<pid>/stat, which sums all threads).
double process_group_cpu_seconds(int pgid);

// The pids of the live processes in process group `pgid`, leader first.
std::vector<int> process_group_members(int pgid);

// One thread of a gdb backtrace.
struct ThreadStack {
  int number = 0;    // gdb's thread number
  int os_tid = 0;    // the LWP
  std::string name;  // the heading line, "Thread 2 (Thread 0x... (LWP 7))"
  std::vector<report::Frame> frames;
};

// Parses the output of gdb's `thread apply all bt`.
std::vector<ThreadStack> parse_gdb_backtrace(std::string_view text);

struct StackDump {
  bool gdb_found = false;
  std::string text;  // the hang analysis for the report
  std::vector<ThreadStack> threads;
};

// Takes every thread's stack of each process in group `pgid` with
// `gdb -batch -p PID -ex 'thread apply all bt'`, each gdb bounded by a
// timeout. When gdb is missing or fails, `text` says so and why.
StackDump collect_stacks(int pgid);

// A CPU share of the sample window at or above which a timed-out program
// counts as busy (a timeout) rather than blocked (a deadlock).
inline constexpr double kBusyCpuShare = 0.2;

// The runner's finding for a run that timed out: a deadlock when the
// process group used (almost) no CPU after the deadline and every thread
// of the program waits on a futex (a lock, condition variable, semaphore
// or join) according to its stack, listing where each thread is blocked;
// else a timeout (busy, sleeping, blocked on I/O, or no stacks taken).
// `goroutine_by_tid` names threads that are goroutines of the racecourse
// runtime.
report::Finding hang_finding(const ProcessResult& process,
                             const StackDump& stacks,
                             const std::map<int, int>& goroutine_by_tid);

}  // namespace racecourse::runner

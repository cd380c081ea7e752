#include "racecourse/runner/hang_analysis.hpp"

#include <gtest/gtest.h>

#include "racecourse/runner/process.hpp"

namespace racecourse::runner {
namespace {

constexpr const char* kBacktrace =
    "[Thread debugging using libthread_db enabled]\n"
    "0x00007f in __futex_abstimed_wait_common64 () from /lib/libc.so.6\n"
    "\n"
    "Thread 2 (Thread 0x7f12 (LWP 4242) \"hang\"):\n"
    "#0  futex_wait (private=0, expected=2) at "
    "../sysdeps/nptl/futex-internal.h:146\n"
    "#1  0x000055 in __gthread_mutex_lock (__mutex=0x55) at "
    "/usr/include/x86_64-linux-gnu/c++/12/bits/gthr-default.h:749\n"
    "#2  0x000056 in (anonymous namespace)::wait_for_mutex () at "
    "/src/fixtures/mutex_hang.cpp:11\n"
    "#3  0x000057 in start_thread () from /lib/libc.so.6\n"
    "\n"
    "Thread 1 (Thread 0x7f11 (LWP 4241) \"hang\"):\n"
    "#0  0x7f in __pthread_clockjoin_ex () from /lib/libc.so.6\n"
    "#1  0x000058 in main () at /src/fixtures/mutex_hang.cpp:17\n";

TEST(HangAnalysis, ParsesGdbThreadsAndFrames) {
  auto threads = parse_gdb_backtrace(kBacktrace);
  ASSERT_EQ(threads.size(), 2U);
  EXPECT_EQ(threads[0].number, 2);
  EXPECT_EQ(threads[0].os_tid, 4242);
  ASSERT_EQ(threads[0].frames.size(), 4U);
  const report::Frame& user = threads[0].frames[2];
  EXPECT_EQ(user.index, 2);
  EXPECT_EQ(user.function, "(anonymous namespace)::wait_for_mutex");
  EXPECT_EQ(user.file, "/src/fixtures/mutex_hang.cpp");
  EXPECT_EQ(user.line, 11);
  EXPECT_TRUE(user.user_code);
  EXPECT_FALSE(threads[0].frames[0].user_code);
  EXPECT_FALSE(threads[0].frames[1].user_code);
  EXPECT_EQ(threads[0].frames[3].module, "/lib/libc.so.6");
  EXPECT_EQ(threads[1].frames[1].function, "main");
}

TEST(HangAnalysis, IdleHangIsDeadlockListingBlockedFrames) {
  ProcessResult process;
  process.timeout_seconds = 2;
  process.timeout_cpu_seconds = 0.01;
  process.timeout_window_seconds = 0.5;
  StackDump stacks;
  stacks.gdb_found = true;
  stacks.text = kBacktrace;
  stacks.threads = parse_gdb_backtrace(kBacktrace);
  report::Finding finding = hang_finding(process, stacks, {{4241, 1}});
  EXPECT_EQ(finding.verdict, report::Verdict::deadlock);
  EXPECT_EQ(finding.source, "runner");
  ASSERT_EQ(finding.goroutines.size(), 2U);
  EXPECT_EQ(finding.goroutines[0].blocked_at,
            "/src/fixtures/mutex_hang.cpp:11");
  EXPECT_EQ(finding.goroutines[0].state, "blocked in futex_wait");
  EXPECT_EQ(finding.goroutines[1].blocked_function, "main");
  EXPECT_EQ(finding.goroutines[1].name.rfind("goroutine 1 (", 0), 0U);
  EXPECT_TRUE(finding.complete);
}

TEST(HangAnalysis, BusyHangIsTimeout) {
  ProcessResult process;
  process.timeout_seconds = 2;
  process.timeout_cpu_seconds = 0.45;
  process.timeout_window_seconds = 0.5;
  report::Finding finding = hang_finding(process, StackDump{}, {});
  EXPECT_EQ(finding.verdict, report::Verdict::timeout);
  EXPECT_NE(finding.message.find("timed out after 2.00 s"), std::string::npos)
      << finding.message;
}

TEST(HangAnalysis, GroupCpuOfMissingGroupIsZero) {
  EXPECT_EQ(process_group_cpu_seconds(0x7ffffff0), 0.0);
  EXPECT_TRUE(process_group_members(0x7ffffff0).empty());
}

}  // namespace
}  // namespace racecourse::runner

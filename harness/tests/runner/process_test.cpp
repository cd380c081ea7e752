#include "racecourse/runner/process.hpp"

#include <sys/wait.h>

#include <cerrno>
#include <csignal>
#include <fstream>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace racecourse::runner {
namespace {

using test::fixture;

ProcessResult probe(
    const std::vector<std::string>& args,
    std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  ProcessSpec spec;
  spec.argv = {fixture("process_probe")};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.timeout = timeout;
  spec.sample_cpu_on_timeout = false;
  return run_process(spec);
}

// The state letter of /proc/<pid>/stat, or 0 when the process is gone.
char process_state(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  return close == std::string::npos || close + 2 >= text.size()
             ? 0
             : text[close + 2];
}

TEST(Process, KeepsStdoutAndStderrApart) {
  ProcessResult result = probe({"streams"});
  ASSERT_TRUE(result.started) << result.start_error;
  EXPECT_EQ(result.stdout_text, "to stdout\nstdin: eof\n");
  EXPECT_EQ(result.stderr_text, "to stderr\n");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.signal, 0);
  EXPECT_FALSE(result.timed_out);
}

TEST(Process, ReportsExitCode) {
  ProcessResult result = probe({"exit", "3"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.signal, 0);
}

TEST(Process, ReportsTerminatingSignal) {
  ProcessResult result = probe({"signal", std::to_string(SIGTERM)});
  EXPECT_EQ(result.signal, SIGTERM);
  EXPECT_EQ(result.exit_code, -1);
  EXPECT_FALSE(result.timed_out);
}

TEST(Process, SetsEnvironmentOverrides) {
  ProcessSpec spec;
  spec.argv = {fixture("process_probe"), "env", "RACECOURSE_PROBE"};
  spec.env = {{"RACECOURSE_PROBE", "from the runner"}};
  ProcessResult result = run_process(spec);
  EXPECT_EQ(result.stdout_text, "from the runner\n");
}

TEST(Process, TimeoutKillsWholeGroup) {
  ProcessResult result = probe({"grandchild"}, std::chrono::milliseconds(500));
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.signal, SIGKILL);
  int grandchild = 0;
  ASSERT_EQ(
      std::sscanf(result.stdout_text.c_str(), "grandchild %d", &grandchild), 1)
      << result.stdout_text;
  // The pipes reached end of file, so the grandchild has closed its copy
  // of stdout: it is dead, a zombie awaiting its new parent, or gone.
  char state = process_state(grandchild);
  EXPECT_TRUE(state == 0 || state == 'Z' || state == 'X')
      << "grandchild " << grandchild << " is in state " << state;
}

TEST(Process, CallsTimeoutHookBeforeKilling) {
  ProcessSpec spec;
  spec.argv = {fixture("process_probe"), "grandchild"};
  spec.timeout = std::chrono::milliseconds(300);
  int hooked_pid = 0;
  bool alive_in_hook = false;
  ProcessResult result = run_process(spec, [&](int pid) {
    hooked_pid = pid;
    alive_in_hook = ::kill(pid, 0) == 0;
  });
  EXPECT_EQ(hooked_pid, result.pid);
  EXPECT_TRUE(alive_in_hook);
  EXPECT_DOUBLE_EQ(result.timeout_window_seconds, 0.5);
}

TEST(Process, CapsStoredOutput) {
  ProcessSpec spec;
  spec.argv = {fixture("loud")};
  spec.output_limit = 4096;
  ProcessResult result = run_process(spec);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(result.stdout_truncated);
  EXPECT_TRUE(result.stderr_truncated);
  EXPECT_LT(result.stdout_text.size(), 4096U + 200U);
  EXPECT_NE(result.stdout_text.find("output truncated"), std::string::npos);
}

TEST(Process, MissingProgramDoesNotStart) {
  ProcessSpec spec;
  spec.argv = {"/nonexistent/racecourse-program"};
  ProcessResult result = run_process(spec);
  EXPECT_FALSE(result.started);
  EXPECT_NE(result.start_error.find("/nonexistent/racecourse-program"),
            std::string::npos);
  EXPECT_NE(result.start_error.find("does not exist"), std::string::npos);
}

TEST(Process, NonExecutableFileDoesNotStart) {
  test::TempFolder folder;
  auto file = folder.write("not-a-program", "text\n");
  ProcessSpec spec;
  spec.argv = {file.string()};
  ProcessResult result = run_process(spec);
  EXPECT_FALSE(result.started);
  EXPECT_NE(result.start_error.find("chmod +x"), std::string::npos)
      << result.start_error;
}

TEST(Process, ReapsEveryChild) {
  probe({"exit", "0"});
  probe({"grandchild"}, std::chrono::milliseconds(200));
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

}  // namespace
}  // namespace racecourse::runner

// The runner against hostile or unlucky conditions: interruption, odd
// files in its run folder, absurd option values, exit statuses that no
// report explains.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "test_support.hpp"

extern char** environ;  // NOLINT: POSIX declares it without a header

namespace racecourse::runner {
namespace {

using test::fixture;
using test::run_racecourse;

// Waits up to `timeout_ms` for `fd` to become readable.
bool wait_readable(int fd, int timeout_ms) {
  pollfd ready{fd, POLLIN, 0};
  return ::poll(&ready, 1, timeout_ms) == 1;
}

// Starts the racecourse binary with `args` and TMPDIR=`tmpdir`, with
// stdout and stderr sent to /dev/null; returns its pid.
pid_t start_racecourse(const std::vector<std::string>& args,
                       const std::string& tmpdir) {
  std::vector<std::string> argv = {RACECOURSE_TEST_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> argv_pointers;
  for (std::string& arg : argv) {
    argv_pointers.push_back(arg.data());
  }
  argv_pointers.push_back(nullptr);
  std::vector<std::string> env = {"TMPDIR=" + tmpdir};
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (std::string(*entry).rfind("TMPDIR=", 0) != 0) {
      env.emplace_back(*entry);
    }
  }
  std::vector<char*> env_pointers;
  for (std::string& entry : env) {
    env_pointers.push_back(entry.data());
  }
  env_pointers.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int error = ::posix_spawn(&pid, argv_pointers[0], &actions, nullptr,
                            argv_pointers.data(), env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

// Waits up to `timeout_ms` for `pid` to end and returns its wait status,
// or -1 when it did not end in time.
int wait_for_exit(pid_t pid, int timeout_ms) {
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  bool ended = pidfd >= 0 && wait_readable(pidfd, timeout_ms);
  ::close(pidfd);
  int status = 0;
  if (!ended || ::waitpid(pid, &status, 0) != pid) {
    return -1;
  }
  return status;
}

class Robustness : public ::testing::Test {
 protected:
  std::string reports() const { return (folder_.path() / "reports").string(); }

  test::TempFolder folder_;
};

TEST_F(Robustness, InterruptKillsChildrenAndCleansUp) {
  std::filesystem::path tmpdir = folder_.path() / "tmp";
  std::filesystem::create_directory(tmpdir);
  std::string fifo = (folder_.path() / "pid.fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);

  pid_t runner =
      start_racecourse({"check", "--timeout", "120", "--report-dir", reports(),
                        "--", fixture("process_probe"), "announce", fifo},
                       tmpdir.string());
  ASSERT_GT(runner, 0);
  ASSERT_TRUE(wait_readable(reader, 60'000)) << "the child never started";
  char text[32] = {};
  ASSERT_GT(::read(reader, text, sizeof(text) - 1), 0);
  ::close(reader);
  pid_t child = std::atoi(text);
  ASSERT_GT(child, 0);

  ASSERT_EQ(::kill(runner, SIGINT), 0);
  int status = wait_for_exit(runner, 60'000);
  ASSERT_NE(status, -1) << "the runner did not end after SIGINT";
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_EQ(::kill(child, 0), -1) << "child " << child << " survived";
  EXPECT_TRUE(std::filesystem::is_empty(tmpdir));
  EXPECT_FALSE(
      std::filesystem::exists(folder_.path() / "reports" / "results.json"));
}

TEST_F(Robustness, UnexplainedExitStatusIsCrash) {
  ProcessResult result =
      run_racecourse({"check", "--allow-uninstrumented", "--report-dir",
                      reports(), "--", "/bin/sh", "-c", "exit 1"});
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("got crash"), std::string::npos)
      << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("exited with status 1"), std::string::npos)
      << result.stdout_text;
}

TEST_F(Robustness, AbsurdLimitsAreUsageErrors) {
  const std::vector<std::vector<std::string>> cases = {
      {"--repeat", "100001"}, {"--jobs", "1025"}, {"--timeout", "1e-9"}};
  for (const auto& option : cases) {
    std::vector<std::string> args = {"check",        option[0], option[1],
                                     "--report-dir", reports(), "--",
                                     "/bin/true"};
    ProcessResult result = run_racecourse(args);
    EXPECT_EQ(result.exit_code, 2) << option[0];
    EXPECT_NE(result.stderr_text.find(option[0]), std::string::npos)
        << result.stderr_text;
  }
}

TEST_F(Robustness, FifoEventFileDoesNotHang) {
  ProcessResult result = run_racecourse(
      {"check", "--allow-uninstrumented", "--timeout", "20", "--report-dir",
       reports(), "--", "/bin/sh", "-c",
       "mkfifo \"$RACECOURSE_EVENTS\" \"${RACECOURSE_EVENTS%/*}/tsan.1\""});
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code, 1) << result.stdout_text << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("not a regular file"), std::string::npos)
      << result.stdout_text;
}

TEST_F(Robustness, UninstrumentedProgramIsError) {
  ProcessResult result =
      run_racecourse({"check", "--report-dir", reports(), "--", "/bin/true"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.stdout_text.find("got error"), std::string::npos)
      << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("-fsanitize=thread"), std::string::npos)
      << result.stdout_text;
}

TEST_F(Robustness, ProgramExitingDuringSampleIsNoTimeout) {
  // The child sleeps past its 0.1 s timeout and exits 0 during the 0.5 s
  // CPU sample that follows the deadline.
  ProcessResult result = run_racecourse(
      {"check", "--allow-uninstrumented", "--timeout", "0.1", "--report-dir",
       reports(), "--", "/bin/sh", "-c", "sleep 0.3"});
  EXPECT_EQ(result.exit_code, 0) << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("got clean"), std::string::npos)
      << result.stdout_text;
}

TEST_F(Robustness, SleepingProgramIsTimeoutNotDeadlock) {
  ProcessResult result =
      run_racecourse({"check", "--allow-uninstrumented", "--timeout", "0.5",
                      "--report-dir", reports(), "--", "/bin/sleep", "30"});
  EXPECT_NE(result.stdout_text.find("got timeout"), std::string::npos)
      << result.stdout_text;
}

TEST_F(Robustness, ReportsReplaceOldSetWithoutLeftovers) {
  std::filesystem::create_directory(reports());
  folder_.write("reports/results.json", "old");
  ProcessResult result =
      run_racecourse({"check", "--allow-uninstrumented", "--report-dir",
                      reports(), "--", "/bin/true"});
  EXPECT_EQ(result.exit_code, 0) << result.stdout_text << result.stderr_text;
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(reports())) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  std::vector<std::string> expected = {".racecourse.lock", "index.html",
                                       "junit.xml", "results.json",
                                       "summary.md"};
  EXPECT_EQ(names, expected);
  std::ifstream results(std::filesystem::path(reports()) / "results.json");
  std::string first_line;
  std::getline(results, first_line);
  EXPECT_NE(first_line, "old");
}

TEST_F(Robustness, QuoteInTmpdirIsUsageError) {
  ProcessSpec spec;
  spec.argv = {RACECOURSE_TEST_BINARY, "check", "--report-dir", reports(), "--",
               fixture("clean")};
  std::filesystem::path odd = folder_.path() / "a\"b'c";
  std::filesystem::create_directory(odd);
  spec.env = {{"TMPDIR", odd.string()}};
  spec.timeout = std::chrono::minutes(1);
  ProcessResult result = run_process(spec);
  EXPECT_EQ(result.exit_code, 2) << result.stdout_text;
  EXPECT_NE(result.stderr_text.find("TMPDIR"), std::string::npos)
      << result.stderr_text;
}

}  // namespace
}  // namespace racecourse::runner

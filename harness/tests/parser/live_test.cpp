// Runs a racy program built with this build's flags and parses the log TSan
// writes, so a change in the installed TSan's output shows up here first.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "racecourse/parser/tsan_parser.hpp"

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RACECOURSE_TEST_HAS_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define RACECOURSE_TEST_HAS_TSAN 1
#endif

extern char** environ;

namespace racecourse::parser {
namespace {

namespace fs = std::filesystem;

constexpr int kTimeoutMilliseconds = 60'000;

// Waits for `child` for at most kTimeoutMilliseconds through a pidfd; kills
// it on timeout. Returns the wait status, or -1 after a timeout.
int wait_bounded(pid_t child) {
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, child, 0));
  if (pidfd >= 0) {
    pollfd ready{pidfd, POLLIN, 0};
    const int polled = poll(&ready, 1, kTimeoutMilliseconds);
    close(pidfd);
    if (polled == 0) {
      kill(child, SIGKILL);
      waitpid(child, nullptr, 0);
      return -1;
    }
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// Starts `program` with TSAN_OPTIONS=log_path=<prefix>, output discarded.
pid_t spawn_with_log_path(const std::string& program,
                          const std::string& prefix) {
  std::vector<std::string> environment{"TSAN_OPTIONS=log_path=" + prefix};
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!std::string_view(*entry).starts_with("TSAN_OPTIONS=")) {
      environment.emplace_back(*entry);
    }
  }
  std::vector<char*> envp;
  envp.reserve(environment.size() + 1);
  for (std::string& entry : environment) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::string path = program;
  std::array<char*, 2> argv{path.data(), nullptr};
  pid_t child = -1;
  const int failed = posix_spawn(&child, path.c_str(), &actions, nullptr,
                                 argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return failed == 0 ? child : -1;
}

// Concatenates every "<prefix>.<pid>" file TSan wrote.
std::string read_logs(const fs::path& directory) {
  std::string text;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    text += content.str();
  }
  return text;
}

TEST(ParserLive, GlobalRaceProgram) {
#ifndef RACECOURSE_TEST_HAS_TSAN
  GTEST_SKIP() << "this build has no ThreadSanitizer, so "
               << RACECOURSE_LIVE_RACE_PROGRAM
               << " reports nothing; configure with --preset tsan or "
                  "tsan-gcc";
#endif
  std::string pattern =
      (fs::temp_directory_path() / "racecourse-parser-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr)
      << "mkdtemp failed: errno " << errno;
  const fs::path directory(pattern);
  const pid_t child = spawn_with_log_path(RACECOURSE_LIVE_RACE_PROGRAM,
                                          (directory / "tsan").string());
  ASSERT_GT(child, 0) << "could not start " << RACECOURSE_LIVE_RACE_PROGRAM;
  const int status = wait_bounded(child);
  const std::string log = read_logs(directory);
  fs::remove_all(directory);

  ASSERT_NE(status, -1) << "timed out after " << kTimeoutMilliseconds << " ms";
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 66);  // TSan's exit code after a report
  const std::vector<report::Finding> findings = parse_tsan_log(log);
  ASSERT_EQ(findings.size(), 1u) << log;
  EXPECT_TRUE(findings[0].complete) << log;
  EXPECT_EQ(findings[0].kind, "data race");
  ASSERT_TRUE(findings[0].location.has_value());
  EXPECT_EQ(findings[0].location->name, "counter");
  ASSERT_EQ(findings[0].accesses.size(), 2u);
  ASSERT_FALSE(findings[0].accesses[0].stack.empty());
  const report::Frame& top = findings[0].accesses[0].stack[0];
  EXPECT_TRUE(top.file.ends_with("global_race.cpp")) << top.file;
  EXPECT_EQ(top.line, 9);
  EXPECT_TRUE(top.user_code);
}

}  // namespace
}  // namespace racecourse::parser

#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string_view>

extern char** environ;

namespace detector_test {
namespace {

using Clock = std::chrono::steady_clock;

// Both ends close on exec, so no other child inherits them.
std::array<int, 2> make_pipe() {
  std::array<int, 2> ends{};
  if (::pipe2(ends.data(), O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe2 failed: ") +
                             std::strerror(errno));
  }
  return ends;
}

std::string_view name_of(std::string_view entry) {
  return entry.substr(0, entry.find('='));
}

bool is_listed(std::string_view name, const std::vector<std::string>& names) {
  for (const std::string& listed : names) {
    if (name_of(listed) == name) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> child_environment(const ChildOptions& options) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view name = name_of(*entry);
    if (!is_listed(name, options.set_env) &&
        !is_listed(name, options.unset_env)) {
      env.emplace_back(*entry);
    }
  }
  env.insert(env.end(), options.set_env.begin(), options.set_env.end());
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& text : strings) {
    pointers.push_back(text.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

pid_t spawn(std::vector<std::string> argv,
            std::vector<std::string> env,
            int stdin_fd,
            int stdout_fd,
            int stderr_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stdin_fd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, stderr_fd, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group, so a timeout kills every process it started.
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  std::vector<char*> args = c_strings(argv);
  std::vector<char*> envp = c_strings(env);
  pid_t pid = 0;
  const int error = ::posix_spawn(&pid, args[0], &actions, &attributes,
                                  args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    throw std::runtime_error("cannot start " + argv[0] + ": " +
                             std::strerror(error) +
                             "; build the fixture targets first");
  }
  return pid;
}

// Reads what is available from `fd` into `out`; returns false at EOF.
bool drain(int fd, std::string& out) {
  char buffer[4096];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
    return true;
  }
  if (n <= 0) {
    return false;
  }
  out.append(buffer, static_cast<std::size_t>(n));
  return true;
}

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;  // the child closed its stdin; it will show in its output
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// The parent's side of a running child: its output pipes, its stdin pipe
// and the planned write to it.
class Session {
 public:
  Session(const ChildOptions& options, int out_fd, int err_fd, int in_fd)
      : options_(options), fds_{out_fd, err_fd}, in_fd_(in_fd) {
    if (options_.stdin_after_line.empty()) {
      close_stdin();
    }
  }

  // Pumps output until both pipes reach EOF or `deadline` passes.
  // Returns false on timeout.
  bool pump(ChildResult& result, Clock::time_point deadline) {
    while (fds_[0] >= 0 || fds_[1] >= 0) {
      const Clock::time_point now = Clock::now();
      if (now >= deadline) {
        return false;
      }
      maybe_write_stdin(result, now);
      Clock::time_point wake = deadline;
      if (in_fd_ >= 0 && write_at_ < wake) {
        wake = write_at_;
      }
      pollfd polled[2] = {{fds_[0], POLLIN, 0}, {fds_[1], POLLIN, 0}};
      const auto wait =
          std::chrono::ceil<std::chrono::milliseconds>(wake - now);
      if (::poll(polled, 2, static_cast<int>(wait.count())) < 0 &&
          errno != EINTR) {
        return false;
      }
      pump_one(polled[0], 0, result.out);
      pump_one(polled[1], 1, result.err);
    }
    return true;
  }

  ~Session() {
    close_stdin();
    for (int& fd : fds_) {
      if (fd >= 0) {
        ::close(fd);
      }
    }
  }

 private:
  void pump_one(const pollfd& polled, int index, std::string& out) {
    if (fds_[index] >= 0 && polled.revents != 0 && !drain(fds_[index], out)) {
      ::close(fds_[index]);
      fds_[index] = -1;
    }
  }

  void maybe_write_stdin(const ChildResult& result, Clock::time_point now) {
    if (in_fd_ < 0) {
      return;
    }
    if (!line_seen_ && result.out.find(options_.stdin_after_line + "\n") !=
                           std::string::npos) {
      line_seen_ = true;
      write_at_ = now + options_.stdin_delay;
    }
    if (line_seen_ && now >= write_at_) {
      write_all(in_fd_, options_.stdin_data);
      close_stdin();
    }
  }

  void close_stdin() {
    if (in_fd_ >= 0) {
      ::close(in_fd_);
      in_fd_ = -1;
    }
  }

  const ChildOptions& options_;
  int fds_[2];
  int in_fd_;
  bool line_seen_ = false;
  Clock::time_point write_at_ = Clock::time_point::max();
};

// Waits for `pid` to end until `deadline`; returns false if it did not.
bool reap_before(pid_t pid, Clock::time_point deadline, int& status) {
  for (;;) {
    const pid_t reaped = ::waitpid(pid, &status, WNOHANG);
    if (reaped == pid || (reaped < 0 && errno != EINTR)) {
      return true;
    }
    if (Clock::now() >= deadline) {
      return false;
    }
    ::usleep(1000);
  }
}

}  // namespace

ChildResult run_child(const std::vector<std::string>& argv,
                      const ChildOptions& options) {
  // A child that exits before reading its stdin must not kill the test.
  ::signal(SIGPIPE, SIG_IGN);
  const auto in = make_pipe();
  const auto out = make_pipe();
  const auto err = make_pipe();
  const Clock::time_point start = Clock::now();
  const pid_t pid =
      spawn(argv, child_environment(options), in[0], out[1], err[1]);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);

  ChildResult result;
  {
    Session session(options, out[0], err[0], in[1]);
    result.timed_out = !session.pump(result, start + options.timeout);
  }
  int status = 0;
  if (!result.timed_out) {
    // Closed pipes usually mean the child is gone, but a child may close
    // them and live on: the wait stays bounded by the same deadline.
    result.timed_out = !reap_before(pid, start + options.timeout, status);
  }
  if (result.timed_out) {
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      Clock::now() - start);
  if (WIFEXITED(status)) {
    result.exit_status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

std::string describe_end(const ChildResult& result) {
  if (result.timed_out) {
    return "timed out after " + std::to_string(result.elapsed.count()) +
           " ms and was killed";
  }
  if (result.exit_status >= 0) {
    return "exit status " + std::to_string(result.exit_status);
  }
  return "killed by signal " + std::to_string(result.signal);
}

}  // namespace detector_test

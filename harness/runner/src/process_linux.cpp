// Linux process control: posix_spawn into a new process group, pipes read
// with poll, a pidfd to learn of the child's exit, SIGKILL to the group.
//
// The runner uses posix_spawn instead of fork because it is multi-threaded
// (parallel jobs) and built with sanitizers. glibc's posix_spawn runs no
// user code between clone and exec, so the child cannot deadlock on a lock
// that another runner thread held at the moment of the fork.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>

#include "racecourse/runner/hang_analysis.hpp"
#include "racecourse/runner/interrupt.hpp"
#include "racecourse/runner/process.hpp"

extern char** environ;  // NOLINT: POSIX declares it without a header

namespace racecourse::runner {
namespace {

using Clock = std::chrono::steady_clock;

// How long the runner keeps reading the pipes after the child exited, for
// output still held by a process outside the child's process group.
constexpr std::chrono::milliseconds kDrainLimit{2000};
// Poll period when the kernel has no pidfd_open (before Linux 5.3).
constexpr std::chrono::milliseconds kReapPollPeriod{20};

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    reset();
    fd_ = std::exchange(other.fd_, -1);
    return *this;
  }
  ~Fd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read_end;
  Fd write_end;
};

std::optional<Pipe> make_pipe() {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
    return std::nullopt;
  }
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

// Captured output of one stream, capped at a byte limit.
class CappedOutput {
 public:
  explicit CappedOutput(std::size_t limit) : limit_(limit) {}

  void append(const char* data, std::size_t size) {
    std::size_t room = limit_ > text_.size() ? limit_ - text_.size() : 0;
    std::size_t kept = std::min(room, size);
    text_.append(data, kept);
    dropped_ += size - kept;
  }

  bool truncated() const { return dropped_ > 0; }

  // Returns the kept text, with a note at the end when bytes were dropped.
  std::string finish() {
    if (dropped_ > 0) {
      text_ += "\n[racecourse: output truncated: kept the first " +
               std::to_string(text_.size()) + " bytes, dropped " +
               std::to_string(dropped_) + " more]\n";
    }
    return std::move(text_);
  }

 private:
  std::size_t limit_;
  std::size_t dropped_ = 0;
  std::string text_;
};

struct Stream {
  Fd fd;
  CappedOutput output;
};

// The runner's environment with `overrides` set on top.
std::vector<std::string> child_environment(
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    bool replaced = false;
    for (const auto& [name, value] : overrides) {
      replaced = replaced || text.substr(0, text.find('=')) == name;
    }
    if (!replaced) {
      env.emplace_back(text);
    }
  }
  for (const auto& [name, value] : overrides) {
    env.push_back(name + "=" + value);
  }
  return env;
}

// A null-terminated char* array over strings that outlive it.
std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string& text : strings) {
    pointers.push_back(text.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

// Starts the child; returns 0 or an errno value.
int spawn_child(const ProcessSpec& spec, int out_fd, int err_fd, pid_t* pid) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);

  // A new process group (pgid = pid), no blocked signals, and default
  // dispositions for the signals the runner may ignore (SIGPIPE), since
  // ignored dispositions survive exec.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP |
                                            POSIX_SPAWN_SETSIGMASK |
                                            POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attributes, 0);
  sigset_t signals;
  sigemptyset(&signals);
  posix_spawnattr_setsigmask(&attributes, &signals);
  sigaddset(&signals, SIGPIPE);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  posix_spawnattr_setsigdefault(&attributes, &signals);

  std::vector<std::string> argv = spec.argv;
  std::vector<std::string> env = child_environment(spec.env);
  std::vector<char*> argv_pointers = c_strings(argv);
  std::vector<char*> env_pointers = c_strings(env);
  int error = posix_spawnp(pid, argv_pointers[0], &actions, &attributes,
                           argv_pointers.data(), env_pointers.data());
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  return error;
}

Fd open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return Fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
#else
  return Fd();
#endif
}

void kill_group(pid_t pid) {
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);  // in case it left its group
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Drives one started child to its end: reads its output, reaps it, and at
// the deadline samples its CPU use, calls the hook and kills its group.
class Supervisor {
 public:
  Supervisor(const ProcessSpec& spec,
             const TimeoutHook& hook,
             pid_t pid,
             Fd out,
             Fd err,
             Clock::time_point start)
      : spec_(spec),
        hook_(hook),
        pid_(pid),
        pidfd_(open_pidfd(pid)),
        streams_{Stream{std::move(out), CappedOutput(spec.output_limit)},
                 Stream{std::move(err), CappedOutput(spec.output_limit)}},
        start_(start),
        deadline_(start + spec.timeout) {}

  void run(ProcessResult& result) {
    while (!finished()) {
      poll_once();
      try_reap();
      enforce_deadline(result);
    }
    result.stdout_truncated = streams_[0].output.truncated();
    result.stderr_truncated = streams_[1].output.truncated();
    result.stdout_text = streams_[0].output.finish();
    result.stderr_text = streams_[1].output.finish();
    result.duration_seconds = seconds_since(start_);
    if (exited_while_sampled_) {
      // It ended on its own before the runner killed it: a slow program,
      // not a hung one.
      result.timed_out = false;
      result.timeout_cpu_seconds = 0;
      result.timeout_window_seconds = 0;
    }
    record_status(result);
  }

 private:
  enum class Phase { running, sampling, killed };

  bool finished() const {
    bool open = streams_[0].fd.valid() || streams_[1].fd.valid();
    return reaped_ && (!open || Clock::now() >= drain_deadline_);
  }

  // The time until the next thing the loop must do without an fd event.
  int poll_timeout_ms() const {
    auto now = Clock::now();
    Clock::time_point next = drain_deadline_;
    if (!reaped_) {
      next = phase_ == Phase::running    ? deadline_
             : phase_ == Phase::sampling ? sample_end_
                                         : now + std::chrono::seconds(1);
      if (!pidfd_.valid()) {
        next = std::min(next, now + kReapPollPeriod);
      }
    }
    auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(next - now);
    return static_cast<int>(std::max<std::int64_t>(wait.count() + 1, 0));
  }

  void poll_once() {
    std::array<pollfd, 3> fds{};
    nfds_t count = 0;
    for (const Stream& stream : streams_) {
      if (stream.fd.valid()) {
        fds[count++] = pollfd{stream.fd.get(), POLLIN, 0};
      }
    }
    if (!reaped_ && pidfd_.valid()) {
      fds[count++] = pollfd{pidfd_.get(), POLLIN, 0};
    }
    if (::poll(fds.data(), count, poll_timeout_ms()) > 0) {
      read_streams();
    }
  }

  // Reads what is ready on each open stream, without blocking.
  void read_streams() {
    std::array<char, 65536> buffer{};
    for (Stream& stream : streams_) {
      if (!stream.fd.valid()) {
        continue;
      }
      pollfd ready{stream.fd.get(), POLLIN, 0};
      if (::poll(&ready, 1, 0) <= 0) {
        continue;
      }
      ssize_t size = ::read(stream.fd.get(), buffer.data(), buffer.size());
      if (size > 0) {
        stream.output.append(buffer.data(), static_cast<std::size_t>(size));
      } else if (size == 0 || errno != EINTR) {
        stream.fd.reset();
      }
    }
  }

  void try_reap() {
    if (reaped_) {
      return;
    }
    if (!reap_tracked_child(pid_, &status_)) {
      return;
    }
    reaped_ = true;
    exited_while_sampled_ = phase_ == Phase::sampling;
    // Whatever the child left running in its group (grandchildren holding
    // the pipes open) goes with it.
    ::kill(-pid_, SIGKILL);
    drain_deadline_ = Clock::now() + kDrainLimit;
  }

  void enforce_deadline(ProcessResult& result) {
    auto now = Clock::now();
    if (reaped_) {
      return;
    }
    if (phase_ == Phase::running && now >= deadline_) {
      result.timed_out = true;
      if (spec_.sample_cpu_on_timeout) {
        cpu_at_deadline_ = process_group_cpu_seconds(pid_);
        phase_ = Phase::sampling;
        sample_end_ = now + kCpuSampleWindow;
      } else {
        kill_now();
      }
    } else if (phase_ == Phase::sampling && now >= sample_end_) {
      result.timeout_cpu_seconds =
          process_group_cpu_seconds(pid_) - cpu_at_deadline_;
      result.timeout_window_seconds =
          std::chrono::duration<double>(kCpuSampleWindow).count();
      if (hook_) {
        hook_(pid_);
      }
      kill_now();
    }
  }

  void kill_now() {
    kill_group(pid_);
    phase_ = Phase::killed;
  }

  void record_status(ProcessResult& result) const {
    if (WIFEXITED(status_)) {
      result.exit_code = WEXITSTATUS(status_);
    } else if (WIFSIGNALED(status_)) {
      result.signal = WTERMSIG(status_);
    }
  }

  const ProcessSpec& spec_;
  const TimeoutHook& hook_;
  pid_t pid_;
  Fd pidfd_;
  std::array<Stream, 2> streams_;
  Clock::time_point start_;
  Clock::time_point deadline_;
  Clock::time_point sample_end_;
  Clock::time_point drain_deadline_;
  Phase phase_ = Phase::running;
  double cpu_at_deadline_ = 0;
  bool reaped_ = false;
  bool exited_while_sampled_ = false;
  int status_ = 0;
};

bool is_executable_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

std::string check_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream folders(path != nullptr ? path : "/usr/bin:/bin");
  std::string folder;
  while (std::getline(folders, folder, ':')) {
    if (is_executable_file((folder.empty() ? "." : folder) + "/" + program)) {
      return "";
    }
  }
  return "program '" + program +
         "' was not found on PATH; give its path (such as ./" + program +
         ") or install it";
}

}  // namespace

std::string check_executable(const std::string& program) {
  if (program.empty()) {
    return "the program name is empty; give the path of a program to run";
  }
  if (program.find('/') == std::string::npos) {
    return check_on_path(program);
  }
  struct stat info {};
  if (::stat(program.c_str(), &info) != 0) {
    return "program " + program +
           " does not exist; check the path (build the program first if "
           "it is yours)";
  }
  if (!S_ISREG(info.st_mode)) {
    return "program " + program +
           " is not a regular file; give the path of an executable";
  }
  if (::access(program.c_str(), X_OK) != 0) {
    return "program " + program + " is not executable; run 'chmod +x " +
           program + "' or rebuild it";
  }
  return "";
}

ProcessResult run_process(const ProcessSpec& spec, const TimeoutHook& hook) {
  ProcessResult result;
  result.start_error =
      spec.argv.empty() ? "no program given" : check_executable(spec.argv[0]);
  if (!result.start_error.empty()) {
    return result;
  }
  auto out = make_pipe();
  auto err = make_pipe();
  if (!out || !err) {
    result.start_error = std::string("cannot create pipes: ") +
                         std::strerror(errno) +
                         "; close some files or raise 'ulimit -n'";
    return result;
  }

  auto start = Clock::now();
  pid_t pid = 0;
  int error =
      spawn_child(spec, out->write_end.get(), err->write_end.get(), &pid);
  out->write_end.reset();
  err->write_end.reset();
  if (error != 0) {
    result.start_error = "cannot start " + spec.argv[0] + ": " +
                         std::strerror(error) +
                         "; check that it is a program for this machine";
    return result;
  }

  if (!track_child(pid)) {
    kill_group(pid);  // the runner was interrupted while it started
  }
  result.started = true;
  result.pid = pid;
  result.timeout_seconds = std::chrono::duration<double>(spec.timeout).count();
  Supervisor supervisor(spec, hook, pid, std::move(out->read_end),
                        std::move(err->read_end), start);
  supervisor.run(result);
  return result;
}

}  // namespace racecourse::runner

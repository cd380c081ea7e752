#include "racecourse/runner/hang_analysis.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include "racecourse/parser/frame.hpp"
#include "racecourse/runner/process.hpp"

namespace racecourse::runner {
namespace {

constexpr std::chrono::seconds kGdbTimeout{20};
// Processes of one group whose stacks are taken; the rest are listed.
constexpr std::size_t kMaxProcessesTraced = 4;

struct ProcStat {
  int pgid = 0;
  double cpu_seconds = 0;
};

// Reads pgrp, utime and stime from /proc/<pid>/stat.
std::optional<ProcStat> read_proc_stat(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // The command name (field 2) is in parentheses and may contain spaces,
  // so fields are counted from the last ')'.
  auto close = text.rfind(')');
  if (close == std::string::npos) {
    return std::nullopt;
  }
  std::istringstream fields(text.substr(close + 2));
  std::vector<std::string> values;
  for (std::string value; fields >> value && values.size() < 13;) {
    values.push_back(value);
  }
  if (values.size() < 13) {
    return std::nullopt;
  }
  // Fields 3.. follow: state(0) ppid(1) pgrp(2) ... utime(11) stime(12).
  double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  ProcStat stat;
  stat.pgid = std::stoi(values[2]);
  stat.cpu_seconds = (std::stod(values[11]) + std::stod(values[12])) / ticks;
  return stat;
}

std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream folders(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string folder; std::getline(folders, folder, ':');) {
    std::string candidate = folder + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return "";
}

// Frames of the program being run. Its sources are compiled with absolute
// paths, while the C library's frames carry relative ones ("./nptl/...").
bool is_user_frame(const report::Frame& frame) {
  if (frame.file.empty() || frame.file.front() != '/' ||
      frame.file.rfind("/usr/", 0) == 0) {
    return false;
  }
  // The C library and the sanitizer runtime, when their debug information
  // carries absolute build paths ("/build/glibc-.../nptl/...").
  for (const char* part :
       {"/glibc", "/sysdeps/", "/nptl/", "/libsanitizer/", "/compiler-rt/"}) {
    if (frame.file.find(part) != std::string::npos) {
      return false;
    }
  }
  return !parser::is_library_frame(frame);
}

// True when `thread` waits for a lock, a condition variable, a semaphore
// or a thread join: a futex wait below its first user frame.
bool waits_on_lock(const ThreadStack& thread) {
  for (const report::Frame& frame : thread.frames) {
    if (frame.user_code) {
      return false;
    }
    for (const char* name :
         {"futex", "lll_lock", "pthread_cond_", "pthread_mutex_",
          "pthread_rwlock_", "sem_wait", "sem_timedwait", "sem_clockwait",
          "pthread_join", "clockjoin"}) {
      if (frame.function.find(name) != std::string::npos) {
        return true;
      }
    }
  }
  return false;
}

// Parses one "#3  0x... in fn (args) at file:line" line.
std::optional<report::Frame> parse_gdb_frame(const std::string& line) {
  static const std::regex kHead(R"(^#(\d+)\s+(?:0x[0-9a-fA-F]+ in )?(.*)$)");
  static const std::regex kAt(R"( at (\S+):(\d+)$)");
  static const std::regex kFrom(R"( from (\S+)$)");
  std::smatch match;
  if (!std::regex_match(line, match, kHead)) {
    return std::nullopt;
  }
  report::Frame frame;
  frame.index = std::stoi(match[1]);
  std::string rest = match[2];
  frame.function = rest.substr(0, rest.find(" ("));
  if (std::regex_search(rest, match, kAt)) {
    frame.file = match[1];
    frame.line = std::stoi(match[2]);
  } else if (std::regex_search(rest, match, kFrom)) {
    frame.module = match[1];
  }
  frame.user_code = is_user_frame(frame);
  return frame;
}

std::string gdb_stacks(const std::string& gdb, int pid) {
  ProcessSpec spec;
  spec.argv = {gdb,
               "-batch",
               "-nx",
               "-p",
               std::to_string(pid),
               "-ex",
               "thread apply all bt"};
  spec.timeout = kGdbTimeout;
  spec.sample_cpu_on_timeout = false;
  ProcessResult result = run_process(spec);
  if (!result.started) {
    return "gdb could not start: " + result.start_error + "\n";
  }
  std::string text = result.stdout_text;
  if (result.timed_out) {
    text +=
        "[gdb timed out after " + std::to_string(kGdbTimeout.count()) + " s]\n";
  }
  if (text.find("Thread ") == std::string::npos) {
    text += result.stderr_text;  // why gdb could not attach
  }
  return text;
}

// The first user frame of a stack, or its top frame when it has none.
const report::Frame* blocking_frame(const ThreadStack& thread) {
  for (const report::Frame& frame : thread.frames) {
    if (frame.user_code) {
      return &frame;
    }
  }
  return thread.frames.empty() ? nullptr : &thread.frames.front();
}

report::GoroutineInfo blocked_thread(const ThreadStack& thread,
                                     const std::map<int, int>& goroutines) {
  report::GoroutineInfo info;
  info.id = thread.number;
  info.name = thread.name;
  if (auto it = goroutines.find(thread.os_tid); it != goroutines.end()) {
    info.name =
        "goroutine " + std::to_string(it->second) + " (" + thread.name + ")";
  }
  info.state = thread.frames.empty()
                   ? "unknown"
                   : "blocked in " + thread.frames.front().function;
  if (const report::Frame* frame = blocking_frame(thread)) {
    info.blocked_function = frame->function;
    if (!frame->file.empty()) {
      info.blocked_at = frame->file + ":" + std::to_string(frame->line);
    }
  }
  return info;
}

// TSan's own background thread, which is no part of the program.
bool is_sanitizer_thread(const ThreadStack& thread) {
  return std::any_of(thread.frames.begin(), thread.frames.end(),
                     [](const report::Frame& frame) {
                       return frame.function.rfind("__tsan::", 0) == 0;
                     });
}

std::string format_seconds(double seconds) {
  std::ostringstream text;
  text.precision(2);
  text << std::fixed << seconds << " s";
  return text.str();
}

}  // namespace

double process_group_cpu_seconds(int pgid) {
  double total = 0;
  for (int pid : process_group_members(pgid)) {
    if (auto stat = read_proc_stat(pid)) {
      total += stat->cpu_seconds;
    }
  }
  return total;
}

std::vector<int> process_group_members(int pgid) {
  std::vector<int> members;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    int pid = std::stoi(name);
    auto stat = read_proc_stat(pid);
    if (stat && stat->pgid == pgid) {
      members.push_back(pid);
    }
  }
  std::sort(members.begin(), members.end(),
            [pgid](int a, int b) { return (a == pgid) > (b == pgid); });
  return members;
}

std::vector<ThreadStack> parse_gdb_backtrace(std::string_view text) {
  static const std::regex kThread(R"(^Thread (\d+) .*\(LWP (\d+)\).*:$)");
  std::vector<ThreadStack> threads;
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, kThread)) {
      ThreadStack thread;
      thread.number = std::stoi(match[1]);
      thread.os_tid = std::stoi(match[2]);
      thread.name = line.substr(0, line.size() - 1);
      threads.push_back(thread);
    } else if (auto frame = parse_gdb_frame(line); frame && !threads.empty()) {
      threads.back().frames.push_back(*frame);
    }
  }
  return threads;
}

StackDump collect_stacks(int pgid) {
  StackDump dump;
  std::string gdb = find_on_path("gdb");
  dump.gdb_found = !gdb.empty();
  if (!dump.gdb_found) {
    dump.text =
        "gdb not found on PATH, so no thread stacks were taken; "
        "install gdb (apt-get install gdb) to see where each thread "
        "is blocked\n";
    return dump;
  }
  std::vector<int> members = process_group_members(pgid);
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i == kMaxProcessesTraced) {
      dump.text += "[" + std::to_string(members.size() - i) +
                   " more processes in the group were not traced]\n";
      break;
    }
    std::string stacks = gdb_stacks(gdb, members[i]);
    dump.text += "process " + std::to_string(members[i]) + ":\n" + stacks;
    auto threads = parse_gdb_backtrace(stacks);
    dump.threads.insert(dump.threads.end(), threads.begin(), threads.end());
  }
  return dump;
}

report::Finding hang_finding(const ProcessResult& process,
                             const StackDump& stacks,
                             const std::map<int, int>& goroutine_by_tid) {
  report::Finding finding;
  finding.source = "runner";
  finding.raw = stacks.text;
  double timeout = process.timeout_seconds;
  std::string used =
      format_seconds(process.timeout_cpu_seconds) + " of CPU in the " +
      format_seconds(process.timeout_window_seconds) + " after the timeout";
  bool busy = process.timeout_cpu_seconds >=
              kBusyCpuShare * process.timeout_window_seconds;
  std::vector<const ThreadStack*> program_threads;
  for (const ThreadStack& thread : stacks.threads) {
    if (!is_sanitizer_thread(thread)) {
      program_threads.push_back(&thread);
    }
  }
  bool all_wait_on_locks =
      !program_threads.empty() &&
      std::all_of(
          program_threads.begin(), program_threads.end(),
          [](const ThreadStack* thread) { return waits_on_lock(*thread); });
  if (busy) {
    finding.verdict = report::Verdict::timeout;
    finding.kind = "timeout";
    finding.message = "timed out after " + format_seconds(timeout) +
                      " while still running (" + used + ")";
  } else if (!all_wait_on_locks) {
    // Sleeping, or blocked on I/O such as a full pipe: no lock cycle.
    finding.verdict = report::Verdict::timeout;
    finding.kind = "timeout";
    finding.message = "timed out after " + format_seconds(timeout) + " (" +
                      used +
                      "); some thread waits for something other "
                      "than a lock (sleep, I/O), or its stack is unknown";
    for (const ThreadStack* thread : program_threads) {
      finding.goroutines.push_back(blocked_thread(*thread, goroutine_by_tid));
    }
  } else {
    finding.verdict = report::Verdict::deadlock;
    finding.kind = "hang";
    finding.message = "hung: no progress after " + format_seconds(timeout) +
                      " (" + used + "); every thread is blocked";
    for (const ThreadStack& thread : stacks.threads) {
      if (!is_sanitizer_thread(thread)) {
        finding.goroutines.push_back(blocked_thread(thread, goroutine_by_tid));
      }
    }
  }
  finding.summary = finding.message;
  finding.complete = stacks.gdb_found && !stacks.threads.empty();
  return finding;
}

}  // namespace racecourse::runner

#include "racecourse/runner/interrupt.hpp"

#include <pthread.h>
#include <sys/wait.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <mutex>
#include <set>
#include <thread>

namespace racecourse::runner {
namespace {

// The period at which the watcher checks whether it should stop.
constexpr long kWatchPeriodNanoseconds = 100'000'000;

std::atomic<int> g_signal{0};
std::atomic<bool> g_stop_watch{false};
std::mutex g_children_mutex;
std::set<pid_t> g_children;  // guarded by g_children_mutex
std::thread g_watcher;
sigset_t g_previous_mask;

sigset_t interrupt_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  return signals;
}

void kill_tracked_children() {
  std::lock_guard<std::mutex> lock(g_children_mutex);
  for (pid_t pid : g_children) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);  // in case it left its group
  }
}

void watch_signals() {
  sigset_t signals = interrupt_signals();
  timespec period{0, kWatchPeriodNanoseconds};
  while (!g_stop_watch.load()) {
    int signal = ::sigtimedwait(&signals, nullptr, &period);
    if (signal > 0) {
      int none = 0;
      g_signal.compare_exchange_strong(none, signal);
      kill_tracked_children();
    }
  }
}

}  // namespace

InterruptWatch::InterruptWatch() {
  sigset_t signals = interrupt_signals();
  ::pthread_sigmask(SIG_BLOCK, &signals, &g_previous_mask);
  g_stop_watch = false;
  g_watcher = std::thread(watch_signals);
}

InterruptWatch::~InterruptWatch() {
  g_stop_watch = true;
  g_watcher.join();
  // A signal still pending takes its default action here, which ends the
  // runner as the user asked.
  ::pthread_sigmask(SIG_SETMASK, &g_previous_mask, nullptr);
}

int interrupt_signal() {
  return g_signal.load();
}

bool track_child(pid_t pid) {
  std::lock_guard<std::mutex> lock(g_children_mutex);
  g_children.insert(pid);
  return g_signal.load() == 0;
}

bool reap_tracked_child(pid_t pid, int* status) {
  std::lock_guard<std::mutex> lock(g_children_mutex);
  if (::waitpid(pid, status, WNOHANG) != pid) {
    return false;
  }
  g_children.erase(pid);
  return true;
}

}  // namespace racecourse::runner

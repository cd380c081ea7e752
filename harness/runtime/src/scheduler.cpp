// The goroutine registry, blocking accounting and deadlock detection.
#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "racecourse/detail/lock.hpp"
#include "racecourse/detail/mutex_core.hpp"
#include "racecourse/detail/sched.hpp"
#include "racecourse/detail/tsan.hpp"

#include "report_internal.hpp"
#include "scheduler_internal.hpp"

namespace racecourse::detail {
namespace {

thread_local G* tls_current = nullptr;

// Unregisters a thread that was not started by go() when it exits. The
// main thread stays registered: its thread-local objects are destroyed
// during exit(), when the leak check, not the deadlock check, applies.
struct ForeignThreadExit {
  G* g = nullptr;
  ~ForeignThreadExit() {
    if (g != nullptr && g->id != 1) {
      goroutine_exit(g);
    }
  }
};
thread_local ForeignThreadExit tls_foreign_exit;

pid_t os_tid() {
  return static_cast<pid_t>(::syscall(SYS_gettid));
}

const char* state_text(const G& g) {
  switch (g.state) {
    case GState::running:
      return "running";
    case GState::sleeping:
      return "sleep";
    case GState::blocked:
      return g.wait_reason;
    case GState::dead:
      return "dead";
  }
  return "unknown";
}

}  // namespace

Scheduler& scheduler() {
  // Never destroyed: goroutines may still use it while the program exits.
  static Scheduler* const instance = [] {
    auto* created = new Scheduler;
    install_exit_hook();
    return created;
  }();
  return *instance;
}

namespace {

// Registers the main thread as goroutine 1, and with it the exit hook,
// before main() runs. It also starts and joins one thread first: TSan
// starts its background thread with a program's first thread, and that
// thread must be known as internal, not taken for a foreign one.
struct MainRegistration {
  MainRegistration() {
    current_g();
    tsan::Hidden hidden;
    std::thread([] {}).join();
    scheduler().record_internal_threads();
  }
};
const MainRegistration kMainRegistration;

}  // namespace

G* Scheduler::allocate_locked() {
  // Records are never freed or reused: a mutex may still name a finished
  // goroutine as its owner, and a waker may still touch a record's parking
  // word just after its goroutine resumed and returned.
  G* g = new G;
  all_.push_back(g);
  return g;
}

void Scheduler::link_locked(G* g) {
  g->state = GState::running;
  g->prev_live = nullptr;
  g->next_live = live_;
  if (live_ != nullptr) {
    live_->prev_live = g;
  }
  live_ = g;
  ++live_count_;
  ++awake_count_;
}

void Scheduler::unlink_locked(G* g) {
  if (g->prev_live != nullptr) {
    g->prev_live->next_live = g->next_live;
  } else {
    live_ = g->next_live;
  }
  if (g->next_live != nullptr) {
    g->next_live->prev_live = g->prev_live;
  }
  --live_count_;
}

G* Scheduler::register_thread() {
  tsan::Hidden hidden;
  InternalGuard guard(lock_);
  G* g = allocate_locked();
  g->os_tid = os_tid();
  g->id = g->os_tid == ::getpid() ? 1 : next_id_++;
  g->started_by_go = false;
  link_locked(g);
  return g;
}

G* Scheduler::create_goroutine(std::string name,
                               SourceLocation created_at,
                               std::int64_t creator_id) {
  tsan::Hidden hidden;
  InternalGuard guard(lock_);
  G* g = allocate_locked();
  g->id = next_id_++;
  g->name = std::move(name);
  g->created_at = created_at;
  g->creator_id = creator_id;
  g->started_by_go = true;
  // Counted awake from now on, before its thread exists, so a parent that
  // blocks right after go() is never taken for a deadlock.
  link_locked(g);
  return g;
}

void Scheduler::exit_goroutine(G* g) {
  tsan::Hidden hidden;
  InternalGuard guard(lock_);
  unlink_locked(g);
  if (g->state != GState::blocked) {
    --awake_count_;
  }
  g->state = GState::dead;
  check_global_deadlock_locked(nullptr);
}

void Scheduler::block(G* g,
                      const char* reason,
                      SourceLocation where,
                      const MutexCore* waiting_for) {
  InternalGuard guard(lock_);
  if (g->state != GState::blocked) {
    --awake_count_;
  }
  g->state = GState::blocked;
  g->wait_reason = reason;
  g->blocked_at = where;
  g->waiting_for = waiting_for;
  if (waiting_for != nullptr) {
    check_lock_cycle_locked(g);
  }
  check_global_deadlock_locked(g);
}

void Scheduler::ready(G* g) {
  InternalGuard guard(lock_);
  if (g->state == GState::blocked) {
    ++awake_count_;
  }
  g->state = GState::running;
  g->waiting_for = nullptr;
}

void Scheduler::set_sleeping(G* g, bool sleeping, SourceLocation where) {
  InternalGuard guard(lock_);
  g->state = sleeping ? GState::sleeping : GState::running;
  g->blocked_at = sleeping ? where : SourceLocation{};
}

void Scheduler::timer_added() {
  InternalGuard guard(lock_);
  ++pending_timers_;
}

void Scheduler::timer_fired() {
  InternalGuard guard(lock_);
  --pending_timers_;
  check_global_deadlock_locked(nullptr);
}

void Scheduler::check_global_deadlock_locked(const G* last) {
  if (awake_count_ > 0 || pending_timers_ > 0 || live_count_ == 0 || exiting_ ||
      foreign_thread_alive_locked()) {
    return;
  }
  const std::vector<GoroutineView> all = snapshot_locked();
  std::string text = "fatal error: all goroutines are asleep - deadlock!\n";
  append_dump_text(text, all, last != nullptr ? last->id : 1);
  die(text,
      "{\"event\":\"fatal\",\"kind\":\"deadlock\",\"message\":"
      "\"all goroutines are asleep - deadlock!\",\"goroutines\":" +
          goroutines_json(all) + "}");
}

void Scheduler::check_lock_cycle_locked(const G* start) {
  // Follow "waits for a mutex owned by" edges. Every goroutine on the path
  // is blocked, so the edges cannot change while we hold the lock.
  std::vector<const G*> cycle{start};
  const G* g = start;
  for (std::int64_t steps = 0; steps <= live_count_; ++steps) {
    const G* owner = g->waiting_for->owner();
    if (owner == nullptr || owner->state != GState::blocked ||
        owner->waiting_for == nullptr) {
      return;
    }
    if (owner == start) {
      report_lock_cycle_locked(cycle);
    }
    cycle.push_back(owner);
    g = owner;
  }
}

void Scheduler::report_lock_cycle_locked(const std::vector<const G*>& cycle) {
  std::string text =
      "fatal error: lock cycle: goroutines wait for each other's mutexes - "
      "deadlock!\n";
  std::string goroutines = "[";
  std::string mutexes = "[";
  for (const G* g : cycle) {
    const GoroutineView view = view_of(*g);
    text += "\n";
    append_goroutine_text(text, view);
    const MutexCore* m = g->waiting_for;
    const SourceLocation at = m->locked_at();
    const std::int64_t owner = m->owner()->id;
    char address[32];
    std::snprintf(address, sizeof address, "%p", static_cast<const void*>(m));
    text += "waits for mutex " + std::string(address) + " held by goroutine " +
            std::to_string(owner) + ", locked at " + at.file + ":" +
            std::to_string(at.line) + "\n";
    goroutines += (goroutines.size() > 1 ? "," : "") + goroutine_json(view);
    mutexes += std::string(mutexes.size() > 1 ? "," : "") +
               "{\"address\":" + json_string(address) +
               ",\"waiter\":" + std::to_string(g->id) +
               ",\"held_by\":" + std::to_string(owner) +
               ",\"locked_at\":{\"file\":" + json_string(at.file) +
               ",\"line\":" + std::to_string(at.line) +
               ",\"function\":" + json_string(at.function) + "}}";
  }
  die(text,
      "{\"event\":\"fatal\",\"kind\":\"lock_cycle\",\"message\":\"lock cycle: "
      "goroutines wait for each other's mutexes - deadlock!\",\"goroutines\":" +
          goroutines + "],\"mutexes\":" + mutexes + "]}");
}

std::vector<GoroutineView> Scheduler::snapshot_locked_impl() const {
  std::vector<GoroutineView> all;
  for (const G* g = live_; g != nullptr; g = g->next_live) {
    all.push_back(view_of(*g));
  }
  // Oldest first, as Go lists them.
  std::vector<GoroutineView> sorted(all.rbegin(), all.rend());
  return sorted;
}

std::vector<GoroutineView> Scheduler::snapshot() {
  InternalGuard guard(lock_);
  return snapshot_locked_impl();
}

bool Scheduler::known_thread_locked(pid_t tid) const {
  return std::find(internal_tids_.begin(), internal_tids_.end(), tid) !=
             internal_tids_.end() ||
         std::any_of(all_.begin(), all_.end(),
                     [tid](const G* g) { return g->os_tid == tid; });
}

// A thread that never used a runtime primitive (a plain std::thread) is
// invisible to the accounting, yet it may still wake a goroutine, so its
// presence rules a global deadlock out. Threads of finished goroutines may
// still be tearing down and count as known.
bool Scheduler::foreign_thread_alive_locked() const {
  DIR* tasks = ::opendir("/proc/self/task");
  if (tasks == nullptr) {
    return false;
  }
  bool foreign = false;
  while (const dirent* entry = ::readdir(tasks)) {
    const auto tid = static_cast<pid_t>(std::atoi(entry->d_name));
    if (tid > 0 && !known_thread_locked(tid)) {
      foreign = true;
      break;
    }
  }
  ::closedir(tasks);
  return foreign;
}

void Scheduler::add_internal_thread(pid_t tid) {
  InternalGuard guard(lock_);
  internal_tids_.push_back(tid);
}

void Scheduler::record_internal_threads() {
  DIR* tasks = ::opendir("/proc/self/task");
  if (tasks == nullptr) {
    return;
  }
  const pid_t self = os_tid();
  InternalGuard guard(lock_);
  while (const dirent* entry = ::readdir(tasks)) {
    const auto tid = static_cast<pid_t>(std::atoi(entry->d_name));
    if (tid > 0 && tid != self) {
      internal_tids_.push_back(tid);
    }
  }
  ::closedir(tasks);
}

void Scheduler::begin_exit() {
  InternalGuard guard(lock_);
  exiting_ = true;
}

std::vector<GoroutineView> snapshot_locked() {
  return scheduler().snapshot_locked_impl();
}

std::vector<GoroutineView> snapshot() {
  return scheduler().snapshot();
}

GoroutineView view_of(const G& g) {
  GoroutineView view;
  view.id = g.id;
  view.name = g.name;
  view.state = state_text(g);
  view.os_tid = g.os_tid;
  if (g.state == GState::blocked || g.state == GState::sleeping) {
    view.blocked_at = g.blocked_at;
  }
  view.created_at = g.created_at;
  view.creator_id = g.creator_id;
  view.started_by_go = g.started_by_go;
  return view;
}

G* current_g() noexcept {
  if (tls_current == nullptr) {
    tls_current = scheduler().register_thread();
    tls_foreign_exit.g = tls_current;
  }
  return tls_current;
}

void set_current_g(G* g) noexcept {
  tls_current = g;
}

void goroutine_exit(G* g) noexcept {
  scheduler().exit_goroutine(g);
  tls_current = nullptr;
}

void block(G* g,
           const char* reason,
           SourceLocation where,
           const MutexCore* waiting_for) noexcept {
  scheduler().block(g, reason, where, waiting_for);
}

void ready(G* g) noexcept {
  scheduler().ready(g);
}

void park(G* g) noexcept {
  // Acquire pairs with the release store in unpark(), so the waker's writes
  // to the waiter record are visible here.
  while (g->park_word.exchange(0, std::memory_order_acquire) == 0) {
    futex_wait(&g->park_word, 0);
  }
}

void unpark(G* g) noexcept {
  g->park_word.store(1, std::memory_order_release);
  futex_wake(&g->park_word, 1);
}

void block_forever(const char* reason, SourceLocation where) noexcept {
  tsan::Hidden hidden;
  G* g = current_g();
  block(g, reason, where);
  for (;;) {
    park(g);
  }
}

void timer_added() noexcept {
  scheduler().timer_added();
}
void timer_fired() noexcept {
  scheduler().timer_fired();
}

void set_sleeping(G* g, bool sleeping, SourceLocation where) noexcept {
  scheduler().set_sleeping(g, sleeping, where);
}

}  // namespace racecourse::detail

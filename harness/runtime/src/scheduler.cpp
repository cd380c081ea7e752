// The goroutine registry, blocking accounting and deadlock detection.
#include <dirent.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>

#include "racecourse/detail/chan_core.hpp"
#include "racecourse/detail/lock.hpp"
#include "racecourse/detail/mutex_core.hpp"
#include "racecourse/detail/sched.hpp"
#include "racecourse/detail/tsan.hpp"

#include "handle_registry.hpp"
#include "report_internal.hpp"
#include "scheduler_internal.hpp"

namespace racecourse::detail {
namespace {

// How long the program must stay still (no goroutine starting, blocking,
// waking or exiting) before a partial deadlock is reported, and how many
// such waits a busy program may cause before the report goes out anyway.
constexpr auto kPartialGrace = std::chrono::milliseconds(20);
constexpr int kMaxGraceWaits = 10;
// The maximum pause between two checks while a thread the runtime does not
// know about keeps a deadlock from being proven.
constexpr auto kMaxRecheckInterval = std::chrono::seconds(1);

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

bool is_chan_waiter(const G& g) {
  return g.state == GState::blocked && g.in_chan_wait;
}

bool is_mutex_waiter(const G& g) {
  return g.state == GState::blocked && g.waiting_for != nullptr;
}

// A goroutine whose wake-up depends on others: blocked on channels, or on
// a Mutex that only its owner will unlock.
bool is_waiter(const G& g) {
  return is_chan_waiter(g) || is_mutex_waiter(g);
}

// The live goroutine that holds the Mutex `g` waits for, or nullptr when
// there is none: just unlocked, held by a goroutine that has exited, or
// handed to `g` itself, which unlock() does just before waking it.
G* live_mutex_owner(const G& g) {
  G* owner = g.waiting_for->owner();
  if (owner == nullptr || owner == &g || owner->state == GState::dead) {
    return nullptr;
  }
  return owner;
}

// Calls f(core) for each channel `g` waits on; nil cases are skipped.
template <class F>
void for_each_wait(const G& g, F f) {
  if (g.chan_wait.chan != nullptr) {
    f(g.chan_wait.chan);
  }
  for (int i = 0; i < g.chan_wait.case_count; ++i) {
    if (g.chan_wait.cases[i].chan != nullptr) {
      f(g.chan_wait.cases[i].chan);
    }
  }
}

bool waits_on(const G& g, const ChanCore* core) {
  bool found = false;
  for_each_wait(g, [&](const ChanCore* c) { found = found || c == core; });
  return found;
}

void exit_begins() {
  scheduler().begin_exit();
}

// Destructors of static objects run before the exit hook, and a partial
// check during that time would report what is a leak at exit. Exit
// handlers run in reverse order, so one registered late runs early: this
// one is registered at the first go() and again when the monitor starts.
bool register_exit_marker() {
  return std::atexit(exit_begins) == 0;
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
  const MemoryRange stack = current_stack();
  InternalGuard guard(lock_);
  G* g = allocate_locked();
  g->os_tid = os_tid();
  g->id = g->os_tid == ::getpid() ? 1 : next_id_++;
  g->started_by_go = false;
  link_locked(g);
  ++state_changes_;
  if (g->id != 1) {
    ++adopted_threads_;
  }
  g->stack = stack;
  add_range_locked(g, stack);
  return g;
}

G* Scheduler::create_goroutine(std::string name,
                               SourceLocation created_at,
                               G* creator,
                               MemoryRange task) {
  tsan::Hidden hidden;
  InternalGuard guard(lock_);
  G* g = allocate_locked();
  g->id = next_id_++;
  g->name = std::move(name);
  g->created_at = created_at;
  g->creator_id = creator->id;
  g->started_by_go = true;
  // Counted awake from now on, before its thread exists, so a parent that
  // blocks right after go() is never taken for a deadlock.
  link_locked(g);
  ++state_changes_;
  if (!go_marker_registered_) {
    go_marker_registered_ = register_exit_marker();
  }
  // The new goroutine may have been handed pointers into its creator's
  // memory by any route (a std::function, a heap object), so it reaches
  // the creator and whatever the creator reaches.
  add_reach_locked(g, creator);
  // Every pointer-sized word of the task that points into another
  // goroutine's stack or task (a [&] capture, std::ref, a `this`) lets the
  // new goroutine use the handles kept there. A word that only looks like
  // such a pointer costs a missed report, never a false one.
  const auto begin = reinterpret_cast<std::uintptr_t>(task.begin);
  const auto end = reinterpret_cast<std::uintptr_t>(task.end);
  constexpr std::uintptr_t kWord = sizeof(void*);
  for (std::uintptr_t at = (begin + kWord - 1) & ~(kWord - 1);
       at + kWord <= end; at += kWord) {
    const void* word = nullptr;
    std::memcpy(&word, reinterpret_cast<const void*>(at), kWord);
    if (G* other = owner_locked(word); other != nullptr) {
      add_reach_locked(g, other);
    }
  }
  g->task = task;
  add_range_locked(g, task);
  return g;
}

void Scheduler::add_reach_locked(G* g, G* target) {
  auto add = [g](G* other) {
    if (other != g && std::find(g->reaches.begin(), g->reaches.end(), other) ==
                          g->reaches.end()) {
      g->reaches.push_back(other);
      other->reached_by.push_back(g);
    }
  };
  add(target);
  // A copy, since `add` may grow the vector when `target` reaches `g`.
  const std::vector<G*> further = target->reaches;
  for (G* other : further) {
    add(other);
  }
}

void Scheduler::set_stack(G* g, MemoryRange stack) {
  InternalGuard guard(lock_);
  g->stack = stack;
  add_range_locked(g, stack);
}

void Scheduler::exit_goroutine(G* g) {
  tsan::Hidden hidden;
  InternalGuard guard(lock_);
  unlink_locked(g);
  if (g->state != GState::blocked) {
    --awake_count_;
  }
  if (g->in_chan_wait) {
    g->in_chan_wait = false;
    chan_blocked_.fetch_sub(1, std::memory_order_relaxed);
  }
  g->state = GState::dead;
  ++state_changes_;
  remove_ranges_locked(g);
  if (!g->started_by_go && g->id != 1) {
    --adopted_threads_;
  }
  // Its reach into other goroutines' memory ends with it.
  std::vector<G*> reached;
  reached.swap(g->reaches);
  for (G* other : reached) {
    std::erase(other->reached_by, g);
  }
  for (G* other : g->reached_by) {
    std::erase(other->reaches, g);
  }
  std::vector<G*>().swap(g->reached_by);
  check_global_deadlock_locked(nullptr);
  // A waiter that g reached may have been able to wake only through g. A
  // thread that go() did not start kept every partial report back.
  bool recheck = !g->started_by_go;
  for (G* other : reached) {
    recheck = recheck || (is_waiter(*other) && !may_wake_locked(other));
  }
  if (recheck) {
    find_partial_deadlock_locked();
  }
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
  ++state_changes_;
  g->wait_reason = reason;
  g->blocked_at = where;
  g->waiting_for = waiting_for;
  if (waiting_for != nullptr) {
    check_lock_cycle_locked(g);
  }
  check_global_deadlock_locked(g);
  if (waiting_for != nullptr && !may_wake_locked(g)) {
    find_partial_deadlock_locked();
  }
}

void Scheduler::block_on_chans(G* g,
                               const char* reason,
                               SourceLocation where,
                               const ChanWait& wait) {
  InternalGuard guard(lock_);
  if (g->state != GState::blocked) {
    --awake_count_;
  }
  g->state = GState::blocked;
  ++state_changes_;
  g->wait_reason = reason;
  g->blocked_at = where;
  g->waiting_for = nullptr;
  if (!g->in_chan_wait) {
    g->in_chan_wait = true;
    chan_blocked_.fetch_add(1, std::memory_order_relaxed);
  }
  g->chan_wait = wait;
  check_global_deadlock_locked(g);
  if (!may_wake_locked(g)) {
    find_partial_deadlock_locked();
  }
}

void Scheduler::ready(G* g) {
  InternalGuard guard(lock_);
  if (g->state == GState::blocked) {
    ++awake_count_;
  }
  g->state = GState::running;
  ++state_changes_;
  g->waiting_for = nullptr;
  if (g->in_chan_wait) {
    g->in_chan_wait = false;
    chan_blocked_.fetch_sub(1, std::memory_order_relaxed);
  }
  g->reported_stuck = false;
}

void Scheduler::chan_handle_dropped(const ChanCore* core) {
  if (chan_blocked_.load(std::memory_order_relaxed) == 0) {
    return;
  }
  InternalGuard guard(lock_);
  for (G* g = live_; g != nullptr; g = g->next_live) {
    if (g->in_chan_wait && waits_on(*g, core) && !may_wake_locked(g)) {
      find_partial_deadlock_locked();
      return;
    }
  }
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
  // The monitor leaves stuck goroutines alone while a timer is the only
  // thing that may still run; see monitor().
  if (chan_blocked_.load(std::memory_order_relaxed) > 0) {
    find_partial_deadlock_locked();
  }
}

void Scheduler::check_global_deadlock_locked(const G* last) {
  if (awake_count_ > 0 || pending_timers_ > 0 || live_count_ == 0 || exiting_) {
    return;
  }
  if (foreign_thread_alive_locked()) {
    // Check again once that thread may have ended.
    start_monitor_locked();
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

// Partial deadlocks
//
// A goroutine blocked in a channel operation (a "waiter") may still wake
// when some channel it waits on can be used by a goroutine that may still
// run. A channel can be used by the goroutine whose stack or task contains
// one of its handles and by every goroutine that reaches that goroutine
// (G::reaches: its creator, what its task pointed into, and so on). A
// handle kept anywhere else can be used by any thread. A goroutine may still
// run unless it is itself a waiter that cannot wake. A goroutine waiting
// to lock a Mutex wakes when its owner may run (as for lock cycles, only
// the owner is expected to unlock it). Goroutines blocked on a WaitGroup,
// RWMutex or Once count as able to run, since anyone may release them.
// The waiters left over are asleep for good.
//
// may_wake_locked() is the cheap test run at every block. It searches from
// one waiter for a goroutine that may run or a handle no goroutine holds.
// Only when it fails does stuck_waiters_locked() work out every waiter.
//
// A report waits until the program has been still for kPartialGrace: a
// partial deadlock often forms as the last running goroutines drop their
// handles on the way out, and then Go's "all goroutines are asleep"
// follows at once and must be the one report. A monitor thread, started
// only when needed, checks again and reports what is still stuck. It also
// re-checks, less and less often, while a thread the runtime does not know
// about keeps a deadlock from being proven.

void Scheduler::add_range_locked(G* g, MemoryRange range) {
  if (range.begin == range.end) {
    return;
  }
  const auto at = std::lower_bound(ranges_.begin(), ranges_.end(), range.begin,
                                   [](const OwnedRange& r, const void* begin) {
                                     return r.range.begin < begin;
                                   });
  ranges_.insert(at, OwnedRange{range, g});
}

void Scheduler::remove_ranges_locked(const G* g) {
  std::erase_if(ranges_, [g](const OwnedRange& r) { return r.owner == g; });
}

G* Scheduler::owner_locked(const void* address) const {
  auto after = std::upper_bound(
      ranges_.begin(), ranges_.end(), address,
      [](const void* a, const OwnedRange& r) { return a < r.range.begin; });
  if (after == ranges_.begin()) {
    return nullptr;
  }
  const OwnedRange& candidate = *std::prev(after);
  return candidate.range.contains(address) ? candidate.owner : nullptr;
}

bool Scheduler::may_wake_locked(G* start) {
  if (exiting_ || leak_mode() == LeakMode::off) {
    return true;
  }
  const HandleRegistry& registry = handle_registry();
  InternalGuard registry_guard(handle_registry().lock());
  if (!registry.complete_locked()) {
    return true;
  }

  const std::uint64_t search = ++checks_;
  // A member, so that a search allocates nothing once it has grown.
  std::vector<G*>& pending = search_stack_;
  pending.assign(1, start);
  start->visited_in = search;
  // Queues `g` unless seen; returns true when `g` may run.
  auto visit = [&](G* g) {
    if (!is_waiter(*g)) {
      return true;
    }
    if (g->visited_in != search) {
      g->visited_in = search;
      pending.push_back(g);
    }
    return false;
  };

  while (!pending.empty()) {
    G* g = pending.back();
    pending.pop_back();
    if (is_mutex_waiter(*g)) {
      G* owner = live_mutex_owner(*g);
      if (owner == nullptr || visit(owner)) {
        return true;
      }
      continue;
    }
    bool wakes = false;
    for_each_wait(*g, [&](const ChanCore* core) {
      const std::vector<const void*>* handles = registry.handles_locked(core);
      if (wakes || handles == nullptr) {
        return;
      }
      for (const void* handle : *handles) {
        G* holder = owner_locked(handle);
        if (holder == nullptr || visit(holder)) {
          wakes = true;
          return;
        }
        for (G* user : holder->reached_by) {
          if (visit(user)) {
            wakes = true;
            return;
          }
        }
      }
    });
    if (wakes) {
      return true;
    }
  }
  return false;
}

void Scheduler::find_partial_deadlock_locked() {
  if (!monitor_running_ && !stuck_waiters_locked().empty()) {
    start_monitor_locked();
  }
}

void Scheduler::start_monitor_locked() {
  if (monitor_running_) {
    return;
  }
  if (!monitor_marker_registered_) {
    monitor_marker_registered_ = register_exit_marker();
  }
  monitor_running_ = true;
  try {
    std::thread([this] { monitor(); }).detach();
  } catch (const std::system_error&) {
    // Without a thread there is no report, which is the safe side.
    monitor_running_ = false;
  }
}

void Scheduler::monitor() {
  tsan::Hidden hidden;
  {
    InternalGuard guard(lock_);
    internal_tids_.push_back(os_tid());
    // A check that ran before this thread was known took it for a foreign
    // one and stood down.
    check_global_deadlock_locked(nullptr);
  }
  auto interval = std::chrono::milliseconds(kPartialGrace);
  std::uint64_t seen = 0;
  {
    InternalGuard guard(lock_);
    seen = state_changes_;
  }
  int waits = 0;
  for (;;) {
    std::this_thread::sleep_for(interval);
    InternalGuard guard(lock_);
    if (exiting_) {
      monitor_running_ = false;
      return;
    }
    // Goroutines still starting, blocking, waking or exiting may be about
    // to complete a global deadlock, whose report must then be the only
    // one. Wait for the program to stay still, within reason.
    bool finishing = false;
    for (const G* g = live_; g != nullptr; g = g->next_live) {
      finishing = finishing || g->finishing;
    }
    const bool moving = finishing || state_changes_ != seen;
    seen = state_changes_;
    if (moving && waits++ < kMaxGraceWaits) {
      continue;
    }
    waits = 0;
    check_global_deadlock_locked(nullptr);
    // Not dead, so a foreign thread blocks the global report, or a timer
    // is pending, or some goroutine may run.
    const bool global_waits_for_thread =
        awake_count_ == 0 && pending_timers_ == 0 && live_count_ > 0;
    std::size_t all_stuck = 0;
    std::vector<G*> stuck = stuck_waiters_locked(&all_stuck);
    if (awake_count_ == 0 &&
        all_stuck == static_cast<std::size_t>(live_count_)) {
      // No goroutine can ever wake and only timers are pending: Go's
      // global report comes when they have fired (see timer_fired()).
      stuck.clear();
    }
    const bool blocked_by_thread =
        global_waits_for_thread ||
        (!stuck.empty() && foreign_thread_alive_locked());
    if (!stuck.empty() && !blocked_by_thread) {
      report_partial_deadlock_locked(stuck);
    }
    if (!blocked_by_thread) {
      monitor_running_ = false;
      return;
    }
    interval = std::min<std::chrono::milliseconds>(
        interval * 2, std::chrono::duration_cast<std::chrono::milliseconds>(
                          kMaxRecheckInterval));
  }
}

void Scheduler::set_finishing(G* g) {
  InternalGuard guard(lock_);
  g->finishing = true;
  ++state_changes_;
}

std::vector<G*> Scheduler::stuck_waiters_locked(std::size_t* all_stuck) {
  std::vector<G*> stuck;
  // A thread that go() did not start may hold pointers to any handle.
  if (exiting_ || leak_mode() == LeakMode::off || adopted_threads_ > 0 ||
      chan_blocked_.load(std::memory_order_relaxed) == 0) {
    return stuck;
  }
  const HandleRegistry& registry = handle_registry();
  {
    InternalGuard registry_guard(handle_registry().lock());
    if (!registry.complete_locked()) {
      return stuck;
    }
    // Which waiters wait on each channel, and which channels each
    // goroutine has a handle to.
    struct ChanInfo {
      std::vector<G*> waiters;
      bool usable = false;
    };
    std::unordered_map<const ChanCore*, ChanInfo> chans;
    // Mutex waiters by the goroutine whose unlock they wait for.
    std::unordered_map<const G*, std::vector<G*>> mutex_waiters_of;
    for (G* g = live_; g != nullptr; g = g->next_live) {
      g->can_wake = !is_waiter(*g);
      if (is_chan_waiter(*g)) {
        for_each_wait(*g, [&](const ChanCore* c) {
          std::vector<G*>& waiters = chans[c].waiters;
          if (waiters.empty() || waiters.back() != g) {
            waiters.push_back(g);
          }
        });
      } else if (is_mutex_waiter(*g)) {
        if (const G* owner = live_mutex_owner(*g); owner != nullptr) {
          mutex_waiters_of[owner].push_back(g);
        } else {
          g->can_wake = true;
        }
      }
    }
    std::unordered_map<const G*, std::vector<ChanInfo*>> chans_held_by;
    std::vector<ChanInfo*> usable;
    for (auto& [core, info] : chans) {
      const std::vector<const void*>* handles = registry.handles_locked(core);
      if (handles == nullptr) {
        continue;
      }
      for (const void* handle : *handles) {
        if (const G* holder = owner_locked(handle); holder != nullptr) {
          chans_held_by[holder].push_back(&info);
        } else {
          usable.push_back(&info);
        }
      }
    }
    // Spread "may run" from goroutines that may run, through the channels
    // they can use, to the waiters on those channels.
    std::vector<G*> running;
    for (G* g = live_; g != nullptr; g = g->next_live) {
      if (g->can_wake) {
        running.push_back(g);
      }
    }
    auto mark_usable = [&](ChanInfo* info) {
      if (info->usable) {
        return;
      }
      info->usable = true;
      for (G* waiter : info->waiters) {
        if (!waiter->can_wake) {
          waiter->can_wake = true;
          running.push_back(waiter);
        }
      }
    };
    for (ChanInfo* info : usable) {
      mark_usable(info);
    }
    auto use_handles_of = [&](const G* holder) {
      if (auto found = chans_held_by.find(holder);
          found != chans_held_by.end()) {
        for (ChanInfo* info : found->second) {
          mark_usable(info);
        }
      }
    };
    while (!running.empty()) {
      G* g = running.back();
      running.pop_back();
      use_handles_of(g);
      for (const G* other : g->reaches) {
        use_handles_of(other);
      }
      // A goroutine that may run may also unlock the mutexes it holds.
      if (auto found = mutex_waiters_of.find(g);
          found != mutex_waiters_of.end()) {
        for (G* waiter : found->second) {
          if (!waiter->can_wake) {
            waiter->can_wake = true;
            running.push_back(waiter);
          }
        }
      }
    }
    for (G* g = live_; g != nullptr; g = g->next_live) {
      if (g->can_wake) {
        continue;
      }
      if (all_stuck != nullptr) {
        ++*all_stuck;
      }
      if (!g->reported_stuck) {
        stuck.push_back(g);
      }
    }
  }
  return stuck;
}

void Scheduler::report_partial_deadlock_locked(const std::vector<G*>& stuck) {
  const bool fatal = leak_mode() == LeakMode::fail;
  const std::string count =
      std::to_string(stuck.size()) +
      (stuck.size() == 1 ? " goroutine is" : " goroutines are");
  const std::string message = count + " asleep for good - partial deadlock!";
  std::string text = fatal ? "fatal error: " + message + "\n"
                           : "racecourse: " + message + "\n";
  const bool on_mutex = std::any_of(stuck.begin(), stuck.end(), [](const G* g) {
    return is_mutex_waiter(*g);
  });
  text += on_mutex ? "No goroutine able to run can reach the channels they "
                     "wait on or unlock the mutexes they wait for.\n"
          : stuck.size() == 1
              ? "No goroutine able to run can reach the channel it waits on.\n"
              : "No goroutine able to run can reach the channels they wait "
                "on.\n";
  if (!fatal) {
    text +=
        "The program runs on (RACECOURSE_LEAKS=warn); RACECOURSE_LEAKS=fail "
        "ends it here with status 2.\n";
  }

  std::string goroutines = "[";
  for (G* g : stuck) {
    g->reported_stuck = true;
    const GoroutineView view = view_of(*g);
    text += "\n";
    append_goroutine_text(text, view);
    goroutines += (goroutines.size() > 1 ? "," : "") + goroutine_json(view);
  }
  goroutines += "]";

  const std::string event = "{\"event\":\"partial_deadlock\",\"mode\":\"" +
                            std::string(fatal ? "fail" : "warn") +
                            "\",\"message\":" + json_string(message) +
                            ",\"goroutines\":" + goroutines + "}";
  if (fatal) {
    die(text, event);
  }
  write_stderr(text);
  emit_event(event);
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
  view.reported_stuck = g.reported_stuck;
  return view;
}

MemoryRange current_stack() noexcept {
  pthread_attr_t attributes;
  if (::pthread_getattr_np(::pthread_self(), &attributes) != 0) {
    return {};
  }
  void* low = nullptr;
  std::size_t size = 0;
  const int status = ::pthread_attr_getstack(&attributes, &low, &size);
  ::pthread_attr_destroy(&attributes);
  if (status != 0) {
    return {};
  }
  return MemoryRange{low, static_cast<const char*>(low) + size};
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

void block_on_chans(G* g,
                    const char* reason,
                    SourceLocation where,
                    const ChanWait& wait) noexcept {
  scheduler().block_on_chans(g, reason, where, wait);
}

void block_forever(const char* reason, SourceLocation where) noexcept {
  tsan::Hidden hidden;
  G* g = current_g();
  // select() with no cases is the way to sleep forever on purpose (a
  // server whose goroutines do the work), so it gets no partial-deadlock
  // report. A nil channel is usually a mistake and gets one.
  if (std::strcmp(reason, "select (no cases)") == 0) {
    block(g, reason, where);
  } else {
    block_on_chans(g, reason, where, ChanWait{});
  }
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

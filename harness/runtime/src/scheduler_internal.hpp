// The scheduler object behind detail/sched.hpp. Internal to the runtime.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "racecourse/detail/lock.hpp"
#include "racecourse/detail/sched.hpp"

#include "report_internal.hpp"

namespace racecourse::detail {

class Scheduler {
 public:
  G* register_thread();
  G* create_goroutine(std::string name,
                      SourceLocation created_at,
                      G* creator,
                      MemoryRange task);
  // Records the stack of `g`, a goroutine whose thread has just started.
  void set_stack(G* g, MemoryRange stack);
  void exit_goroutine(G* g);
  // The goroutine's function has returned: it is about to exit.
  void set_finishing(G* g);

  void block(G* g,
             const char* reason,
             SourceLocation where,
             const MutexCore* waiting_for);
  void block_on_chans(G* g,
                      const char* reason,
                      SourceLocation where,
                      const ChanWait& wait);
  void ready(G* g);
  // A handle to `core` was dropped: the goroutines waiting on it may now be
  // asleep for good.
  void chan_handle_dropped(const ChanCore* core);
  void set_sleeping(G* g, bool sleeping, SourceLocation where);
  void timer_added();
  void timer_fired();

  std::vector<GoroutineView> snapshot();
  std::vector<GoroutineView> snapshot_locked_impl() const;
  // Stops deadlock detection: the program is ending.
  void begin_exit();
  // Records a thread of the runtime or of TSan that is not a goroutine and
  // must not count as a foreign thread.
  void add_internal_thread(pid_t tid);
  // Records every thread alive now, other than the caller, as internal.
  void record_internal_threads();

 private:
  G* allocate_locked();
  void link_locked(G* g);
  void unlink_locked(G* g);
  void check_global_deadlock_locked(const G* last);
  void check_lock_cycle_locked(const G* start);
  [[noreturn]] void report_lock_cycle_locked(
      const std::vector<const G*>& cycle);
  bool foreign_thread_alive_locked() const;

  // Memory ranges of live goroutines, for attributing handle addresses.
  void add_range_locked(G* g, MemoryRange range);
  void remove_ranges_locked(const G* g);
  G* owner_locked(const void* address) const;
  // The partial-deadlock check (see scheduler.cpp).
  bool may_wake_locked(G* start);
  // Records that `g` can use the handles in `target`'s memory, and in the
  // memory of every goroutine `target` reaches.
  void add_reach_locked(G* g, G* target);
  // Starts the monitor when some waiter cannot wake.
  void find_partial_deadlock_locked();
  void start_monitor_locked();
  // The monitor thread's loop: confirms and reports partial deadlocks, and
  // re-checks deadlocks that a foreign thread keeps from being proven.
  void monitor();
  // Returns the waiters that cannot wake and were not reported yet, and
  // counts in *all_stuck those that cannot wake, reported or not.
  std::vector<G*> stuck_waiters_locked(std::size_t* all_stuck = nullptr);
  void report_partial_deadlock_locked(const std::vector<G*>& stuck);
  bool known_thread_locked(pid_t tid) const;

  InternalLock lock_;
  G* live_ = nullptr;          // newest first
  std::vector<const G*> all_;  // every record ever made, for thread ids
  std::vector<pid_t> internal_tids_;
  struct OwnedRange {
    MemoryRange range;
    G* owner;
  };
  std::vector<OwnedRange> ranges_;  // sorted by range.begin
  // Goroutines blocked in a channel operation; read without the lock as a
  // hint that a dropped handle needs a check.
  std::atomic<std::int64_t> chan_blocked_{0};
  std::uint64_t checks_ = 0;      // numbers each may_wake_locked() search
  std::vector<G*> search_stack_;  // may_wake_locked()'s goroutines to visit
  bool monitor_running_ = false;  // a thread runs monitor()
  // Whether the exit marker (see scheduler.cpp) was registered at the
  // first go() and at the first monitor start.
  bool go_marker_registered_ = false;
  bool monitor_marker_registered_ = false;
  // Counts goroutines starting, blocking, waking and exiting.
  std::uint64_t state_changes_ = 0;
  // Live threads that used the runtime but were not started by go().
  std::int64_t adopted_threads_ = 0;
  std::int64_t next_id_ = 2;  // 1 is the main thread
  std::int64_t live_count_ = 0;
  std::int64_t awake_count_ = 0;
  std::int64_t pending_timers_ = 0;
  bool exiting_ = false;
};

Scheduler& scheduler();
// The calling thread's stack.
MemoryRange current_stack() noexcept;
void set_current_g(G* g) noexcept;
void goroutine_exit(G* g) noexcept;
// Registers the leak report that runs when main returns (exit.cpp).
void install_exit_hook();

}  // namespace racecourse::detail

// The scheduler object behind detail/sched.hpp. Internal to the runtime.
#pragma once

#include <sys/types.h>

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
                      std::int64_t creator_id);
  void exit_goroutine(G* g);

  void block(G* g,
             const char* reason,
             SourceLocation where,
             const MutexCore* waiting_for);
  void ready(G* g);
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
  bool known_thread_locked(pid_t tid) const;

  InternalLock lock_;
  G* live_ = nullptr;          // newest first
  std::vector<const G*> all_;  // every record ever made, for thread ids
  std::vector<pid_t> internal_tids_;
  std::int64_t next_id_ = 2;  // 1 is the main thread
  std::int64_t live_count_ = 0;
  std::int64_t awake_count_ = 0;
  std::int64_t pending_timers_ = 0;
  bool exiting_ = false;
};

Scheduler& scheduler();
void set_current_g(G* g) noexcept;
void goroutine_exit(G* g) noexcept;
// Registers the leak report that runs when main returns (exit.cpp).
void install_exit_hook();

}  // namespace racecourse::detail

// The scheduler object behind detail/sched.hpp. Internal to the runtime.
#pragma once

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

 private:
  G* allocate_locked();
  void link_locked(G* g);
  void unlink_locked(G* g);
  void check_global_deadlock_locked(const G* last);
  void check_lock_cycle_locked(const G* start);
  [[noreturn]] void report_lock_cycle_locked(
      const std::vector<const G*>& cycle);

  InternalLock lock_;
  G* live_ = nullptr;       // newest first
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

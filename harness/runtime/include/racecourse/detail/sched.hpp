// Goroutine records and the scheduler's accounting.
//
// Invariants, all guarded by the scheduler lock:
// - kAwake: `awake_count` equals the number of live goroutines whose state
//   is Running or Sleeping. A goroutine becomes Running again when a waker
//   calls ready(), before it has actually resumed, so the count never drops
//   to zero while a wake-up is in flight.
// - kGlobalDeadlock: when `awake_count` is zero, no timer is pending and a
//   goroutine is live, every live goroutine is blocked in a runtime
//   primitive and none can ever wake: Go's "all goroutines are asleep".
//
// Lock order: a primitive's own InternalLock(s) first, then the scheduler
// lock. Everything here must run inside a tsan::Hidden region.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "racecourse/source_location.hpp"

namespace racecourse::detail {

class ChanCore;
class MutexCore;
struct SelectCase;

// A span of memory [begin, end) that belongs to one goroutine.
struct MemoryRange {
  const void* begin = nullptr;
  const void* end = nullptr;

  bool contains(const void* address) const noexcept {
    return begin <= address && address < end;
  }
};

// The channels a goroutine blocked in a channel operation waits on: one
// channel, a select's cases (valid until it wakes), or none at all (a nil
// channel, select with no cases).
struct ChanWait {
  ChanCore* chan = nullptr;
  const SelectCase* cases = nullptr;
  int case_count = 0;
};

enum class GState : std::uint8_t {
  running,
  sleeping,  // in sleep_for: shown as [sleep] but counted awake
  blocked,
  dead,
};

// One goroutine: an OS thread started by go(), the main thread, or another
// thread that used a runtime primitive.
struct G {
  std::int64_t id = 0;
  std::string name;
  SourceLocation created_at;  // the go() call; unknown for main
  std::int64_t creator_id = 0;
  pid_t os_tid = 0;
  bool started_by_go = false;

  // Guarded by the scheduler lock.
  GState state = GState::running;
  const char* wait_reason = "";  // Go's words: "chan send", "semacquire"
  SourceLocation blocked_at;
  const MutexCore* waiting_for = nullptr;  // the Mutex it waits to lock
  G* next_live = nullptr;
  G* prev_live = nullptr;

  // For the partial-deadlock check (see handles.hpp), guarded by the
  // scheduler lock. The goroutine's own memory: its thread's stack and,
  // when go() started it, the task holding f and its arguments.
  MemoryRange stack;
  MemoryRange task;
  // Goroutines whose handles this one can use: its creator, those whose
  // stack or task its task pointed into when it started (a [&] capture,
  // std::ref), and whatever those reach in turn.
  std::vector<G*> reaches;
  std::vector<G*> reached_by;  // the reverse of `reaches`
  bool in_chan_wait = false;   // blocked in a channel operation or select
  ChanWait chan_wait;
  bool reported_stuck = false;  // reported as asleep for good
  bool finishing = false;       // its function has returned
  // Scratch state of one check: the check's number when it visited this
  // goroutine, and whether it found the goroutine able to wake.
  std::uint64_t visited_in = 0;
  bool can_wake = false;

  // Set to 1 by unpark(); park() returns once it sees 1.
  std::atomic<std::uint32_t> park_word{0};
  // A select's waiters race to fire; the first to move this 0 -> 1 wins.
  std::atomic<std::uint32_t> select_done{0};
  // The select waiter that fired, written by the waker before ready().
  void* fired_waiter = nullptr;
};

// The calling thread's goroutine; registers the thread on first use.
G* current_g() noexcept;

// Marks `g` (the caller) blocked for `reason` at `where`. Call with the
// primitive's lock held, then drop that lock and park(). Does not return
// when this block completes a global deadlock or a lock cycle: it prints
// Go's fatal error and exits with status 2.
void block(G* g,
           const char* reason,
           SourceLocation where,
           const MutexCore* waiting_for = nullptr) noexcept;

// The same for a channel operation or select. `wait` names the channels it
// waits on, so the partial-deadlock check can tell whether any goroutine
// that could still run holds a handle to them. Does not return when this
// block leaves goroutines asleep for good and RACECOURSE_LEAKS=fail.
void block_on_chans(G* g,
                    const char* reason,
                    SourceLocation where,
                    const ChanWait& wait) noexcept;

// Marks `g` runnable again. Call with the primitive's lock held, then
// unpark(g) once that lock is dropped.
void ready(G* g) noexcept;

void park(G* g) noexcept;
void unpark(G* g) noexcept;

// Blocks the caller forever (nil channel, empty select).
[[noreturn]] void block_forever(const char* reason,
                                SourceLocation where) noexcept;

// Timers keep a program awake: while one is pending, a blocked select on
// its channel is not a deadlock.
void timer_added() noexcept;
void timer_fired() noexcept;

// Sleep bookkeeping for dumps; sleeping goroutines count as awake.
void set_sleeping(G* g, bool sleeping, SourceLocation where) noexcept;

}  // namespace racecourse::detail

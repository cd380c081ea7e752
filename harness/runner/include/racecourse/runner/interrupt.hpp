// What the runner does when it is interrupted (SIGINT, SIGTERM, SIGHUP):
// it kills the process group of every child it started, reaps them,
// removes its temporary folders, writes no reports and exits 128 + the
// signal number (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
#pragma once

#include <sys/types.h>

namespace racecourse::runner {

// While alive, SIGINT, SIGTERM and SIGHUP are blocked in the thread that
// made it (and in the threads it starts later, which inherit the mask) and
// a watcher thread takes them with sigtimedwait. On a signal the watcher
// records it and SIGKILLs the process group of every tracked child.
// Construct it before starting worker threads; one at a time.
class InterruptWatch {
 public:
  InterruptWatch();
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;
  ~InterruptWatch();  // stops the watcher and restores the signal mask
};

// The signal that interrupted the runner, or 0.
int interrupt_signal();

// Adds a started child (its pid is also its process group id) to the
// children killed on interruption. Returns false when the runner is
// already interrupted: the caller must then kill the child itself.
bool track_child(pid_t pid);

// Reaps `pid` with waitpid(WNOHANG) and, when it is reaped, stops tracking
// it, both under the tracking lock, so an interruption never signals a
// process group whose id the kernel may have reused. Returns true when
// the child was reaped; `status` receives its wait status.
bool reap_tracked_child(pid_t pid, int* status);

}  // namespace racecourse::runner

#include "racecourse/goroutine.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <exception>
#include <string>
#include <system_error>
#include <thread>

#include "racecourse/detail/sched.hpp"
#include "racecourse/detail/tsan.hpp"
#include "racecourse/panic.hpp"

#include "scheduler_internal.hpp"

namespace racecourse {
namespace detail {
namespace {

void run_goroutine(G* g, std::unique_ptr<Task> task) {
  {
    tsan::Hidden hidden;
    g->os_tid = static_cast<pid_t>(::syscall(SYS_gettid));
    scheduler().set_stack(g, current_stack());
    set_current_g(g);
    emit_event(
        "{\"event\":\"go\",\"goroutine\":" + goroutine_json(view_of(*g)) + "}");
  }
  try {
    task->run();
  } catch (const std::exception& error) {
    panic(std::string("uncaught exception: ") + error.what());
  } catch (...) {
    panic("uncaught exception of a type not derived from std::exception");
  }
  {
    tsan::Hidden hidden;
    scheduler().set_finishing(g);
  }
  // Outside the Hidden region: the captures' destructors are user code.
  task.reset();
  tsan::Hidden hidden;
  goroutine_exit(g);
}

}  // namespace

void start_goroutine(std::unique_ptr<Task> task,
                     std::size_t task_size,
                     std::string name,
                     SourceLocation created_at) {
  G* g = nullptr;
  {
    tsan::Hidden hidden;
    G* creator = current_g();
    const auto* begin = reinterpret_cast<const char*>(task.get());
    g = scheduler().create_goroutine(std::move(name), created_at, creator,
                                     MemoryRange{begin, begin + task_size});
  }
  // Created outside the Hidden region: thread creation is the edge from
  // go() to the start of f that TSan must see.
  try {
    std::thread(run_goroutine, g, std::move(task)).detach();
  } catch (const std::system_error& error) {
    fatal_error(std::string("runtime: failed to create new OS thread: ") +
                error.what());
  }
}

}  // namespace detail

std::int64_t goroutine_id() noexcept {
  detail::tsan::Hidden hidden;
  return detail::current_g()->id;
}

}  // namespace racecourse

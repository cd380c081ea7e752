#include "racecourse/panic.hpp"

#include <string>
#include <vector>

#include "racecourse/detail/sched.hpp"
#include "racecourse/detail/tsan.hpp"

#include "report_internal.hpp"

namespace racecourse {
namespace detail {
namespace {

// Prints `headline` and the dump with the caller first, shown as running at
// `where`, then exits with status 2.
[[noreturn]] void die_with_dump(std::string_view headline,
                                std::string_view kind,
                                std::string_view message,
                                SourceLocation where) {
  tsan::Hidden hidden;
  const std::int64_t self = current_g()->id;
  std::vector<GoroutineView> all = snapshot();
  for (GoroutineView& g : all) {
    if (g.id == self) {
      g.state = "running";
      g.blocked_at = where;
    }
  }
  std::string text(headline);
  text += "\n";
  append_dump_text(text, all, self);
  const std::string fields = "\"message\":" + json_string(message) +
                             ",\"goroutine\":" + std::to_string(self) +
                             ",\"goroutines\":" + goroutines_json(all) + "}";
  const std::string event =
      kind == "panic"
          ? "{\"event\":\"panic\"," + fields
          : "{\"event\":\"fatal\",\"kind\":" + json_string(kind) + "," + fields;
  die(text, event);
}

}  // namespace

void fatal_error(std::string_view message, SourceLocation where) noexcept {
  die_with_dump("fatal error: " + std::string(message), "fatal", message,
                where);
}

}  // namespace detail

void panic(std::string_view message, SourceLocation where) noexcept {
  detail::die_with_dump("panic: " + std::string(message), "panic", message,
                        where);
}

}  // namespace racecourse

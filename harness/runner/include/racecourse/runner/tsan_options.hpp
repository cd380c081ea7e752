// The ThreadSanitizer options the runner gives every child.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace racecourse::runner {

// Returns `user_options` (the caller's TSAN_OPTIONS, may be empty) with the
// runner's options appended: log_path=<log_path>, detect_deadlocks=1,
// second_deadlock_stack=1, report_thread_leaks=1, halt_on_error=0 and
// exitcode=66. Any user option with one of those names is dropped, since
// the runner reads TSan's logs and exit status and needs them to hold; the
// user's other options are kept in order.
std::string merge_tsan_options(std::string_view user_options,
                               const std::filesystem::path& log_path);

// The exit status the runner asks TSan to use when it reported something.
inline constexpr int kTsanExitCode = 66;

}  // namespace racecourse::runner

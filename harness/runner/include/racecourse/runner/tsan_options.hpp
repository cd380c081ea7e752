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

// True when TSan's option parser can read `value` quoted: it has no escape
// character, so a value containing both ' and " cannot be given.
bool can_quote_option_value(std::string_view value);

// Returns why TSan would reject `user_options` (an unterminated quote, an
// option without '='), or "" when the runner can pass them on. Invalid
// values (halt_on_error=x) are not checked here: TSan rejects them in the
// child, which the runner reports as an error finding.
std::string tsan_options_problem(std::string_view user_options);

// The exit status the runner asks TSan to use when it reported something.
inline constexpr int kTsanExitCode = 66;

}  // namespace racecourse::runner

// Small string_view helpers for the line-by-line parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace racecourse::parser::detail {

// Splits `text` at '\n' and drops a trailing '\r' from each line. The views
// point into `text`. A final line without '\n' is kept.
std::vector<std::string_view> split_lines(std::string_view text);

std::string_view trim(std::string_view text);

// Removes `prefix` from the front of `text` and returns true when `text`
// starts with it; otherwise leaves `text` alone.
bool consume(std::string_view& text, std::string_view prefix);

// Removes a run of decimal digits from the front of `text` and returns its
// value; nullopt when there is none or it does not fit in an int.
std::optional<int> consume_int(std::string_view& text);

// Like consume_int, for values up to INT64_MAX.
std::optional<std::int64_t> consume_int64(std::string_view& text);

// Removes a "T<digits>" or "main thread" / "thread T<digits>" reference from
// the front of `text` and returns it as "T1" or "main thread".
std::optional<std::string> consume_thread(std::string_view& text);

// Returns everything up to `delimiter` and removes it and the delimiter
// from `text`; nullopt (and `text` unchanged) when `delimiter` is absent.
std::optional<std::string_view> consume_until(std::string_view& text,
                                              std::string_view delimiter);

bool is_digits(std::string_view text);

}  // namespace racecourse::parser::detail

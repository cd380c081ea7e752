// Go's time.After and time.Sleep.
#pragma once

#include <chrono>

#include "racecourse/chan.hpp"
#include "racecourse/source_location.hpp"

namespace racecourse {

using TimePoint = std::chrono::steady_clock::time_point;

namespace detail {
RecvChan<TimePoint> after_ns(std::chrono::nanoseconds delay,
                             SourceLocation where);
void sleep_ns(std::chrono::nanoseconds delay, SourceLocation where);
}  // namespace detail

// Returns a channel that receives the current time once, after `delay`
// (Go's time.After). While the timer is pending the program counts as
// awake, so a select waiting on it is never taken for a deadlock. The
// timer's send synchronizes with nothing but its receiver.
template <class Rep, class Period>
RecvChan<TimePoint> after(std::chrono::duration<Rep, Period> delay,
                          SourceLocation where = SourceLocation::current()) {
  return detail::after_ns(std::chrono::ceil<std::chrono::nanoseconds>(delay),
                          where);
}

// Sleeps for `delay` (Go's time.Sleep). A sleeping goroutine is awake for
// the deadlock detector and shows as [sleep] in dumps.
template <class Rep, class Period>
void sleep_for(std::chrono::duration<Rep, Period> delay,
               SourceLocation where = SourceLocation::current()) {
  detail::sleep_ns(std::chrono::ceil<std::chrono::nanoseconds>(delay), where);
}

}  // namespace racecourse

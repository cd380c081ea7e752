// Helpers the lesson cases share: the pace of the course's pauses and a
// repeatable random seed.
//
// RACECOURSE_PACE scales every pause: unset, the pauses run at 1/100 of the
// course's pace so each case finishes in well under two seconds under
// TSan; "course" (or 1) restores the original pace for a classroom demo;
// any other positive number is the factor itself, such as 0.1.
//
// RACECOURSE_SEED fixes the random seed; unset, a seed is drawn and
// printed as "seed: N" on stderr, so a surprising run can be repeated.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "racecourse/time.hpp"

namespace course {

// The factor applied to the course's pauses.
inline double pace_factor() {
  static const double factor = [] {
    const char* value = std::getenv("RACECOURSE_PACE");
    if (value == nullptr || *value == '\0') {
      return 0.01;
    }
    if (std::string(value) == "course") {
      return 1.0;
    }
    char* end = nullptr;
    const double parsed = std::strtod(value, &end);
    if (end == value || *end != '\0' || !(parsed > 0)) {
      std::fprintf(stderr,
                   "invalid RACECOURSE_PACE='%s': use \"course\" or a "
                   "positive factor such as 0.1; using 0.01\n",
                   value);
      return 0.01;
    }
    return parsed;
  }();
  return factor;
}

// The course's pause `course_time`, scaled by the pace factor.
inline std::chrono::microseconds paced(std::chrono::milliseconds course_time) {
  return std::chrono::microseconds(
      static_cast<std::int64_t>(course_time.count() * 1000 * pace_factor()));
}

// Sleeps for the scaled `course_time` (racecourse::sleep_for, so the
// deadlock detector counts the goroutine as awake).
inline void pause(std::chrono::milliseconds course_time) {
  racecourse::sleep_for(paced(course_time));
}

// The run's random seed: RACECOURSE_SEED, or a fresh one printed once.
inline std::uint64_t seed() {
  static const std::uint64_t value = [] {
    const char* text = std::getenv("RACECOURSE_SEED");
    if (text != nullptr && *text != '\0') {
      return static_cast<std::uint64_t>(std::strtoull(text, nullptr, 10));
    }
    const std::uint64_t drawn = std::random_device{}();
    std::fprintf(stderr, "seed: %llu (set RACECOURSE_SEED to repeat)\n",
                 static_cast<unsigned long long>(drawn));
    return drawn;
  }();
  return value;
}

}  // namespace course

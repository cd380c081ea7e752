// The runner's version, from the CMake project version.
#pragma once

namespace racecourse::runner {

inline constexpr const char* kVersion = RACECOURSE_VERSION;

}  // namespace racecourse::runner

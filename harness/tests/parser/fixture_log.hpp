// Helpers shared by the parser tests: reading fixture logs and picking
// frames out of parsed stacks.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "racecourse/report/model.hpp"

namespace racecourse::parser::testing {

// Reads ../fixtures/tsan/<name>; throws naming the path when it is missing.
inline std::string read_fixture(const std::string& name) {
  const std::string path = std::string(RACECOURSE_TSAN_FIXTURES) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("fixture not found: " + path +
                             "; regenerate it with "
                             "harness/tests/fixtures/programs/capture.sh");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Returns the first frame whose function starts with `function`, or nullptr.
inline const report::Frame* find_frame(const std::vector<report::Frame>& stack,
                                       std::string_view function) {
  for (const report::Frame& frame : stack) {
    if (frame.function.starts_with(function)) {
      return &frame;
    }
  }
  return nullptr;
}

}  // namespace racecourse::parser::testing

// A hand-built RunSet that exercises every part of the report writers, and
// the golden-file comparison the writer tests share.
#pragma once

#include <filesystem>
#include <string>

#include "racecourse/report/model.hpp"

namespace racecourse::report::testing {

// The fixture folder (harness/tests/fixtures/report).
std::filesystem::path fixture_dir();

// Builds two cases, each racy and fixed. msg-update's racy variant has two
// runs with a data race and one clean run whose stdout contains "<script>",
// "]]>", "|", an escape character and an invalid UTF-8 byte. ping-pong's
// racy variant deadlocks. Sources and lessons are the fixture files.
RunSet sample_run_set();

// Replaces the machine-specific fixture path in `text` with "@FIXTURES@".
std::string normalize(std::string text);

// Compares `actual` (normalized) with golden/<name>. With
// RACECOURSE_UPDATE_GOLDEN=1 in the environment, rewrites the golden file
// instead.
void expect_golden(const std::string& name, const std::string& actual);

// Reads a file; fails the test when it cannot.
std::string read_text(const std::filesystem::path& path);

}  // namespace racecourse::report::testing

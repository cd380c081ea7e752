#include "fixture_run.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

namespace detector_test {
namespace {

namespace fs = std::filesystem;

fs::path make_temp_dir() {
  std::string pattern =
      (fs::temp_directory_path() / "racecourse-detector-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed for " + pattern);
  }
  return pattern;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<nlohmann::json> read_events(const fs::path& path) {
  std::vector<nlohmann::json> events;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    try {
      events.push_back(nlohmann::json::parse(line));
    } catch (const nlohmann::json::parse_error& error) {
      ADD_FAILURE() << "invalid JSON line in " << path << ": " << line << "\n"
                    << error.what();
    }
  }
  return events;
}

std::vector<std::string> read_tsan_logs(const fs::path& dir) {
  std::vector<std::string> logs;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("tsan", 0) == 0) {
      logs.push_back(read_text(entry.path()));
    }
  }
  return logs;
}

}  // namespace

const nlohmann::json* FixtureRun::find_event(std::string_view name,
                                             std::string_view kind) const {
  for (const nlohmann::json& event : events) {
    if (event.value("event", "") == name &&
        (kind.empty() || event.value("kind", "") == kind)) {
      return &event;
    }
  }
  return nullptr;
}

std::vector<std::string> FixtureRun::tsan_warnings() const {
  std::vector<std::string> warnings;
  for (const std::string& log : tsan_logs) {
    std::istringstream lines(log);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.find("WARNING: ThreadSanitizer: ") != std::string::npos) {
        warnings.push_back(line);
      }
    }
  }
  return warnings;
}

FixtureRun run_fixture(const std::string& program,
                       const std::string& scenario,
                       ChildOptions options) {
  const fs::path dir = make_temp_dir();
  const fs::path events = dir / "events.jsonl";
  options.set_env.push_back("RACECOURSE_EVENTS=" + events.string());
  options.set_env.push_back("TSAN_OPTIONS=log_path=" + (dir / "tsan").string());
  bool leaks_set = false;
  for (const std::string& entry : options.set_env) {
    leaks_set = leaks_set || entry.rfind("RACECOURSE_LEAKS=", 0) == 0;
  }
  if (!leaks_set) {
    options.unset_env.push_back("RACECOURSE_LEAKS");
  }

  FixtureRun run;
  run.child = run_child({program, scenario}, options);
  run.events = read_events(events);
  run.tsan_logs = read_tsan_logs(dir);
  fs::remove_all(dir);
  return run;
}

FixtureSource::FixtureSource(std::string path) : path_(std::move(path)) {
  std::ifstream in(path_);
  if (!in) {
    throw std::runtime_error("failed to read fixture source " + path_ +
                             ": is RACECOURSE_DETECTOR_FIXTURE_DIR right?");
  }
  std::string line;
  while (std::getline(in, line)) {
    lines_.push_back(line);
  }
}

int FixtureSource::line_of(std::string_view marker) const {
  const std::string comment = "// " + std::string(marker);
  int found = 0;
  int count = 0;
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    const std::string& line = lines_[i];
    if (line.size() >= comment.size() &&
        line.compare(line.size() - comment.size(), comment.size(), comment) ==
            0) {
      found = static_cast<int>(i) + 1;
      ++count;
    }
  }
  if (count != 1) {
    ADD_FAILURE() << "marker '" << comment << "' ends " << count << " lines of "
                  << path_ << "; it must end exactly one";
    return 0;
  }
  return found;
}

bool same_file(const std::string& file, const std::string& path) {
  std::error_code error;
  return fs::equivalent(file, path, error);
}

void expect_tsan_clean(const FixtureRun& run, std::string_view allowed) {
  for (const std::string& warning : run.tsan_warnings()) {
    if (allowed.empty() || warning.find(allowed) == std::string::npos) {
      ADD_FAILURE() << "ThreadSanitizer reported: " << warning
                    << "\nfull logs:\n"
                    << (run.tsan_logs.empty() ? "" : run.tsan_logs.front());
    }
  }
}

}  // namespace detector_test

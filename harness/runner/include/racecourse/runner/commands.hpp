// The runner's commands, one function each. Each returns the process exit
// status (0 all expectations met, 1 some unmet) and throws UsageError for
// usage and setup errors, which the CLI turns into exit status 2.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace racecourse::runner {

struct RunOptions {
  std::vector<std::string> cases;  // empty: every case
  std::string variant = "all";     // racy, fixed or all
  int repeat = 1;
  std::optional<int> jobs;                // default: the number of cores
  std::optional<double> timeout_seconds;  // default: each case's own
  std::string report_dir = "reports";
  std::string manifest;  // default: beside the executable
  bool verbose = false;
};

struct CheckOptions {
  std::vector<std::string> program;  // program and its arguments
  std::vector<std::string> expect;   // verdict names; default: clean
  std::optional<double> timeout_seconds;
  std::string report_dir = "reports";
  int repeat = 1;
  std::optional<int> jobs;
  bool verbose = false;
  bool allow_uninstrumented = false;  // no error for a non-TSan program
};

struct ListOptions {
  bool json = false;
  std::string manifest;
};

struct ExplainOptions {
  std::string case_name;
  std::string manifest;
  bool side_by_side = false;
};

int run_command(const RunOptions& options, std::ostream& out);
int check_command(const CheckOptions& options, std::ostream& out);
int list_command(const ListOptions& options, std::ostream& out);
int explain_command(const ExplainOptions& options, std::ostream& out);

}  // namespace racecourse::runner

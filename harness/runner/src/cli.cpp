#include "racecourse/runner/cli.hpp"

#include <csignal>
#include <functional>
#include <iostream>

#include <CLI/CLI.hpp>

#include "racecourse/runner/commands.hpp"
#include "racecourse/runner/errors.hpp"
#include "racecourse/runner/version.hpp"

namespace racecourse::runner {
namespace {

constexpr int kUsageExitCode = 2;

constexpr const char* kExitStatusHelp =
    "Exit status: 0 when every run met its expectation, 1 when some did "
    "not, 2 for a usage or setup error, 128+N when interrupted by signal N "
    "(130 SIGINT, 143 SIGTERM, 129 SIGHUP), after killing every running "
    "program and writing no reports.\n\n"
    "A program's non-zero exit status that no TSan report or runtime event "
    "explains is a finding: status 66 (TSan's) with no readable TSan report "
    "is an error; any other status is wrong-output when the case requires "
    "an output pattern, else crash.";

void add_manifest_option(CLI::App& command, std::string& manifest) {
  command.add_option("--manifest", manifest,
                     "Case manifest (JSON) to read; default: "
                     "racecourse-cases.json beside this program");
}

CLI::App* add_run(CLI::App& app, RunOptions& options) {
  CLI::App* run = app.add_subcommand(
      "run",
      "Run the cases' variants and check each verdict against the "
      "expected one");
  run->add_option("cases", options.cases,
                  "Cases to run (see 'racecourse list'); default: all");
  run->add_option("--variant", options.variant,
                  "Variant to run: racy, fixed or all (default)");
  run->add_option("--repeat", options.repeat, "Runs per variant (default 1)");
  run->add_option("--jobs,-j", options.jobs,
                  "Runs at the same time (default: the number of cores)");
  run->add_option("--timeout", options.timeout_seconds,
                  "Seconds before a run is stopped (default: the case's "
                  "own, 30 unless set)");
  run->add_option("--report-dir", options.report_dir,
                  "Folder for the reports (default: reports)");
  add_manifest_option(*run, options.manifest);
  run->add_flag("-v,--verbose", options.verbose,
                "Log each run to stderr and keep its run folder");
  return run;
}

CLI::App* add_check(CLI::App& app, CheckOptions& options) {
  CLI::App* check =
      app.add_subcommand("check",
                         "Run any program the way cases run: racecourse check "
                         "[OPTIONS] -- PROGRAM [ARGS...]");
  check
      ->add_option("--expect", options.expect,
                   "Expected verdict, such as data-race; repeat to accept "
                   "several (default: clean)")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  check->add_option("--timeout", options.timeout_seconds,
                    "Seconds before the program is stopped (default 30)");
  check->add_option("--report-dir", options.report_dir,
                    "Folder for the reports (default: reports)");
  check->add_option("--repeat", options.repeat, "Number of runs (default 1)");
  check->add_option("--jobs,-j", options.jobs,
                    "Runs at the same time (default: the number of cores)");
  check->add_flag("-v,--verbose", options.verbose,
                  "Log each run to stderr and keep its run folder");
  check->add_flag("--allow-uninstrumented", options.allow_uninstrumented,
                  "Run a program built without -fsanitize=thread without "
                  "an error finding (its races stay unseen)");
  check->add_option("program", options.program,
                    "The program and its arguments, after --");
  return check;
}

CLI::App* add_list(CLI::App& app, ListOptions& options) {
  CLI::App* list = app.add_subcommand(
      "list", "List the cases, their variants and expected verdicts");
  list->add_flag("--json", options.json, "Print JSON instead of text");
  add_manifest_option(*list, options.manifest);
  return list;
}

CLI::App* add_explain(CLI::App& app, ExplainOptions& options) {
  CLI::App* explain = app.add_subcommand(
      "explain", "Show a case's lesson, expectations and the fix as a diff");
  explain->add_option("case", options.case_name, "The case to explain")
      ->required();
  explain->add_flag("--side-by-side", options.side_by_side,
                    "Show the diff in two columns instead of unified");
  add_manifest_option(*explain, options.manifest);
  return explain;
}

int report_usage_error(const std::string& message) {
  std::cerr << "racecourse: error: " << message << "\n";
  return kUsageExitCode;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{
      "racecourse: runs programs under ThreadSanitizer, reads what "
      "TSan and the racecourse runtime report, and checks each "
      "verdict against the expected one.",
      "racecourse"};
  app.set_version_flag("--version", std::string("racecourse ") + kVersion);
  app.footer(kExitStatusHelp);
  app.require_subcommand(1);
  RunOptions run;
  CheckOptions check;
  ListOptions list;
  ExplainOptions explain;
  CLI::App* run_app = add_run(app, run);
  CLI::App* check_app = add_check(app, check);
  CLI::App* list_app = add_list(app, list);
  add_explain(app, explain);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {
      return app.exit(error);  // --help or --version
    }
    std::string message = error.what();
    if (argc > 1 && app.get_subcommands().empty() && argv[1][0] != '-') {
      message = std::string("unknown command '") + argv[1] +
                "'; use run, check, list or explain";
    }
    return report_usage_error(message + "; run 'racecourse --help'");
  }

  // A closed stdout must not kill the runner before it reaps its children.
  std::signal(SIGPIPE, SIG_IGN);
  int status = 0;
  try {
    if (run_app->parsed()) {
      status = run_command(run, std::cout);
    } else if (check_app->parsed()) {
      status = check_command(check, std::cout);
    } else if (list_app->parsed()) {
      status = list_command(list, std::cout);
    } else {
      status = explain_command(explain, std::cout);
    }
  } catch (const UsageError& error) {
    return report_usage_error(error.what());
  }
  if (!std::cout.flush()) {
    return report_usage_error(
        "cannot write to standard output (is the disk full or the pipe "
        "closed?); redirect it somewhere writable");
  }
  return status;
}

}  // namespace racecourse::runner

// The racecourse command line.
#pragma once

namespace racecourse::runner {

// Parses the command line, runs the chosen command and returns the exit
// status: 0 all expectations met, 1 some unmet, 2 a usage or setup error
// (with a one-line message on stderr).
int run_cli(int argc, char** argv);

}  // namespace racecourse::runner

#include "racecourse/runner/cli.hpp"

int main(int argc, char** argv) {
  return racecourse::runner::run_cli(argc, argv);
}

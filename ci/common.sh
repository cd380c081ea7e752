# shellcheck shell=bash
# Paths and steps that ci/run-cases and ci/test share: the repository root
# and the build of the tsan preset. Sourcing it only defines variables and
# functions.
#
# Environment:
#   RACECOURSE_BUILD_DIR       build tree to use instead of build/tsan,
#                              relative to the current directory
#   CMAKE_BUILD_PARALLEL_LEVEL build jobs (default 2)

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${RACECOURSE_BUILD_DIR:-$repo_root/build/tsan}
if [[ $build_dir != /* ]]; then
  build_dir=$PWD/$build_dir
fi
build_jobs=${CMAKE_BUILD_PARALLEL_LEVEL:-2}

# Configures and builds the tsan preset in $build_dir. CMake finds
# CMakePresets.json in the current directory, so this runs from the root.
build_tsan() {
  (
    cd "$repo_root" || exit
    if [[ -n ${RACECOURSE_BUILD_DIR:-} ]]; then
      cmake --preset tsan -B "$build_dir"
      cmake --build "$build_dir" --parallel "$build_jobs"
    else
      cmake --preset tsan
      cmake --build --preset tsan --parallel "$build_jobs"
    fi
  )
}

# Runs ctest on the tsan build, passing "$@" on. ctest's --test-dir does not
# override a preset's build tree, so a RACECOURSE_BUILD_DIR run gives the
# tsan test preset's settings as options instead.
test_tsan() {
  (
    cd "$repo_root" || exit
    if [[ -n ${RACECOURSE_BUILD_DIR:-} ]]; then
      ctest --test-dir "$build_dir" --output-on-failure --no-tests=error \
        --timeout 300 "$@"
    else
      ctest --preset tsan --output-on-failure "$@"
    fi
  )
}

// The case manifest that CMake writes beside the runner binary
// (`racecourse-cases.json`): every case, its variants, their binaries and
// what the runner expects of each.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "racecourse/report/model.hpp"

namespace racecourse::runner {

// One variant ("racy" or "fixed") of a case.
struct VariantSpec {
  std::string variant;
  std::string binary;
  std::string source;
  std::vector<report::Verdict> expect;
  std::vector<std::string> args;
  report::OutcomeSpec outcome;
};

// One case: a lesson and its variants.
struct CaseSpec {
  std::string name;
  std::string title;
  std::string dir;
  std::string lesson;
  double timeout_seconds = 30;  // above 0, at most 86400
  std::vector<VariantSpec> variants;
};

struct Manifest {
  std::filesystem::path path;  // the file it was read from
  std::string source_dir;
  std::vector<CaseSpec> cases;

  // Returns the case called `name`; throws UsageError listing the known
  // case names when there is none.
  const CaseSpec& find_case(std::string_view name) const;
  std::string case_names() const;  // "a, b, c"
};

// The schema version this runner reads.
inline constexpr int kManifestSchemaVersion = 1;

// Reads and validates the manifest at `path`. Throws UsageError naming the
// file and what is wrong with it (missing, invalid JSON, a missing field,
// an unknown verdict, an invalid regular expression).
Manifest load_manifest(const std::filesystem::path& path);

// Parses manifest text; `origin` names the file in error messages.
Manifest parse_manifest(std::string_view text,
                        const std::filesystem::path& origin);

// The default manifest: `racecourse-cases.json` in the folder that holds
// the running executable.
std::filesystem::path default_manifest_path();

// Loads the manifest named by --manifest, or the default one when the
// option is empty.
Manifest load_manifest_option(const std::string& manifest_option);

}  // namespace racecourse::runner

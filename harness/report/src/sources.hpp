// Finding a report's source lines on disk. The writers quote source text
// only from the files of the case that produced the report, which are the
// files in the folder of the variant's source (or of its lesson). A frame
// naming any other file is shown by name only, so a report never copies
// arbitrary files.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "racecourse/report/model.hpp"

namespace racecourse::report::detail {

class CaseFiles {
 public:
  CaseFiles(const RunSet& runs, const VariantResult& result);

  // Returns `file` made absolute against the RunSet's source_dir.
  std::filesystem::path resolve(const std::string& file) const;

  // Returns `file` relative to source_dir when it lies inside it, else
  // `file` as given.
  std::string display(const std::string& file) const;

  // True when `file` is the variant's own source file.
  bool is_variant_source(const std::string& file) const;

  // Returns the lines of `file`, or nullptr when it is outside the case's
  // folder or cannot be read.
  const std::vector<std::string>* lines(const std::string& file);

  // Returns line `line` (1-based) of `file`, or nullopt as lines() does or
  // when the file is shorter.
  std::optional<std::string> line_text(const std::string& file, int line);

  // Picks the frame of `stack` to show for an access. That is the first
  // frame in the variant's source, else the first user frame, else the
  // first frame with a file. Returns nullptr for an empty stack.
  const Frame* pick_frame(const std::vector<Frame>& stack) const;

  // Returns the sorted "file:line" of each access's picked frame, joined by
  // ";". Two reports of one data race seen from either side give the same
  // string, so it identifies the race across runs.
  std::string access_sites(const Finding& finding) const;

  // Returns a finding's identity across the variant's runs: its verdict,
  // kind and access sites, or its message when it has no accesses.
  std::string finding_key(const Finding& finding) const;

 private:
  bool in_case_folder(const std::filesystem::path& file) const;

  std::filesystem::path source_dir_;
  std::filesystem::path variant_source_;  // empty when unknown
  std::filesystem::path case_folder_;     // empty when unknown
  std::map<std::filesystem::path, std::optional<std::vector<std::string>>>
      cache_;
};

// Reads a whole file; nullopt when it cannot be opened or read.
std::optional<std::string> read_file(const std::filesystem::path& path);

}  // namespace racecourse::report::detail

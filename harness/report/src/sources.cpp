#include "sources.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "text.hpp"

namespace racecourse::report::detail {
namespace fs = std::filesystem;

namespace {

// Returns `path` in canonical form as far as it exists, so that
// "a/../b/x.cpp" and "b/x.cpp" compare equal.
fs::path normalize(const fs::path& path) {
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(path, error);
  if (error) {
    return path.lexically_normal();
  }
  return canonical;
}

}  // namespace

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return std::nullopt;
  }
  return text.str();
}

CaseFiles::CaseFiles(const RunSet& runs, const VariantResult& result)
    : source_dir_(runs.source_dir) {
  if (!result.source.empty()) {
    variant_source_ = normalize(resolve(result.source));
    case_folder_ = variant_source_.parent_path();
  } else if (!result.lesson.empty()) {
    case_folder_ = normalize(resolve(result.lesson)).parent_path();
  }
}

fs::path CaseFiles::resolve(const std::string& file) const {
  fs::path path(file);
  if (path.is_absolute() || source_dir_.empty()) {
    return path;
  }
  return source_dir_ / path;
}

std::string CaseFiles::display(const std::string& file) const {
  const fs::path path(file);
  if (source_dir_.empty() || !path.is_absolute()) {
    return file;
  }
  const fs::path relative = path.lexically_normal().lexically_relative(
      source_dir_.lexically_normal());
  if (relative.empty() || *relative.begin() == "..") {
    return file;
  }
  return relative.generic_string();
}

bool CaseFiles::is_variant_source(const std::string& file) const {
  return !file.empty() && !variant_source_.empty() &&
         normalize(resolve(file)) == variant_source_;
}

bool CaseFiles::in_case_folder(const fs::path& file) const {
  if (case_folder_.empty()) {
    return false;
  }
  const fs::path relative = file.lexically_relative(case_folder_);
  return !relative.empty() && *relative.begin() != "..";
}

const std::vector<std::string>* CaseFiles::lines(const std::string& file) {
  if (file.empty()) {
    return nullptr;
  }
  const fs::path path = normalize(resolve(file));
  auto [entry, inserted] = cache_.try_emplace(path);
  if (inserted && in_case_folder(path)) {
    if (std::optional<std::string> text = read_file(path)) {
      entry->second = split_lines(*text);
    }
  }
  return entry->second ? &*entry->second : nullptr;
}

std::optional<std::string> CaseFiles::line_text(const std::string& file,
                                                int line) {
  const std::vector<std::string>* text = lines(file);
  if (text == nullptr || line < 1 ||
      static_cast<std::size_t>(line) > text->size()) {
    return std::nullopt;
  }
  return (*text)[line - 1];
}

const Frame* CaseFiles::pick_frame(const std::vector<Frame>& stack) const {
  for (const Frame& frame : stack) {
    if (is_variant_source(frame.file)) {
      return &frame;
    }
  }
  for (const Frame& frame : stack) {
    if (frame.user_code) {
      return &frame;
    }
  }
  for (const Frame& frame : stack) {
    if (!frame.file.empty()) {
      return &frame;
    }
  }
  return stack.empty() ? nullptr : &stack.front();
}

std::string CaseFiles::access_sites(const Finding& finding) const {
  std::vector<std::string> sites;
  for (const Access& access : finding.accesses) {
    const Frame* frame = pick_frame(access.stack);
    sites.push_back(frame == nullptr
                        ? "?"
                        : frame->file + ":" + std::to_string(frame->line));
  }
  std::sort(sites.begin(), sites.end());
  std::string key;
  for (const std::string& site : sites) {
    key += site + ";";
  }
  return key;
}

std::string CaseFiles::finding_key(const Finding& finding) const {
  std::string key =
      std::string(to_string(finding.verdict)) + "|" + finding.kind + "|";
  key += access_sites(finding);
  if (finding.accesses.empty()) {
    key += finding.message;
  }
  return key;
}

}  // namespace racecourse::report::detail

#include "racecourse/runner/manifest.hpp"

#include <fstream>
#include <regex>
#include <sstream>

#include "racecourse/runner/errors.hpp"
#include "racecourse/runner/file_read.hpp"
#include "racecourse/runner/verdict.hpp"

#include <nlohmann/json.hpp>

namespace racecourse::runner {
namespace {

using nlohmann::json;

// Reports a manifest problem as a UsageError naming the file.
[[noreturn]] void fail(const std::filesystem::path& origin,
                       const std::string& what) {
  throw UsageError("invalid case manifest " + origin.string() + ": " + what +
                   "; rebuild the project so CMake writes it again, or pass "
                   "--manifest FILE");
}

// Returns `object[key]` as a string, or `fallback` when absent.
std::string string_field(const json& object,
                         const char* key,
                         const std::string& fallback = "") {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    return fallback;
  }
  return it->get<std::string>();
}

std::vector<report::Verdict> parse_expect(const json& list,
                                          const std::filesystem::path& origin,
                                          const std::string& where) {
  std::vector<report::Verdict> verdicts;
  for (const json& item : list) {
    auto text = item.get<std::string>();
    auto verdict = report::parse_verdict(text);
    if (!verdict) {
      fail(origin, where + " expects unknown verdict '" + text + "'");
    }
    verdicts.push_back(*verdict);
  }
  if (verdicts.empty()) {
    fail(origin, where + " has an empty 'expect' list");
  }
  return verdicts;
}

// Rejects a regular expression std::regex cannot compile.
void check_regex(const std::string& pattern,
                 const std::filesystem::path& origin,
                 const std::string& where) {
  try {
    compile_output_pattern(pattern);
  } catch (const std::regex_error& error) {
    fail(origin, where + " has an invalid regular expression '" + pattern +
                     "' (" + error.what() + ")");
  }
}

// Rejects a name that is not kebab-case (lower-case letters, digits and
// single dashes), since names become file and folder names.
void check_name(const std::string& name,
                const std::filesystem::path& origin,
                const std::string& what) {
  static const std::regex kKebab("[a-z0-9]+(-[a-z0-9]+)*");
  if (!std::regex_match(name, kKebab)) {
    fail(origin, what + " '" + name +
                     "' is invalid: use lower-case letters, digits and "
                     "dashes, such as wait-group");
  }
}

// Rejects a source or lesson path that exists but is no regular file (a
// FIFO would block the report writer, /dev/zero would never end).
void check_readable_file(const std::string& path,
                         const std::filesystem::path& origin,
                         const std::string& where) {
  if (path.empty()) {
    return;
  }
  FileText file = read_regular_file(path, 0);
  if (file.found && !file.error.empty()) {
    fail(origin, where + " names " + path + ", which is " + file.error);
  }
}

VariantSpec parse_variant(const json& object,
                          const std::filesystem::path& origin,
                          const std::string& case_name) {
  VariantSpec spec;
  spec.variant = object.at("variant").get<std::string>();
  check_name(spec.variant, origin, "case '" + case_name + "' variant");
  std::string where = "case '" + case_name + "' variant '" + spec.variant + "'";
  spec.binary = object.at("binary").get<std::string>();
  spec.source = string_field(object, "source");
  check_readable_file(spec.source, origin, where);
  spec.expect = parse_expect(object.at("expect"), origin, where);
  if (auto args = object.find("args"); args != object.end()) {
    spec.args = args->get<std::vector<std::string>>();
  }
  if (auto outcome = object.find("outcome");
      outcome != object.end() && outcome->is_object()) {
    spec.outcome.pattern = string_field(*outcome, "pattern");
    spec.outcome.required = string_field(*outcome, "required");
    check_regex(spec.outcome.pattern, origin, where);
    check_regex(spec.outcome.required, origin, where);
  }
  return spec;
}

CaseSpec parse_case(const json& object, const std::filesystem::path& origin) {
  CaseSpec spec;
  spec.name = object.at("name").get<std::string>();
  check_name(spec.name, origin, "case name");
  spec.title = string_field(object, "title", spec.name);
  spec.dir = string_field(object, "dir");
  spec.lesson = string_field(object, "lesson");
  check_readable_file(spec.lesson, origin, "case '" + spec.name + "' lesson");
  spec.timeout_seconds = object.value("timeout_seconds", 30.0);
  if (!(spec.timeout_seconds > 0) || spec.timeout_seconds > 86400) {
    std::ostringstream value;
    value << spec.timeout_seconds;
    fail(origin, "case '" + spec.name + "' has timeout_seconds " + value.str() +
                     ", which must be above 0 and at most 86400");
  }
  for (const json& variant : object.at("variants")) {
    spec.variants.push_back(parse_variant(variant, origin, spec.name));
    for (std::size_t i = 0; i + 1 < spec.variants.size(); ++i) {
      if (spec.variants[i].variant == spec.variants.back().variant) {
        fail(origin, "case '" + spec.name + "' has variant '" +
                         spec.variants[i].variant + "' twice");
      }
    }
  }
  return spec;
}

}  // namespace

const CaseSpec& Manifest::find_case(std::string_view name) const {
  for (const CaseSpec& spec : cases) {
    if (spec.name == name) {
      return spec;
    }
  }
  throw UsageError("unknown case '" + std::string(name) + "'; known cases: " +
                   case_names() + " (see 'racecourse list')");
}

std::string Manifest::case_names() const {
  std::string names;
  for (const CaseSpec& spec : cases) {
    names += names.empty() ? spec.name : ", " + spec.name;
  }
  return names.empty() ? "(none)" : names;
}

Manifest parse_manifest(std::string_view text,
                        const std::filesystem::path& origin) {
  Manifest manifest;
  manifest.path = origin;
  try {
    json document = json::parse(text);
    int version = document.at("schema_version").get<int>();
    if (version != kManifestSchemaVersion) {
      fail(origin, "schema_version " + std::to_string(version) +
                       " is not supported (this runner reads " +
                       std::to_string(kManifestSchemaVersion) + ")");
    }
    manifest.source_dir = string_field(document, "source_dir");
    for (const json& item : document.at("cases")) {
      CaseSpec spec = parse_case(item, origin);
      for (const CaseSpec& other : manifest.cases) {
        if (other.name == spec.name) {
          fail(origin, "case '" + spec.name + "' appears twice");
        }
      }
      manifest.cases.push_back(std::move(spec));
    }
  } catch (const json::exception& error) {
    fail(origin, error.what());
  }
  return manifest;
}

Manifest load_manifest(const std::filesystem::path& path) {
  FileText file = read_regular_file(path);
  if (!file.error.empty()) {
    throw UsageError("case manifest " + path.string() +
                     " not found or not readable (" + file.error +
                     "); build the project (cmake --build) so CMake writes "
                     "it, or pass --manifest FILE");
  }
  if (file.truncated) {
    fail(path, "it is larger than " + std::to_string(kMaxReadBytes) + " bytes");
  }
  return parse_manifest(file.text, path);
}

std::filesystem::path default_manifest_path() {
  std::error_code error;
  auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    return "racecourse-cases.json";
  }
  return self.parent_path() / "racecourse-cases.json";
}

Manifest load_manifest_option(const std::string& manifest_option) {
  return load_manifest(manifest_option.empty()
                           ? default_manifest_path()
                           : std::filesystem::path(manifest_option));
}

}  // namespace racecourse::runner

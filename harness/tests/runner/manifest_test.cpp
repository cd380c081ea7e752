#include "racecourse/runner/manifest.hpp"

#include <gtest/gtest.h>

#include "racecourse/runner/errors.hpp"

namespace racecourse::runner {
namespace {

constexpr const char* kManifest = R"json({
  "schema_version": 1, "source_dir": "/repo",
  "cases": [{"name": "msg-update", "title": "Message update",
    "dir": "/repo/cases/msg-update",
    "lesson": "/repo/cases/msg-update/lesson.md", "timeout_seconds": 12,
    "variants": [
      {"variant": "racy", "binary": "/b/msg-update-racy",
       "source": "/repo/cases/msg-update/racy.cpp",
       "expect": ["data-race", "leak"], "args": ["--fast"],
       "outcome": {"pattern": "message: (.*)", "required": ""}},
      {"variant": "fixed", "binary": "/b/msg-update-fixed",
       "expect": ["clean"]}]}]})json";

// Returns the UsageError message of parsing `text`, or "" when it parses.
std::string parse_error(const std::string& text) {
  try {
    parse_manifest(text, "/b/racecourse-cases.json");
  } catch (const UsageError& error) {
    return error.what();
  }
  return "";
}

TEST(Manifest, ParsesCasesAndVariants) {
  Manifest manifest = parse_manifest(kManifest, "/b/cases.json");
  EXPECT_EQ(manifest.source_dir, "/repo");
  ASSERT_EQ(manifest.cases.size(), 1U);
  const CaseSpec& spec = manifest.cases[0];
  EXPECT_EQ(spec.name, "msg-update");
  EXPECT_EQ(spec.timeout_seconds, 12);
  ASSERT_EQ(spec.variants.size(), 2U);
  const VariantSpec& racy = spec.variants[0];
  EXPECT_EQ(racy.binary, "/b/msg-update-racy");
  EXPECT_EQ(racy.expect,
            (std::vector<report::Verdict>{report::Verdict::data_race,
                                          report::Verdict::leak}));
  EXPECT_EQ(racy.args, std::vector<std::string>{"--fast"});
  EXPECT_EQ(racy.outcome.pattern, "message: (.*)");
  EXPECT_TRUE(spec.variants[1].args.empty());
}

TEST(Manifest, FindCaseListsKnownNames) {
  Manifest manifest = parse_manifest(kManifest, "/b/cases.json");
  EXPECT_EQ(&manifest.find_case("msg-update"), &manifest.cases[0]);
  try {
    manifest.find_case("msg-updat");
    FAIL() << "expected a UsageError";
  } catch (const UsageError& error) {
    EXPECT_STREQ(error.what(),
                 "unknown case 'msg-updat'; known cases: msg-update (see "
                 "'racecourse list')");
  }
}

TEST(Manifest, InvalidJsonNamesFile) {
  std::string message = parse_error("{\"cases\": [");
  EXPECT_EQ(
      message.rfind("invalid case manifest /b/racecourse-cases.json: ", 0), 0U)
      << message;
  EXPECT_NE(message.find("parse error"), std::string::npos);
}

TEST(Manifest, MissingFieldIsNamed) {
  std::string message = parse_error(R"({"schema_version": 1})");
  EXPECT_NE(message.find("cases"), std::string::npos) << message;
}

TEST(Manifest, UnknownVerdictIsNamed) {
  std::string text = kManifest;
  text.replace(text.find("\"clean\""), 7, "\"spotless\"");
  EXPECT_NE(parse_error(text).find("unknown verdict 'spotless'"),
            std::string::npos);
}

TEST(Manifest, InvalidRegexIsNamed) {
  std::string text = kManifest;
  text.replace(text.find("message: (.*)"), 13, "message: (.*");
  EXPECT_NE(parse_error(text).find("invalid regular expression"),
            std::string::npos);
}

TEST(Manifest, WrongSchemaVersionIsRejected) {
  std::string text = kManifest;
  text.replace(text.find("\"schema_version\": 1"), 19, "\"schema_version\": 9");
  EXPECT_NE(parse_error(text).find("schema_version 9 is not supported"),
            std::string::npos);
}

TEST(Manifest, MissingFileNamesPath) {
  try {
    load_manifest("/nonexistent/racecourse-cases.json");
    FAIL() << "expected a UsageError";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what())
                  .find("/nonexistent/racecourse-cases.json not found"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace racecourse::runner

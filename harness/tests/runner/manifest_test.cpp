#include "racecourse/runner/manifest.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "racecourse/runner/errors.hpp"

#include <nlohmann/json.hpp>

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

TEST(Manifest, UnsafeNamesAreRejected) {
  for (const char* bad : {"../escape", "Msg Update", "a/b", ""}) {
    std::string text = kManifest;
    text.replace(text.find("\"msg-update\""), 12,
                 "\"" + std::string(bad) + "\"");
    EXPECT_NE(parse_error(text).find("is invalid"), std::string::npos) << bad;
  }
  std::string text = kManifest;
  text.replace(text.find("\"racy\""), 6, "\"ra/cy\"");
  EXPECT_NE(parse_error(text).find("'ra/cy' is invalid"), std::string::npos);
}

TEST(Manifest, DuplicatesAreRejected) {
  std::string variants = kManifest;
  variants.replace(variants.find("\"fixed\""), 7, "\"racy\"");
  EXPECT_NE(parse_error(variants).find("variant 'racy' twice"),
            std::string::npos);

  nlohmann::json doc = nlohmann::json::parse(kManifest);
  doc["cases"].push_back(doc["cases"][0]);
  EXPECT_NE(parse_error(doc.dump()).find("'msg-update' appears twice"),
            std::string::npos);
}

TEST(Manifest, FractionalTimeoutIsKept) {
  std::string text = kManifest;
  text.replace(text.find("\"timeout_seconds\": 12"), 21,
               "\"timeout_seconds\": 2.5");
  Manifest manifest = parse_manifest(text, "/b/racecourse-cases.json");
  EXPECT_DOUBLE_EQ(manifest.cases[0].timeout_seconds, 2.5);
}

TEST(Manifest, OutOfRangeTimeoutIsRejected) {
  for (const char* bad : {"0", "-1", "86401", "1e300"}) {
    std::string text = kManifest;
    text.replace(text.find("\"timeout_seconds\": 12"), 21,
                 std::string("\"timeout_seconds\": ") + bad);
    EXPECT_NE(parse_error(text).find("at most 86400"), std::string::npos)
        << bad;
  }
}

TEST(Manifest, FifoSourceIsRejected) {
  std::string fifo = testing::TempDir() + "racecourse-manifest-fifo";
  ::unlink(fifo.c_str());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string text = kManifest;
  text.replace(text.find("/repo/cases/msg-update/racy.cpp"), 31, fifo);
  EXPECT_NE(parse_error(text).find("not a regular file"), std::string::npos);
  ::unlink(fifo.c_str());
}

}  // namespace
}  // namespace racecourse::runner

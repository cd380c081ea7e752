#include "racecourse/report/json_writer.hpp"

#include <gtest/gtest.h>

#include "sample_run_set.hpp"
#include "schema_validator.hpp"
#include <nlohmann/json.hpp>

namespace racecourse::report {
namespace {

using nlohmann::json;
using testing::read_text;
using testing::sample_run_set;
using testing::validate_schema;

json load_schema() {
  return json::parse(read_text(RACECOURSE_REPORT_SCHEMA));
}

TEST(JsonReport, MatchesGolden) {
  testing::expect_golden("results.json", to_json(sample_run_set()));
}

TEST(JsonReport, StartsWithSchemaVersion) {
  const auto document =
      nlohmann::ordered_json::parse(to_json(sample_run_set()));
  ASSERT_TRUE(document.contains("schema_version"));
  EXPECT_EQ(document["schema_version"], kJsonSchemaVersion);
  EXPECT_EQ(document.begin().key(), "schema_version");
}

TEST(JsonReport, WritesVerdictsAsReportStrings) {
  const json document = json::parse(to_json(sample_run_set()));
  const json& run = document["results"][0]["runs"][0];
  EXPECT_EQ(run["verdict"], "data-race");
  EXPECT_EQ(run["findings"][0]["verdict"], "data-race");
  EXPECT_EQ(document["results"][0]["expected"], json::array({"data-race"}));
}

TEST(JsonReport, ReplacesInvalidUtf8) {
  const json document = json::parse(to_json(sample_run_set()));
  const std::string stdout_text = document["results"][0]["runs"][2]["stdout"];
  EXPECT_NE(stdout_text.find("\xEF\xBF\xBD"), std::string::npos);
  EXPECT_NE(stdout_text.find("<script>"), std::string::npos);
}

TEST(JsonReport, OutputMatchesSchema) {
  const json document = json::parse(to_json(sample_run_set()));
  const std::vector<std::string> errors =
      validate_schema(load_schema(), document);
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(errors);
}

TEST(JsonReport, EmptyRunSetMatchesSchema) {
  const json document = json::parse(to_json(RunSet{}));
  EXPECT_TRUE(validate_schema(load_schema(), document).empty());
}

// The validator must be able to fail, or the schema test proves nothing.
TEST(JsonReport, SchemaRejectsBrokenDocuments) {
  const json schema = load_schema();
  const json good = json::parse(to_json(sample_run_set()));

  json missing = good;
  missing["results"][0]["runs"][0].erase("verdict");
  EXPECT_FALSE(validate_schema(schema, missing).empty());

  json unknown_field = good;
  unknown_field["results"][0]["runs"][0]["findings"][0]["extra"] = 1;
  EXPECT_FALSE(validate_schema(schema, unknown_field).empty());

  json bad_verdict = good;
  bad_verdict["results"][1]["runs"][0]["verdict"] = "data_race";
  EXPECT_FALSE(validate_schema(schema, bad_verdict).empty());

  json wrong_type = good;
  wrong_type["results"][0]["runs"][0]["findings"][0]["accesses"][0]["stack"][0]
            ["line"] = "9";
  EXPECT_FALSE(validate_schema(schema, wrong_type).empty());

  json wrong_version = good;
  wrong_version["schema_version"] = 2;
  EXPECT_FALSE(validate_schema(schema, wrong_version).empty());
}

TEST(JsonReport, RoundTripsThroughFromJson) {
  const RunSet original = sample_run_set();
  const std::string text = to_json(original);
  const RunSet parsed = from_json(text);
  EXPECT_EQ(to_json(parsed), text);
  ASSERT_EQ(parsed.results.size(), original.results.size());
  const Finding& finding = parsed.results[0].runs[0].findings[0];
  ASSERT_EQ(finding.accesses.size(), 2U);
  EXPECT_TRUE(finding.accesses[1].is_previous);
  EXPECT_EQ(finding.accesses[0].stack[0].line, 9);
  EXPECT_TRUE(finding.accesses[0].stack[0].user_code);
  ASSERT_TRUE(finding.location.has_value());
  EXPECT_EQ(finding.location->name, "counter");
  EXPECT_EQ(finding.threads[0].goroutine, 2);
  EXPECT_EQ(parsed.results[0].runs[2].outcome, "1|<b>");
  EXPECT_EQ(parsed.results[1].runs[0].outcome, "2");
  EXPECT_EQ(parsed.results[2].runs[0].findings[0].goroutines[0].state,
            "chan send");
}

TEST(JsonReport, FromJsonRejectsNonJson) {
  try {
    from_json("{not json");
    FAIL() << "from_json accepted malformed text";
  } catch (const ReportError& error) {
    EXPECT_NE(std::string(error.what()).find("not JSON"), std::string::npos)
        << error.what();
  }
}

TEST(JsonReport, FromJsonRejectsOtherSchemaVersion) {
  json document = json::parse(to_json(sample_run_set()));
  document["schema_version"] = 99;
  try {
    from_json(document.dump());
    FAIL() << "from_json accepted schema_version 99";
  } catch (const ReportError& error) {
    EXPECT_NE(std::string(error.what()).find("schema_version 99"),
              std::string::npos)
        << error.what();
  }
}

TEST(JsonReport, FromJsonNamesMissingField) {
  json document = json::parse(to_json(sample_run_set()));
  document["results"][0]["runs"][1].erase("met");
  try {
    from_json(document.dump());
    FAIL() << "from_json accepted a run without 'met'";
  } catch (const ReportError& error) {
    EXPECT_NE(std::string(error.what()).find("results[0].runs[1].met"),
              std::string::npos)
        << error.what();
  }
}

TEST(JsonReport, FromJsonNamesUnknownVerdict) {
  json document = json::parse(to_json(sample_run_set()));
  document["results"][0]["runs"][0]["verdict"] = "racy";
  try {
    from_json(document.dump());
    FAIL() << "from_json accepted the verdict 'racy'";
  } catch (const ReportError& error) {
    EXPECT_NE(std::string(error.what()).find("'racy'"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace racecourse::report

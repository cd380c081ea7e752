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
  wrong_version["schema_version"] = 1;
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

// The sample's msg-update racy runs 0 and 1 report the same race, whose
// text is also their stderr; ping-pong's deadlock text is its stderr too.
TEST(JsonReport, WritesEachRawTextOnce) {
  RunSet runs = sample_run_set();
  runs.results[0].runs[1].stderr_text = "other\n";
  const json document = json::parse(to_json(runs));
  const json& first = document["results"][0]["runs"][0]["findings"][0];
  EXPECT_EQ(first["raw"], "");
  EXPECT_EQ(first["raw_same_as"], "/results/0/runs/0/stderr");
  const json& repeat = document["results"][0]["runs"][1]["findings"][0];
  EXPECT_EQ(repeat["raw"], "");
  EXPECT_EQ(repeat["raw_same_as"], "/results/0/runs/0/stderr");
  const json& deadlock = document["results"][2]["runs"][0]["findings"][0];
  EXPECT_EQ(deadlock["raw_same_as"], "/results/2/runs/0/stderr");
}

TEST(JsonReport, PointsRepeatsAtFirstOwnRawText) {
  RunSet runs = sample_run_set();
  for (report::Run& run : runs.results[0].runs) {
    run.stderr_text.clear();
  }
  const json document = json::parse(to_json(runs));
  const json& first = document["results"][0]["runs"][0]["findings"][0];
  EXPECT_NE(first["raw"], "");
  EXPECT_TRUE(first["raw_same_as"].is_null());
  const json& repeat = document["results"][0]["runs"][1]["findings"][0];
  EXPECT_EQ(repeat["raw"], "");
  const json pointed =
      document.at(json::json_pointer(repeat["raw_same_as"].get<std::string>()));
  EXPECT_EQ(pointed, runs.results[0].runs[1].findings[0].raw);
  EXPECT_TRUE(validate_schema(load_schema(), document).empty());
}

TEST(JsonReport, RawTextOfHangAnalysisIsShared) {
  RunSet runs = sample_run_set();
  report::Run& run = runs.results[1].runs[0];
  Finding hang;
  hang.verdict = Verdict::timeout;
  hang.source = "runner";
  hang.kind = "timeout";
  hang.raw = "Thread 1 (LWP 7):\n#0 futex_wait ()\n";
  run.hang_analysis = hang.raw;
  run.findings = {hang};
  const std::string text = to_json(runs);
  const json finding =
      json::parse(text)["results"][1]["runs"][0]["findings"][0];
  EXPECT_EQ(finding["raw"], "");
  EXPECT_EQ(finding["raw_same_as"], "/results/1/runs/0/hang_analysis");
  EXPECT_EQ(from_json(text).results[1].runs[0].findings[0].raw, hang.raw);
}

TEST(JsonReport, IncompleteFindingKeepsItsRawText) {
  RunSet runs = sample_run_set();
  for (report::Run& run : runs.results[0].runs) {
    run.stderr_text.clear();
  }
  runs.results[0].runs[1].findings[0].complete = false;
  const json document = json::parse(to_json(runs));
  const json& repeat = document["results"][0]["runs"][1]["findings"][0];
  EXPECT_EQ(repeat["raw"], runs.results[0].runs[1].findings[0].raw);
  EXPECT_TRUE(repeat["raw_same_as"].is_null());
}

TEST(JsonReport, FromJsonRestoresSharedRawText) {
  const RunSet original = sample_run_set();
  const RunSet parsed = from_json(to_json(original));
  for (std::size_t r = 0; r < 2; ++r) {
    EXPECT_EQ(parsed.results[0].runs[r].findings[0].raw,
              original.results[0].runs[r].findings[0].raw)
        << "run " << r;
  }
  EXPECT_EQ(parsed.results[2].runs[0].findings[0].raw,
            original.results[2].runs[0].findings[0].raw);
}

TEST(JsonReport, FromJsonReadsFilesWithoutRawSameAs) {
  json document = json::parse(to_json(sample_run_set()));
  json& finding = document["results"][2]["runs"][0]["findings"][0];
  finding.erase("raw_same_as");
  finding["raw"] = "fatal error: all goroutines are asleep - deadlock!\n";
  EXPECT_EQ(from_json(document.dump()).results[2].runs[0].findings[0].raw,
            "fatal error: all goroutines are asleep - deadlock!\n");
}

TEST(JsonReport, FromJsonRejectsDanglingRawSameAs) {
  json document = json::parse(to_json(sample_run_set()));
  document["results"][0]["runs"][1]["findings"][0]["raw_same_as"] =
      "/results/9/runs/0/stderr";
  try {
    from_json(document.dump());
    FAIL() << "from_json accepted a pointer to nothing";
  } catch (const ReportError& error) {
    EXPECT_NE(std::string(error.what())
                  .find("results[0].runs[1].findings[0].raw_same_as"),
              std::string::npos)
        << error.what();
  }
}

TEST(JsonReport, WritesEachStackOnce) {
  const json document = json::parse(to_json(sample_run_set()));
  const json& first = document["results"][0]["runs"][0]["findings"][0];
  EXPECT_TRUE(first["accesses"][0]["stack"].is_array());
  EXPECT_TRUE(first["threads"][0]["creation_stack"].is_array());
  const json& repeat = document["results"][0]["runs"][1]["findings"][0];
  EXPECT_EQ(repeat["accesses"][0]["stack"],
            "/results/0/runs/0/findings/0/accesses/0/stack");
  EXPECT_EQ(repeat["accesses"][1]["stack"],
            "/results/0/runs/0/findings/0/accesses/1/stack");
  EXPECT_EQ(repeat["threads"][0]["creation_stack"],
            "/results/0/runs/0/findings/0/threads/0/creation_stack");
  // An empty stack is shorter than a pointer to one.
  EXPECT_EQ(repeat["location"]["stack"], json::array());
}

TEST(JsonReport, FromJsonExpandsSharedStacks) {
  const RunSet original = sample_run_set();
  const RunSet parsed = from_json(to_json(original));
  const Finding& expected = original.results[0].runs[1].findings[0];
  const Finding& actual = parsed.results[0].runs[1].findings[0];
  ASSERT_EQ(actual.accesses.size(), expected.accesses.size());
  for (std::size_t i = 0; i < actual.accesses.size(); ++i) {
    ASSERT_EQ(actual.accesses[i].stack.size(),
              expected.accesses[i].stack.size());
    for (std::size_t f = 0; f < actual.accesses[i].stack.size(); ++f) {
      EXPECT_EQ(actual.accesses[i].stack[f].function,
                expected.accesses[i].stack[f].function);
      EXPECT_EQ(actual.accesses[i].stack[f].line,
                expected.accesses[i].stack[f].line);
    }
  }
  ASSERT_EQ(actual.threads.size(), 1U);
  EXPECT_EQ(actual.threads[0].creation_stack.size(),
            expected.threads[0].creation_stack.size());
}

TEST(JsonReport, FromJsonReadsVersionOne) {
  json document = json::parse(to_json(sample_run_set()));
  document["schema_version"] = 1;
  json& finding = document["results"][0]["runs"][1]["findings"][0];
  finding["accesses"][0]["stack"] =
      document["results"][0]["runs"][0]["findings"][0]["accesses"][0]["stack"];
  const RunSet parsed = from_json(document.dump());
  EXPECT_EQ(parsed.results[0].runs[1].findings[0].accesses[0].stack.size(), 2U);
}

TEST(JsonReport, FromJsonRejectsStackPointerToString) {
  json document = json::parse(to_json(sample_run_set()));
  document["results"][0]["runs"][1]["findings"][0]["accesses"][0]["stack"] =
      "/results/0/runs/0/stdout";
  try {
    from_json(document.dump());
    FAIL() << "from_json accepted a stack pointing to a string";
  } catch (const ReportError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("results[0].runs[1].findings[0].accesses[0].stack"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("must point to an array"), std::string::npos)
        << message;
  }
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

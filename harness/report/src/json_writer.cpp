#include "racecourse/report/json_writer.hpp"

#include <map>
#include <optional>
#include <utility>

#include "sources.hpp"
#include "text.hpp"
#include <nlohmann/json.hpp>

namespace racecourse::report {
namespace {

using Json = nlohmann::ordered_json;

// ---- Writing --------------------------------------------------------------

Json frames_json(const std::vector<Frame>& stack) {
  Json out = Json::array();
  for (const Frame& frame : stack) {
    out.push_back({{"index", frame.index},
                   {"function", frame.function},
                   {"file", frame.file},
                   {"line", frame.line},
                   {"column", frame.column},
                   {"module", frame.module},
                   {"user_code", frame.user_code}});
  }
  return out;
}

Json access_json(const Access& access) {
  return {{"is_write", access.is_write},
          {"is_atomic", access.is_atomic},
          {"is_previous", access.is_previous},
          {"size", access.size},
          {"thread", access.thread},
          {"mutexes_held", access.mutexes_held},
          {"stack", frames_json(access.stack)}};
}

Json location_json(const std::optional<Location>& location) {
  if (!location) {
    return nullptr;
  }
  return {{"kind", location->kind},
          {"name", location->name},
          {"size", location->size},
          {"thread", location->thread},
          {"description", location->description},
          {"stack", frames_json(location->stack)}};
}

Json thread_json(const ThreadInfo& thread) {
  Json goroutine = nullptr;
  if (thread.goroutine) {
    goroutine = *thread.goroutine;
  }
  return {{"id", thread.id},
          {"os_tid", thread.os_tid},
          {"finished", thread.finished},
          {"running", thread.running},
          {"created_by", thread.created_by},
          {"goroutine", goroutine},
          {"creation_stack", frames_json(thread.creation_stack)}};
}

Json mutex_json(const MutexInfo& mutex) {
  return {{"id", mutex.id},
          {"description", mutex.description},
          {"stack", frames_json(mutex.stack)}};
}

Json goroutine_json(const GoroutineInfo& goroutine) {
  return {{"id", goroutine.id},
          {"name", goroutine.name},
          {"state", goroutine.state},
          {"blocked_at", goroutine.blocked_at},
          {"blocked_function", goroutine.blocked_function},
          {"created_at", goroutine.created_at},
          {"created_function", goroutine.created_function}};
}

template <typename T, typename Convert>
Json array_json(const std::vector<T>& items, Convert convert) {
  Json out = Json::array();
  for (const T& item : items) {
    out.push_back(convert(item));
  }
  return out;
}

Json finding_json(const Finding& finding) {
  return {{"verdict", to_string(finding.verdict)},
          {"source", finding.source},
          {"kind", finding.kind},
          {"message", finding.message},
          {"summary", finding.summary},
          {"accesses", array_json(finding.accesses, access_json)},
          {"location", location_json(finding.location)},
          {"threads", array_json(finding.threads, thread_json)},
          {"mutexes", array_json(finding.mutexes, mutex_json)},
          {"goroutines", array_json(finding.goroutines, goroutine_json)},
          {"raw", finding.raw},
          {"raw_same_as", nullptr},
          {"complete", finding.complete}};
}

Json run_json(const Run& run) {
  Json outcome = nullptr;
  if (run.outcome) {
    outcome = *run.outcome;
  }
  return {{"index", run.index},
          {"verdict", to_string(run.verdict)},
          {"met", run.met},
          {"command", run.command},
          {"exit_code", run.exit_code},
          {"signal", run.signal},
          {"duration_seconds", run.duration_seconds},
          {"timed_out", run.timed_out},
          {"stdout", run.stdout_text},
          {"stderr", run.stderr_text},
          {"outcome", outcome},
          {"findings", array_json(run.findings, finding_json)},
          {"error", run.error},
          {"hang_analysis", run.hang_analysis}};
}

Json verdicts_json(const std::vector<Verdict>& verdicts) {
  Json out = Json::array();
  for (const Verdict verdict : verdicts) {
    out.push_back(to_string(verdict));
  }
  return out;
}

// Returns the JSON Pointer (RFC 6901) of another string with the same text
// as the raw text of finding `f` of run `r`, or nothing when the finding
// keeps its own. That string is the run's own hang_analysis or stderr when
// the raw text equals it. Else, for a complete finding, it is where the
// first finding with the same identity (CaseFiles::finding_key) in an
// earlier run has its text. `first_raw` maps identities to those pointers.
std::optional<std::string> raw_source(
    const VariantResult& result,
    std::size_t r,
    std::size_t f,
    const std::string& prefix,
    const detail::CaseFiles& files,
    std::map<std::string, std::string>& first_raw) {
  const Run& run = result.runs[r];
  const Finding& finding = run.findings[f];
  if (finding.raw.empty()) {
    return std::nullopt;
  }
  const std::string run_pointer = prefix + "/runs/" + std::to_string(r);
  std::optional<std::string> in_run;  // a copy among the run's own fields
  if (finding.raw == run.hang_analysis) {
    in_run = run_pointer + "/hang_analysis";
  } else if (finding.raw == run.stderr_text) {
    in_run = run_pointer + "/stderr";
  }

  // An incomplete finding's raw text is its only full evidence.
  if (!finding.complete) {
    return in_run;
  }
  const std::string own =
      run_pointer + "/findings/" + std::to_string(f) + "/raw";
  const auto [first, inserted] =
      first_raw.try_emplace(files.finding_key(finding), in_run.value_or(own));
  if (in_run) {
    return in_run;
  }
  if (!inserted && first->second.rfind(run_pointer + "/", 0) != 0) {
    return first->second;
  }
  return std::nullopt;
}

// Replaces each stack that repeats one written earlier in the document by
// the JSON Pointer of that first copy. Repeated runs of a variant report
// the same stacks, and their standard-library frames with long template
// names are most of the file.
class StackSharer {
 public:
  void share(Json& stack, const std::string& pointer) {
    if (!stack.is_array() || stack.empty()) {
      return;
    }
    const auto [first, inserted] = first_.try_emplace(stack.dump(), pointer);
    if (!inserted) {
      stack = first->second;
    }
  }

  void share_finding(Json& finding, const std::string& p) {
    Json& accesses = finding["accesses"];
    for (std::size_t i = 0; i < accesses.size(); ++i) {
      share(accesses[i]["stack"],
            p + "/accesses/" + std::to_string(i) + "/stack");
    }
    if (finding["location"].is_object()) {
      share(finding["location"]["stack"], p + "/location/stack");
    }
    Json& threads = finding["threads"];
    for (std::size_t i = 0; i < threads.size(); ++i) {
      share(threads[i]["creation_stack"],
            p + "/threads/" + std::to_string(i) + "/creation_stack");
    }
    Json& mutexes = finding["mutexes"];
    for (std::size_t i = 0; i < mutexes.size(); ++i) {
      share(mutexes[i]["stack"],
            p + "/mutexes/" + std::to_string(i) + "/stack");
    }
  }

 private:
  std::map<std::string, std::string> first_;  // stack as JSON -> pointer
};

void share_stacks(Json& results) {
  StackSharer sharer;
  for (std::size_t i = 0; i < results.size(); ++i) {
    Json& runs = results[i]["runs"];
    for (std::size_t r = 0; r < runs.size(); ++r) {
      Json& findings = runs[r]["findings"];
      for (std::size_t f = 0; f < findings.size(); ++f) {
        sharer.share_finding(findings[f], "/results/" + std::to_string(i) +
                                              "/runs/" + std::to_string(r) +
                                              "/findings/" + std::to_string(f));
      }
    }
  }
}

// Leaves out raw texts that repeat a string written before (see
// raw_source), so that repeated runs do not copy each report in full.
void share_raw_texts(const RunSet& runs, std::size_t index, Json& runs_json) {
  const VariantResult& result = runs.results[index];
  const detail::CaseFiles files(runs, result);
  const std::string prefix = "/results/" + std::to_string(index);
  std::map<std::string, std::string> first_raw;
  for (std::size_t r = 0; r < result.runs.size(); ++r) {
    for (std::size_t f = 0; f < result.runs[r].findings.size(); ++f) {
      const std::optional<std::string> source =
          raw_source(result, r, f, prefix, files, first_raw);
      if (source) {
        Json& finding = runs_json[r]["findings"][f];
        finding["raw"] = "";
        finding["raw_same_as"] = *source;
      }
    }
  }
}

Json result_json(const RunSet& runs, std::size_t index) {
  const VariantResult& result = runs.results[index];
  Json histogram = Json::object();
  for (const auto& [value, count] : detail::sorted_outcomes(result)) {
    histogram[value] = count;
  }
  Json runs_json = array_json(result.runs, run_json);
  share_raw_texts(runs, index, runs_json);
  return {{"case", result.case_name},
          {"variant", result.variant},
          {"title", result.title},
          {"binary", result.binary},
          {"source", result.source},
          {"lesson", result.lesson},
          {"expected", verdicts_json(result.expected)},
          {"outcome_spec",
           {{"pattern", result.outcome_spec.pattern},
            {"required", result.outcome_spec.required}}},
          {"runs_total", result.runs.size()},
          {"runs_met", result.runs_met()},
          {"all_met", result.all_met()},
          {"outcome_histogram", histogram},
          {"runs", std::move(runs_json)}};
}

// ---- Reading --------------------------------------------------------------

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
  throw ReportError("invalid results.json: field '" + path + "' " + reason);
}

std::string child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

const Json& member(const Json& object,
                   std::string_view key,
                   const std::string& path) {
  if (!object.is_object()) {
    fail(path, "is not an object");
  }
  const auto it = object.find(key);
  if (it == object.end()) {
    fail(child(path, key), "is missing");
  }
  return *it;
}

template <typename T>
T field(const Json& object, std::string_view key, const std::string& path) {
  const Json& value = member(object, key, path);
  try {
    return value.get<T>();
  } catch (const Json::exception& error) {
    fail(child(path, key), std::string("has the wrong type: ") + error.what());
  }
}

template <typename T>
std::optional<T> nullable(const Json& object,
                          std::string_view key,
                          const std::string& path) {
  if (member(object, key, path).is_null()) {
    return std::nullopt;
  }
  return field<T>(object, key, path);
}

Verdict verdict_field(const Json& object,
                      std::string_view key,
                      const std::string& path) {
  const auto text = field<std::string>(object, key, path);
  const std::optional<Verdict> verdict = parse_verdict(text);
  if (!verdict) {
    fail(child(path, key), "has the unknown verdict '" + text + "'");
  }
  return *verdict;
}

// Reads the array `key` of `object`, converting each element with `parse`,
// which takes the element and its path.
template <typename Parse>
auto list(const Json& object,
          std::string_view key,
          const std::string& path,
          Parse parse) {
  const Json& items = member(object, key, path);
  const std::string items_path = child(path, key);
  if (!items.is_array()) {
    fail(items_path, "is not an array");
  }
  std::vector<decltype(parse(items.front(), path))> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    out.push_back(parse(items[i], items_path + "[" + std::to_string(i) + "]"));
  }
  return out;
}

std::vector<Frame> frames_field(const Json& object,
                                std::string_view key,
                                const std::string& path) {
  return list(object, key, path, [](const Json& j, const std::string& p) {
    Frame frame;
    frame.index = field<int>(j, "index", p);
    frame.function = field<std::string>(j, "function", p);
    frame.file = field<std::string>(j, "file", p);
    frame.line = field<int>(j, "line", p);
    frame.column = field<int>(j, "column", p);
    frame.module = field<std::string>(j, "module", p);
    frame.user_code = field<bool>(j, "user_code", p);
    return frame;
  });
}

Access parse_access(const Json& j, const std::string& p) {
  Access access;
  access.is_write = field<bool>(j, "is_write", p);
  access.is_atomic = field<bool>(j, "is_atomic", p);
  access.is_previous = field<bool>(j, "is_previous", p);
  access.size = field<int>(j, "size", p);
  access.thread = field<std::string>(j, "thread", p);
  access.mutexes_held = field<std::vector<std::string>>(j, "mutexes_held", p);
  access.stack = frames_field(j, "stack", p);
  return access;
}

std::optional<Location> parse_location(const Json& finding,
                                       const std::string& path) {
  const Json& j = member(finding, "location", path);
  if (j.is_null()) {
    return std::nullopt;
  }
  const std::string p = child(path, "location");
  Location location;
  location.kind = field<std::string>(j, "kind", p);
  location.name = field<std::string>(j, "name", p);
  location.size = field<std::int64_t>(j, "size", p);
  location.thread = field<std::string>(j, "thread", p);
  location.description = field<std::string>(j, "description", p);
  location.stack = frames_field(j, "stack", p);
  return location;
}

ThreadInfo parse_thread(const Json& j, const std::string& p) {
  ThreadInfo thread;
  thread.id = field<std::string>(j, "id", p);
  thread.os_tid = field<int>(j, "os_tid", p);
  thread.finished = field<bool>(j, "finished", p);
  thread.running = field<bool>(j, "running", p);
  thread.created_by = field<std::string>(j, "created_by", p);
  thread.goroutine = nullable<int>(j, "goroutine", p);
  thread.creation_stack = frames_field(j, "creation_stack", p);
  return thread;
}

MutexInfo parse_mutex(const Json& j, const std::string& p) {
  MutexInfo mutex;
  mutex.id = field<std::string>(j, "id", p);
  mutex.description = field<std::string>(j, "description", p);
  mutex.stack = frames_field(j, "stack", p);
  return mutex;
}

GoroutineInfo parse_goroutine(const Json& j, const std::string& p) {
  GoroutineInfo goroutine;
  goroutine.id = field<int>(j, "id", p);
  goroutine.name = field<std::string>(j, "name", p);
  goroutine.state = field<std::string>(j, "state", p);
  goroutine.blocked_at = field<std::string>(j, "blocked_at", p);
  goroutine.blocked_function = field<std::string>(j, "blocked_function", p);
  goroutine.created_at = field<std::string>(j, "created_at", p);
  goroutine.created_function = field<std::string>(j, "created_function", p);
  return goroutine;
}

Finding parse_finding(const Json& j, const std::string& p) {
  Finding finding;
  finding.verdict = verdict_field(j, "verdict", p);
  finding.source = field<std::string>(j, "source", p);
  finding.kind = field<std::string>(j, "kind", p);
  finding.message = field<std::string>(j, "message", p);
  finding.summary = field<std::string>(j, "summary", p);
  finding.accesses = list(j, "accesses", p, parse_access);
  finding.location = parse_location(j, p);
  finding.threads = list(j, "threads", p, parse_thread);
  finding.mutexes = list(j, "mutexes", p, parse_mutex);
  finding.goroutines = list(j, "goroutines", p, parse_goroutine);
  finding.raw = field<std::string>(j, "raw", p);
  finding.complete = field<bool>(j, "complete", p);
  return finding;
}

Run parse_run(const Json& j, const std::string& p) {
  Run run;
  run.index = field<int>(j, "index", p);
  run.verdict = verdict_field(j, "verdict", p);
  run.met = field<bool>(j, "met", p);
  run.command = field<std::vector<std::string>>(j, "command", p);
  run.exit_code = field<int>(j, "exit_code", p);
  run.signal = field<int>(j, "signal", p);
  run.duration_seconds = field<double>(j, "duration_seconds", p);
  run.timed_out = field<bool>(j, "timed_out", p);
  run.stdout_text = field<std::string>(j, "stdout", p);
  run.stderr_text = field<std::string>(j, "stderr", p);
  run.outcome = nullable<std::string>(j, "outcome", p);
  run.findings = list(j, "findings", p, parse_finding);
  run.error = field<std::string>(j, "error", p);
  run.hang_analysis = field<std::string>(j, "hang_analysis", p);
  return run;
}

VariantResult parse_result(const Json& j, const std::string& p) {
  VariantResult result;
  result.case_name = field<std::string>(j, "case", p);
  result.variant = field<std::string>(j, "variant", p);
  result.title = field<std::string>(j, "title", p);
  result.binary = field<std::string>(j, "binary", p);
  result.source = field<std::string>(j, "source", p);
  result.lesson = field<std::string>(j, "lesson", p);
  result.expected = list(j, "expected", p, [](const Json& v, const auto& vp) {
    const std::optional<Verdict> verdict =
        v.is_string() ? parse_verdict(v.get<std::string>()) : std::nullopt;
    if (!verdict) {
      fail(vp, "is not a verdict: " + v.dump());
    }
    return *verdict;
  });
  const Json& spec = member(j, "outcome_spec", p);
  const std::string spec_path = child(p, "outcome_spec");
  result.outcome_spec.pattern = field<std::string>(spec, "pattern", spec_path);
  result.outcome_spec.required =
      field<std::string>(spec, "required", spec_path);
  result.runs = list(j, "runs", p, parse_run);
  return result;
}

// Returns what the JSON Pointer `pointer`, the value of field `path`,
// points to in `document`; fails unless that is a value of `type`.
const Json& pointed_value(const Json& document,
                          const Json& pointer,
                          const std::string& path,
                          Json::value_t type) {
  if (!pointer.is_string()) {
    fail(path, "is neither a JSON Pointer string nor the value itself");
  }
  const Json* target = nullptr;
  try {
    target = &document.at(Json::json_pointer(pointer.get<std::string>()));
  } catch (const Json::exception& error) {
    fail(path, "is not a JSON Pointer into this document: " +
                   std::string(error.what()));
  }
  if (target->type() != type) {
    const char* expected =
        type == Json::value_t::array ? "an array (a stack)" : "a string";
    fail(path, "points to a " + std::string(target->type_name()) +
                   ", but must point to " + expected);
  }
  return *target;
}

// Replaces `object[key]`, when it is a string, by a copy of the array it
// points to (see StackSharer).
void expand_stack(const Json& document,
                  Json& object,
                  std::string_view key,
                  const std::string& path) {
  if (!object.is_object()) {
    return;
  }
  const auto stack = object.find(key);
  if (stack != object.end() && stack->is_string()) {
    *stack =
        pointed_value(document, *stack, child(path, key), Json::value_t::array);
  }
}

// Calls `visit(element, path)` for each element of the array `key` of
// `object`; does nothing when there is no such array.
template <typename Visit>
void for_each_item(Json& object,
                   std::string_view key,
                   const std::string& path,
                   Visit visit) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_array()) {
    return;
  }
  Json& items = object[key];
  for (std::size_t i = 0; i < items.size(); ++i) {
    visit(items[i], child(path, key) + "[" + std::to_string(i) + "]");
  }
}

// Fills in the raw text and the stacks that to_json wrote as JSON Pointers
// to an earlier copy.
void expand_finding(const Json& document, Json& finding, const std::string& p) {
  if (!finding.is_object()) {
    return;
  }
  const auto raw_pointer = finding.find("raw_same_as");
  if (raw_pointer != finding.end() && !raw_pointer->is_null()) {
    finding["raw"] = pointed_value(
        document, *raw_pointer, child(p, "raw_same_as"), Json::value_t::string);
  }
  for_each_item(finding, "accesses", p, [&](Json& item, const auto& path) {
    expand_stack(document, item, "stack", path);
  });
  if (finding.contains("location")) {
    expand_stack(document, finding["location"], "stack", child(p, "location"));
  }
  for_each_item(finding, "threads", p, [&](Json& item, const auto& path) {
    expand_stack(document, item, "creation_stack", path);
  });
  for_each_item(finding, "mutexes", p, [&](Json& item, const auto& path) {
    expand_stack(document, item, "stack", path);
  });
}

// Expands every shared value in document order. Pointers only point to
// earlier values, so each one points to a value expanded already.
void expand_shared(Json& document) {
  for_each_item(document, "results", "", [&](Json& result, const auto& rp) {
    for_each_item(result, "runs", rp, [&](Json& run, const auto& runp) {
      for_each_item(run, "findings", runp, [&](Json& finding, const auto& fp) {
        expand_finding(document, finding, fp);
      });
    });
  });
}

}  // namespace

std::string to_json(const RunSet& runs) {
  Json document = {{"schema_version", kJsonSchemaVersion},
                   {"tool_version", runs.tool_version},
                   {"command", runs.command},
                   {"started_at", runs.started_at},
                   {"duration_seconds", runs.duration_seconds},
                   {"source_dir", runs.source_dir},
                   {"all_met", runs.all_met()},
                   {"results", Json::array()}};
  for (std::size_t i = 0; i < runs.results.size(); ++i) {
    document["results"].push_back(result_json(runs, i));
  }
  share_stacks(document["results"]);
  return document.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

RunSet from_json(std::string_view text) {
  Json document;
  try {
    document = Json::parse(text);
  } catch (const Json::parse_error& error) {
    throw ReportError(std::string("invalid results.json: not JSON: ") +
                      error.what());
  }
  const int version = field<int>(document, "schema_version", "");
  if (version < kOldestJsonSchemaVersion || version > kJsonSchemaVersion) {
    throw ReportError("results.json has schema_version " +
                      std::to_string(version) + ", but this racecourse reads " +
                      std::to_string(kOldestJsonSchemaVersion) + " to " +
                      std::to_string(kJsonSchemaVersion) +
                      "; use the racecourse version that wrote it");
  }
  expand_shared(document);
  RunSet runs;
  runs.tool_version = field<std::string>(document, "tool_version", "");
  runs.command = field<std::string>(document, "command", "");
  runs.started_at = field<std::string>(document, "started_at", "");
  runs.duration_seconds = field<double>(document, "duration_seconds", "");
  runs.source_dir = field<std::string>(document, "source_dir", "");
  runs.results = list(document, "results", "", parse_result);
  return runs;
}

}  // namespace racecourse::report

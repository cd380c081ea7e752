# racecourse_add_case() declares one lesson case: a folder cases/<name>/ with
# racy.cpp, fixed.cpp, lesson.md and a CMakeLists.txt that calls
#
#   racecourse_add_case(
#     NAME msg-update                  # kebab-case, equal to the folder name
#     TITLE "Two goroutines write one message"
#     RACY_EXPECT data-race            # one or more verdicts
#     FIXED_EXPECT clean
#     OUTCOME "message: (.*)"          # optional: group 1 is the outcome
#     REQUIRE "regex"                  # optional: stdout must match (both)
#     RACY_REQUIRE "regex"             # optional: overrides REQUIRE for racy
#     FIXED_REQUIRE "regex"            # optional: overrides REQUIRE for fixed
#     ARGS --flag value                # optional: arguments for both binaries
#     TIMEOUT 20)                      # optional: seconds per run, default 30
#
# It builds the executables <name>-racy and <name>-fixed, linked with
# racecourse::runtime (plus cases/support/ on the include path when that
# folder exists), and records the case in the global property
# RACECOURSE_CASES. cases/CMakeLists.txt then calls
# racecourse_finish_cases(), which registers the ctest tests
# case.<name>.racy and case.<name>.fixed (labels: case, racy or fixed,
# <name>) and writes the manifest that the runner reads,
# ${CMAKE_BINARY_DIR}/bin/racecourse-cases.json:
#
#   {
#     "schema_version": 1,
#     "source_dir": "/abs/repo",
#     "cases": [
#       {
#         "name": "msg-update",
#         "title": "Two goroutines write one message",
#         "dir": "/abs/repo/cases/msg-update",
#         "lesson": "/abs/repo/cases/msg-update/lesson.md",
#         "timeout_seconds": 30,
#         "variants": [
#           {
#             "variant": "racy",
#             "binary": "/abs/build/tsan/bin/msg-update-racy",
#             "source": "/abs/repo/cases/msg-update/racy.cpp",
#             "expect": ["data-race"],
#             "args": [],
#             "outcome": {"pattern": "message: (.*)", "required": ""}
#           },
#           {"variant": "fixed", ...}
#         ]
#       }
#     ]
#   }
#
# Cases appear in folder-name order. "expect" lists every verdict that meets
# the expectation. "outcome.pattern" is the OUTCOME regex (empty when not
# given) and "outcome.required" the regex that stdout must match (empty when
# not given). CMake 3.25 drops empty keyword values, so RACY_REQUIRE "" does
# not clear REQUIRE for one variant: give a regex that always matches, "^".
# Both regexes are passed through unchanged, so they use the syntax of the
# runner's regex engine, not CMake's. "lesson" is the path where lesson.md
# belongs, whether or not the file exists yet.

include_guard(GLOBAL)

set(RACECOURSE_VERDICTS
    clean data-race deadlock lock-order-inversion leak panic misuse crash
    timeout wrong-output error)
set(RACECOURSE_DEFAULT_CASE_TIMEOUT 30)

# Quotes `value` as a JSON string literal in `out_var`. The manifest is written
# with file(GENERATE), which expands generator expressions, so a literal "$<"
# is written as "$<1:$><", which expands back to "$<".
function(_racecourse_json_quote out_var value)
  string(REPLACE "\\" "\\\\" value "${value}")
  string(REPLACE "\"" "\\\"" value "${value}")
  string(REPLACE "\n" "\\n" value "${value}")
  string(REPLACE "\r" "\\r" value "${value}")
  string(REPLACE "\t" "\\t" value "${value}")
  string(REPLACE "$<" "$<1:$><" value "${value}")
  set(${out_var} "\"${value}\"" PARENT_SCOPE)
endfunction()

# Returns a JSON array of the strings in the CMake list `items`. The array is
# built as a string, not as a CMake list, because an item may contain a
# semicolon.
function(_racecourse_json_string_array out_var items)
  set(json "")
  set(separator "")
  foreach(item IN LISTS items)
    _racecourse_json_quote(item_json "${item}")
    string(APPEND json "${separator}${item_json}")
    set(separator ", ")
  endforeach()
  set(${out_var} "[${json}]" PARENT_SCOPE)
endfunction()

function(_racecourse_case_error name message)
  message(FATAL_ERROR
    "racecourse_add_case(${name}) in ${CMAKE_CURRENT_LIST_FILE}: ${message}")
endfunction()

# Rejects a case whose arguments the manifest or the runner could not use.
function(_racecourse_validate_case)
  set(name "${ARG_NAME}")
  set(keywords "NAME, TITLE, RACY_EXPECT, FIXED_EXPECT, OUTCOME, REQUIRE, "
               "RACY_REQUIRE, FIXED_REQUIRE, ARGS, TIMEOUT")
  string(JOIN "" keywords ${keywords})
  if(ARG_UNPARSED_ARGUMENTS)
    _racecourse_case_error("${name}"
      "unknown arguments '${ARG_UNPARSED_ARGUMENTS}'. Valid keywords: "
      "${keywords}.")
  endif()
  if(ARG_KEYWORDS_MISSING_VALUES)
    _racecourse_case_error("${name}"
      "${ARG_KEYWORDS_MISSING_VALUES} given without a value.")
  endif()
  if("${name}" STREQUAL "")
    _racecourse_case_error("?" "NAME is missing: give the folder name.")
  endif()
  if(NOT name MATCHES "^[a-z0-9]+(-[a-z0-9]+)*$")
    _racecourse_case_error("${name}"
      "NAME '${name}' is not kebab-case: use lower-case letters, digits and "
      "single hyphens, such as 'msg-update'.")
  endif()
  get_filename_component(folder "${CMAKE_CURRENT_SOURCE_DIR}" NAME)
  if(NOT name STREQUAL folder)
    _racecourse_case_error("${name}"
      "NAME '${name}' differs from the folder name '${folder}': rename one "
      "so they are equal, because the runner finds a case by its name.")
  endif()
  get_property(known GLOBAL PROPERTY RACECOURSE_CASES)
  if(name IN_LIST known)
    _racecourse_case_error("${name}" "a case named '${name}' already exists.")
  endif()
  if("${ARG_TITLE}" STREQUAL "")
    _racecourse_case_error("${name}" "TITLE is missing: give a one-line title.")
  endif()
  list(JOIN RACECOURSE_VERDICTS ", " valid)
  foreach(variant IN ITEMS racy fixed)
    string(TOUPPER "${variant}" prefix)
    if(NOT ARG_${prefix}_EXPECT)
      _racecourse_case_error("${name}"
        "${prefix}_EXPECT is missing: give one or more of ${valid}.")
    endif()
    foreach(verdict IN LISTS ARG_${prefix}_EXPECT)
      if(verdict MATCHES "^[A-Z_]+$")
        _racecourse_case_error("${name}"
          "unknown keyword '${verdict}' after ${prefix}_EXPECT. Valid "
          "keywords: ${keywords}.")
      elseif(NOT verdict IN_LIST RACECOURSE_VERDICTS)
        _racecourse_case_error("${name}"
          "${prefix}_EXPECT has the unknown verdict '${verdict}'. Valid "
          "verdicts: ${valid}.")
      endif()
    endforeach()
    if(NOT EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${variant}.cpp")
      _racecourse_case_error("${name}"
        "${CMAKE_CURRENT_SOURCE_DIR}/${variant}.cpp is missing: every case "
        "has a racy.cpp and a fixed.cpp.")
    endif()
  endforeach()
  if(DEFINED ARG_TIMEOUT AND NOT ARG_TIMEOUT MATCHES "^[1-9][0-9]*$")
    _racecourse_case_error("${name}"
      "TIMEOUT '${ARG_TIMEOUT}' is not a positive whole number of seconds.")
  endif()
endfunction()

# Builds <name>-<variant> from <variant>.cpp.
function(_racecourse_add_case_executable name variant)
  set(target "${name}-${variant}")
  add_executable(${target} "${variant}.cpp")
  target_link_libraries(${target} PRIVATE racecourse::runtime Threads::Threads)
  if(IS_DIRECTORY "${racecourse_SOURCE_DIR}/cases/support")
    target_include_directories(${target} PRIVATE
      "${racecourse_SOURCE_DIR}/cases/support")
  endif()
  set_property(GLOBAL APPEND PROPERTY RACECOURSE_CASE_TARGETS ${target})
endfunction()

# Returns the manifest entry of one variant, a JSON object.
function(_racecourse_variant_json out_var name variant)
  string(TOUPPER "${variant}" prefix)
  set(required "${ARG_REQUIRE}")
  if(DEFINED ARG_${prefix}_REQUIRE)
    set(required "${ARG_${prefix}_REQUIRE}")
  endif()

  _racecourse_json_quote(source "${CMAKE_CURRENT_SOURCE_DIR}/${variant}.cpp")
  _racecourse_json_string_array(expect "${ARG_${prefix}_EXPECT}")
  _racecourse_json_string_array(args "${ARG_ARGS}")
  _racecourse_json_quote(pattern "${ARG_OUTCOME}")
  _racecourse_json_quote(required "${required}")
  string(JOIN "" json
    "        {\n"
    "          \"variant\": \"${variant}\",\n"
    "          \"binary\": \"$<TARGET_FILE:${name}-${variant}>\",\n"
    "          \"source\": ${source},\n"
    "          \"expect\": ${expect},\n"
    "          \"args\": ${args},\n"
    "          \"outcome\": {\"pattern\": ${pattern}, \"required\": ${required}}\n"
    "        }")
  set(${out_var} "${json}" PARENT_SCOPE)
endfunction()

# Returns the manifest entry of the case being declared, a JSON object.
function(_racecourse_case_json out_var)
  set(timeout ${RACECOURSE_DEFAULT_CASE_TIMEOUT})
  if(DEFINED ARG_TIMEOUT)
    set(timeout ${ARG_TIMEOUT})
  endif()

  _racecourse_json_quote(name "${ARG_NAME}")
  _racecourse_json_quote(title "${ARG_TITLE}")
  _racecourse_json_quote(dir "${CMAKE_CURRENT_SOURCE_DIR}")
  _racecourse_json_quote(lesson "${CMAKE_CURRENT_SOURCE_DIR}/lesson.md")
  _racecourse_variant_json(racy "${ARG_NAME}" racy)
  _racecourse_variant_json(fixed "${ARG_NAME}" fixed)
  string(JOIN "" json
    "    {\n"
    "      \"name\": ${name},\n"
    "      \"title\": ${title},\n"
    "      \"dir\": ${dir},\n"
    "      \"lesson\": ${lesson},\n"
    "      \"timeout_seconds\": ${timeout},\n"
    "      \"variants\": [\n${racy},\n${fixed}\n      ]\n"
    "    }")
  set(${out_var} "${json}" PARENT_SCOPE)
endfunction()

# Declares one case; see the top of this file for the arguments.
function(racecourse_add_case)
  set(one_value NAME TITLE OUTCOME REQUIRE RACY_REQUIRE FIXED_REQUIRE TIMEOUT)
  set(multi_value RACY_EXPECT FIXED_EXPECT ARGS)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "${one_value}" "${multi_value}")
  _racecourse_validate_case()

  _racecourse_add_case_executable(${ARG_NAME} racy)
  _racecourse_add_case_executable(${ARG_NAME} fixed)
  _racecourse_case_json(case_json)
  set_property(GLOBAL APPEND PROPERTY RACECOURSE_CASES ${ARG_NAME})
  set_property(GLOBAL PROPERTY RACECOURSE_CASE_JSON_${ARG_NAME} "${case_json}")
endfunction()

# Registers case.<name>.<variant> for every declared case. Each test runs the
# variant through the racecourse runner, so it fails when the verdict stops
# meeting the expectation (for example when TSan no longer catches a race).
function(_racecourse_add_case_tests)
  if(NOT TARGET racecourse)
    message(STATUS "racecourse: no runner target, so no case tests")
    return()
  endif()
  get_property(cases GLOBAL PROPERTY RACECOURSE_CASES)
  foreach(name IN LISTS cases)
    foreach(variant IN ITEMS racy fixed)
      set(report_dir "${CMAKE_BINARY_DIR}/case-reports/${name}-${variant}")
      add_test(NAME case.${name}.${variant}
        COMMAND $<TARGET_FILE:racecourse> run ${name} --variant ${variant}
                --report-dir "${report_dir}")
      set_tests_properties(case.${name}.${variant} PROPERTIES
        LABELS "case;${variant};${name}")
    endforeach()
  endforeach()
endfunction()

# Writes ${CMAKE_BINARY_DIR}/bin/racecourse-cases.json at generate time.
function(_racecourse_write_manifest)
  get_property(cases GLOBAL PROPERTY RACECOURSE_CASES)
  # Entries are joined as strings, not as a CMake list, because a title or a
  # regex may contain a semicolon.
  set(joined "")
  set(separator "\n")
  foreach(name IN LISTS cases)
    get_property(entry GLOBAL PROPERTY RACECOURSE_CASE_JSON_${name})
    string(APPEND joined "${separator}${entry}")
    set(separator ",\n")
  endforeach()
  if(NOT "${joined}" STREQUAL "")
    string(APPEND joined "\n  ")
  endif()

  _racecourse_json_quote(source_dir "${racecourse_SOURCE_DIR}")
  string(JOIN "" manifest
    "{\n"
    "  \"schema_version\": 1,\n"
    "  \"source_dir\": ${source_dir},\n"
    "  \"cases\": [${joined}]\n"
    "}\n")
  file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/bin/racecourse-cases.json"
       CONTENT "${manifest}")
endfunction()

# Finishes the case set: the `cases` target, the ctest tests and the manifest.
# Call it once, after every racecourse_add_case().
function(racecourse_finish_cases)
  get_property(targets GLOBAL PROPERTY RACECOURSE_CASE_TARGETS)
  add_custom_target(cases)
  if(targets)
    add_dependencies(cases ${targets})
  endif()
  if(RACECOURSE_BUILD_TESTS)
    _racecourse_add_case_tests()
  endif()
  _racecourse_write_manifest()
endfunction()

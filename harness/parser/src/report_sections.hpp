// Step two of parsing: reading the sections of one report block.
#pragma once

#include "racecourse/parser/tsan_parser.hpp"

#include "report_blocks.hpp"

namespace racecourse::parser::detail {

// Reads the headline, accesses, location, threads, mutexes, lock cycle,
// stacks and SUMMARY of `block`. Sets `finding.complete` to false when the
// block was cut short, has a line this parser does not recognize, or lacks
// a section its kind always has. Leaves `verdict` and `message` unset.
TsanReport parse_report_block(const ReportBlock& block);

}  // namespace racecourse::parser::detail

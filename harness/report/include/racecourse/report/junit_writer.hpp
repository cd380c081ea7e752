// junit.xml: the report CI systems read. One <testsuite> per case, one
// <testcase> per variant (name "racy", "fixed" or "program", classname the
// case); a variant whose runs did not all meet the expectation carries a
// <failure> (or an <error> when the runner could not run it), and one
// without runs is <skipped/>.
#pragma once

#include <string>

#include "racecourse/report/model.hpp"

namespace racecourse::report {

// Renders `runs` as a JUnit XML document (XML 1.0, UTF-8). Text from
// programs is escaped; characters XML 1.0 cannot carry appear as "\xNN".
std::string to_junit(const RunSet& runs);

}  // namespace racecourse::report

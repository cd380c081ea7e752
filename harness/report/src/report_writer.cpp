#include "racecourse/report/report_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>
#include <utility>

namespace racecourse::report {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFix = "; pass --report-dir with a writable folder";

[[noreturn]] void fail(std::string_view what,
                       const fs::path& path,
                       const std::string& reason) {
  throw ReportError(std::string(what) + " '" + path.string() + "': " + reason +
                    std::string(kFix));
}

void ensure_directory(const fs::path& dir) {
  std::error_code error;
  if (fs::exists(dir, error) && !fs::is_directory(dir, error)) {
    fail("cannot write report directory", dir,
         "it exists and is not a directory");
  }
  fs::create_directories(dir, error);
  if (error) {
    fail("cannot create report directory", dir, error.message());
  }
}

// Writes all of `text` to `fd` and flushes it to disk; returns errno on
// failure, 0 on success.
int write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return errno;
    }
    written += static_cast<std::size_t>(n);
  }
  return ::fsync(fd) == 0 ? 0 : errno;
}

// Writes `text` to `dir/name` through a temporary file and a rename.
void write_atomically(const fs::path& dir,
                      const std::string& name,
                      const std::string& text) {
  const fs::path target = dir / name;
  std::string temp = (dir / ("." + name + ".XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    fail("cannot write report directory", dir,
         std::generic_category().message(errno));
  }
  // mkstemp creates the file as 0600; reports are meant to be shared.
  int error = ::fchmod(fd, 0644) == 0 ? 0 : errno;
  if (error == 0) {
    error = write_all(fd, text);
  }
  if (::close(fd) != 0 && error == 0) {
    error = errno;
  }
  if (error == 0 && ::rename(temp.c_str(), target.c_str()) != 0) {
    error = errno;
  }
  if (error != 0) {
    ::unlink(temp.c_str());
    fail("cannot write report", target, std::generic_category().message(error));
  }
}

}  // namespace

void write_reports(const RunSet& runs, const fs::path& dir) {
  ensure_directory(dir);

  // Render everything first so that a rendering error writes nothing.
  const std::array<std::pair<std::string, std::string>, 4> files{{
      {"results.json", to_json(runs)},
      {"junit.xml", to_junit(runs)},
      {"summary.md", to_markdown(runs)},
      {"index.html", to_html(runs)},
  }};
  for (const auto& [name, text] : files) {
    write_atomically(dir, name, text);
  }
}

}  // namespace racecourse::report

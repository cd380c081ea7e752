#include "racecourse/runner/file_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace racecourse::runner {

FileText read_regular_file(const std::filesystem::path& path,
                           std::size_t limit) {
  FileText file;
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    file.found = errno != ENOENT;
    file.error = std::strerror(errno);
    return file;
  }
  file.found = true;
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    file.error = "not a regular file";
    return file;
  }
  file.size = static_cast<std::size_t>(info.st_size);
  std::array<char, 65536> buffer{};
  while (file.text.size() < limit) {
    std::size_t want = std::min(buffer.size(), limit - file.text.size());
    ssize_t got = ::read(fd, buffer.data(), want);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      break;
    }
    file.text.append(buffer.data(), static_cast<std::size_t>(got));
  }
  file.truncated = file.text.size() >= limit && file.size > limit;
  ::close(fd);
  return file;
}

}  // namespace racecourse::runner

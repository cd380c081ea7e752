// Reads files that a program under test wrote (TSan logs, the runtime's
// event file) or that a manifest names, without trusting them: FIFOs,
// devices and other non-regular files are not read, and at most a fixed
// number of bytes is kept.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace racecourse::runner {

// Bytes kept of one TSan log or event file. A TSan report is a few KiB,
// so this keeps thousands of reports.
inline constexpr std::size_t kMaxReadBytes = 16 * 1024 * 1024;

struct FileText {
  bool found = false;  // the path exists
  std::string error;   // why it was not read; empty when it was
  std::string text;    // at most the limit's worth of bytes
  bool truncated = false;
  std::size_t size = 0;  // the file's size in bytes
};

// Reads `path` when it is a regular file (after following symlinks),
// opening it with O_NONBLOCK so a FIFO never blocks, and keeps at most
// `limit` bytes.
FileText read_regular_file(const std::filesystem::path& path,
                           std::size_t limit = kMaxReadBytes);

}  // namespace racecourse::runner

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "report_internal.hpp"

namespace racecourse::detail {
namespace {

std::string location_text(const SourceLocation& where) {
  return std::string(where.file) + ":" + std::to_string(where.line);
}

std::string location_json(const SourceLocation& where) {
  if (!where.known()) {
    return "null";
  }
  return "{\"file\":" + json_string(where.file) +
         ",\"line\":" + std::to_string(where.line) +
         ",\"function\":" + json_string(where.function) + "}";
}

void append_frame(std::string& out, const SourceLocation& where) {
  out += where.function[0] != '\0' ? where.function : "?";
  out += "(...)\n\t";
  out += location_text(where);
  out += "\n";
}

int events_fd() {
  // Opened once; the path is read before main() by the scheduler's start-up
  // and never changes afterwards.
  static const int fd = [] {
    const char* path = std::getenv("RACECOURSE_EVENTS");
    if (path == nullptr || *path == '\0') {
      return -1;
    }
    return ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  }();
  return fd;
}

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

LeakMode leak_mode() {
  static const LeakMode mode = [] {
    const char* value = std::getenv("RACECOURSE_LEAKS");
    if (value == nullptr || *value == '\0' || std::strcmp(value, "warn") == 0) {
      return LeakMode::warn;
    }
    if (std::strcmp(value, "fail") == 0) {
      return LeakMode::fail;
    }
    if (std::strcmp(value, "off") == 0) {
      return LeakMode::off;
    }
    write_stderr("racecourse: invalid RACECOURSE_LEAKS='" + std::string(value) +
                 "'; use warn, fail or off. Using warn.\n");
    return LeakMode::warn;
  }();
  return mode;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

void append_goroutine_text(std::string& out, const GoroutineView& g) {
  out += "goroutine " + std::to_string(g.id);
  if (!g.name.empty()) {
    out += " \"" + g.name + "\"";
  }
  out += " [" + g.state + "]:\n";
  if (g.blocked_at.known()) {
    append_frame(out, g.blocked_at);
  } else {
    out += "\t(position unknown: not blocked in a racecourse primitive)\n";
  }
  if (g.started_by_go && g.created_at.known()) {
    out += "created by ";
    out += g.created_at.function;
    out += " in goroutine " + std::to_string(g.creator_id) + "\n\t";
    out += location_text(g.created_at) + "\n";
  } else if (!g.started_by_go && g.id != 1) {
    out += "(a thread not started by racecourse::go)\n";
  }
}

void append_dump_text(std::string& out,
                      const std::vector<GoroutineView>& goroutines,
                      std::int64_t first_id) {
  for (const GoroutineView& g : goroutines) {
    if (g.id == first_id) {
      out += "\n";
      append_goroutine_text(out, g);
    }
  }
  for (const GoroutineView& g : goroutines) {
    if (g.id != first_id) {
      out += "\n";
      append_goroutine_text(out, g);
    }
  }
}

std::string goroutine_json(const GoroutineView& g) {
  return "{\"id\":" + std::to_string(g.id) +
         ",\"name\":" + json_string(g.name) +
         ",\"state\":" + json_string(g.state) +
         ",\"os_tid\":" + std::to_string(g.os_tid) +
         ",\"creator\":" + std::to_string(g.creator_id) +
         ",\"blocked_at\":" + location_json(g.blocked_at) + ",\"created_at\":" +
         (g.started_by_go ? location_json(g.created_at) : "null") + "}";
}

std::string goroutines_json(const std::vector<GoroutineView>& goroutines) {
  std::string out = "[";
  for (const GoroutineView& g : goroutines) {
    if (out.size() > 1) {
      out += ",";
    }
    out += goroutine_json(g);
  }
  return out + "]";
}

void emit_event(const std::string& json_object) {
  const int fd = events_fd();
  if (fd < 0) {
    return;
  }
  // One write() per line with O_APPEND, so lines from concurrent writers
  // never interleave.
  write_all(fd, json_object + "\n");
}

void write_stderr(std::string_view text) {
  write_all(STDERR_FILENO, text);
}

void die(const std::string& text, const std::string& event) {
  // Whatever the program printed so far must not be lost with the exit.
  std::fflush(nullptr);
  write_stderr(text);
  emit_event(event);
  // exit_group directly, not _exit(): TSan's _exit hook would complain that
  // this thread still ignores accesses (we are inside a Hidden region) and
  // would replace status 2 with its own exit code when it saw a race.
  // Every TSan report was written when it happened.
  ::syscall(SYS_exit_group, 2);
  __builtin_unreachable();
}

}  // namespace racecourse::detail

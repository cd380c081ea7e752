// Go's channels: Chan<T>, its send-only and receive-only views, make_chan.
#pragma once

#include <cstddef>
#include <iterator>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

#include "racecourse/detail/chan_core.hpp"
#include "racecourse/detail/handles.hpp"
#include "racecourse/detail/sched.hpp"
#include "racecourse/detail/tsan.hpp"
#include "racecourse/panic.hpp"
#include "racecourse/source_location.hpp"

namespace racecourse {

template <class T>
class Chan;
template <class T>
class SendChan;
template <class T>
class RecvChan;

namespace detail {
template <class T>
ChanCore* core_of(const Chan<T>& chan) noexcept;
template <class T>
ChanCore* core_of(const SendChan<T>& chan) noexcept;
template <class T>
ChanCore* core_of(const RecvChan<T>& chan) noexcept;
}  // namespace detail

// What recv_ok() returns: the value and whether it came from a send (true)
// or is the zero value of a closed, drained channel (false).
template <class T>
struct RecvResult {
  T value;
  bool ok;
};

// A handle to a channel, Go's `chan T`. Copies refer to the same channel;
// the channel lives until its last handle is gone. A default-constructed
// Chan is nil: sending to or receiving from it blocks forever, closing it
// panics.
//
// Guarantees (Go's memory model, and exactly what TSan is shown):
// - a send happens before the receive that takes its value completes;
// - on an unbuffered channel a receive happens before its send completes;
// - on a channel of capacity C the k-th receive happens before the
//   (k+C)-th send completes;
// - close() happens before a receive that returns because of it.
// Copying, moving and destroying handles synchronizes nothing. The runtime
// records where each handle lives, for its partial-deadlock check (see
// harness/runtime/EVENTS.md).
//
// Go's panics: "send on closed channel", "close of closed channel",
// "close of nil channel". As Go's race detector does, a close() that is
// not ordered with a send() on the same channel is reported as a data race.
// Receiving from a closed, drained channel needs a default-constructible T
// for the zero value.
template <class T>
class Chan {
 public:
  class Iterator;

  Chan() noexcept = default;
  Chan(const Chan& other) noexcept : core_(other.core_) {
    if (core_ != nullptr) {
      core_->retain();
      detail::handle_attach(core_, this);
    }
  }
  Chan(Chan&& other) noexcept : core_(std::exchange(other.core_, nullptr)) {
    if (core_ != nullptr) {
      detail::handle_move(core_, &other, this);
    }
  }
  Chan& operator=(const Chan& other) noexcept {
    if (core_ != other.core_) {
      reset();
      core_ = other.core_;
      if (core_ != nullptr) {
        core_->retain();
        detail::handle_attach(core_, this);
      }
    }
    return *this;
  }
  Chan& operator=(Chan&& other) noexcept {
    if (this != &other) {
      reset();
      core_ = std::exchange(other.core_, nullptr);
      if (core_ != nullptr) {
        detail::handle_move(core_, &other, this);
      }
    }
    return *this;
  }
  ~Chan() { reset(); }

  // True unless nil.
  explicit operator bool() const noexcept { return core_ != nullptr; }
  friend bool operator==(const Chan& a, const Chan& b) noexcept {
    return a.core_ == b.core_;
  }

  // Sends `value`, blocking until a receiver takes it (unbuffered) or the
  // buffer has room. `value` is copied or moved in the caller, before any
  // blocking.
  void send(T value, SourceLocation where = SourceLocation::current()) const {
    if (core_ == nullptr) {
      detail::block_forever("chan send (nil chan)", where);
    }
    detail::tsan::race_read(core_->race_address());
    core_->send(&value, where);
  }

  // Receives the next value; the zero value T{} once closed and drained.
  T recv(SourceLocation where = SourceLocation::current()) const {
    return std::move(recv_ok(where).value);
  }

  // Receives the next value with Go's comma-ok: ok is false once the
  // channel is closed and drained.
  RecvResult<T> recv_ok(
      SourceLocation where = SourceLocation::current()) const {
    if (core_ == nullptr) {
      detail::block_forever("chan receive (nil chan)", where);
    }
    alignas(T) unsigned char storage[sizeof(T)];
    if (!core_->recv(storage, where)) {
      return RecvResult<T>{T{}, false};
    }
    T* received = std::launder(reinterpret_cast<T*>(storage));
    RecvResult<T> result{std::move(*received), true};
    received->~T();
    return result;
  }

  // Closes the channel: receivers drain what is buffered, then get the zero
  // value; waiting and later senders panic.
  void close(SourceLocation where = SourceLocation::current()) const {
    if (core_ == nullptr) {
      panic("close of nil channel", where);
    }
    detail::tsan::race_write(core_->race_address());
    core_->close(where);
  }

  // Number of buffered values; 0 for nil.
  std::size_t len() const noexcept {
    return core_ == nullptr ? 0 : core_->len();
  }
  // Buffer capacity; 0 for unbuffered and nil.
  std::size_t cap() const noexcept {
    return core_ == nullptr ? 0 : core_->cap();
  }

  // Range-for receives until the channel is closed and drained, as Go's
  // `for v := range ch`.
  Iterator begin(SourceLocation where = SourceLocation::current()) const {
    return Iterator(this, where);
  }
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  template <class U>
  friend Chan<U> make_chan(std::ptrdiff_t, SourceLocation);
  template <class U>
  friend detail::ChanCore* detail::core_of(const Chan<U>& chan) noexcept;

  explicit Chan(detail::ChanCore* core) noexcept : core_(core) {
    detail::handle_attach(core_, this);
  }

  // Makes this handle nil.
  void reset() noexcept {
    if (core_ != nullptr) {
      detail::handle_detach(core_, this);
      std::exchange(core_, nullptr)->release();
    }
  }

  detail::ChanCore* core_ = nullptr;
};

// The range-for iterator: holds the last value received.
template <class T>
class Chan<T>::Iterator {
 public:
  using value_type = T;
  using difference_type = std::ptrdiff_t;

  Iterator(const Chan* chan, SourceLocation where)
      : chan_(chan), where_(where) {
    next();
  }
  T& operator*() { return *current_; }
  Iterator& operator++() {
    next();
    return *this;
  }
  void operator++(int) { next(); }
  friend bool operator==(const Iterator& it, std::default_sentinel_t) {
    return !it.current_.has_value();
  }

 private:
  void next() {
    current_.reset();
    auto [value, ok] = chan_->recv_ok(where_);
    if (ok) {
      current_.emplace(std::move(value));
    }
  }

  const Chan* chan_;
  SourceLocation where_;
  std::optional<T> current_;
};

// Makes a channel: unbuffered by default, buffered with `capacity` > 0.
// Panics with Go's "makechan: size out of range" for a negative capacity.
template <class T>
Chan<T> make_chan(std::ptrdiff_t capacity = 0,
                  SourceLocation where = SourceLocation::current()) {
  static_assert(std::is_move_constructible_v<T>,
                "a channel's element type must be move-constructible");
  if (capacity < 0) {
    panic("makechan: size out of range", where);
  }
  return Chan<T>(detail::ChanCore::create(&detail::kElemOps<T>,
                                          static_cast<std::size_t>(capacity)));
}

// A send-only view, Go's `chan<- T`. Made implicitly from a Chan<T>;
// there is no way back, so receiving through it does not compile.
template <class T>
class SendChan {
 public:
  SendChan() noexcept = default;
  SendChan(Chan<T> chan) noexcept : chan_(std::move(chan)) {}  // NOLINT

  explicit operator bool() const noexcept { return bool(chan_); }
  void send(T value, SourceLocation where = SourceLocation::current()) const {
    chan_.send(std::move(value), where);
  }
  void close(SourceLocation where = SourceLocation::current()) const {
    chan_.close(where);
  }
  std::size_t len() const noexcept { return chan_.len(); }
  std::size_t cap() const noexcept { return chan_.cap(); }

 private:
  template <class U>
  friend detail::ChanCore* detail::core_of(const SendChan<U>& chan) noexcept;
  Chan<T> chan_;
};

// A receive-only view, Go's `<-chan T`. Made implicitly from a Chan<T>;
// sending or closing through it does not compile.
template <class T>
class RecvChan {
 public:
  RecvChan() noexcept = default;
  RecvChan(Chan<T> chan) noexcept : chan_(std::move(chan)) {}  // NOLINT

  explicit operator bool() const noexcept { return bool(chan_); }
  T recv(SourceLocation where = SourceLocation::current()) const {
    return chan_.recv(where);
  }
  RecvResult<T> recv_ok(
      SourceLocation where = SourceLocation::current()) const {
    return chan_.recv_ok(where);
  }
  std::size_t len() const noexcept { return chan_.len(); }
  std::size_t cap() const noexcept { return chan_.cap(); }
  typename Chan<T>::Iterator begin(
      SourceLocation where = SourceLocation::current()) const {
    return chan_.begin(where);
  }
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  template <class U>
  friend detail::ChanCore* detail::core_of(const RecvChan<U>& chan) noexcept;
  Chan<T> chan_;
};

namespace detail {

template <class T>
ChanCore* core_of(const Chan<T>& chan) noexcept {
  return chan.core_;
}
template <class T>
ChanCore* core_of(const SendChan<T>& chan) noexcept {
  return core_of(chan.chan_);
}
template <class T>
ChanCore* core_of(const RecvChan<T>& chan) noexcept {
  return core_of(chan.chan_);
}

}  // namespace detail
}  // namespace racecourse

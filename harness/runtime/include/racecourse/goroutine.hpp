// Goroutines: go(f, args...) and the calling goroutine's identity.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "racecourse/source_location.hpp"

namespace racecourse {

namespace detail {

// A started goroutine's work, type-erased.
class Task {
 public:
  virtual ~Task() = default;
  virtual void run() = 0;
};

template <class Fn, class... Args>
class BoundTask final : public Task {
 public:
  template <class F, class... A>
  explicit BoundTask(F&& fn, A&&... args)
      : fn_(std::forward<F>(fn)), args_(std::forward<A>(args)...) {}

  void run() override { std::apply(std::move(fn_), std::move(args_)); }

 private:
  Fn fn_;
  std::tuple<Args...> args_;
};

// Starts `task`, which occupies `task_size` bytes from its address (the
// partial-deadlock check attributes handles kept there to the goroutine).
void start_goroutine(std::unique_ptr<Task> task,
                     std::size_t task_size,
                     std::string name,
                     SourceLocation created_at);

}  // namespace detail

// A name shown in goroutine dumps: go(GoName{"producer"}, f).
struct GoName {
  std::string_view name;
};

namespace detail {

template <class F, class... Args>
void go_with(std::string_view name,
             SourceLocation where,
             F&& f,
             Args&&... args) {
  using Bound = BoundTask<std::decay_t<F>, std::decay_t<Args>...>;
  // The copies are made here, in the caller, so TSan sees them as the
  // caller's reads.
  auto task =
      std::make_unique<Bound>(std::forward<F>(f), std::forward<Args>(args)...);
  // Task is Bound's only base, so both pointers name the same address.
  start_goroutine(std::move(task), sizeof(Bound), std::string(name), where);
}

}  // namespace detail

// Starts f(args...) in a new goroutine: an OS thread registered with the
// runtime, with its own id (the main thread is goroutine 1), the source
// location of this call and an optional name, given as a first argument
// GoName{"producer"}.
//
// Like std::thread, go copies or moves `f` and each argument into the new
// goroutine (wrap references in std::ref). Everything the caller did before
// go() happens before f starts; nothing orders f's end with anything
// else, so wait for it with a WaitGroup or a channel. An exception that
// escapes f is a panic that ends the program, as in Go.
//
// go() takes up to six arguments after f. It is a set of overloads rather
// than one variadic template because the caller's location must be a
// default argument after the last parameter.
template <class F>
void go(F&& f, SourceLocation where = SourceLocation::current()) {
  detail::go_with({}, where, std::forward<F>(f));
}
template <class F, class A1>
void go(F&& f, A1&& a1, SourceLocation where = SourceLocation::current()) {
  detail::go_with({}, where, std::forward<F>(f), std::forward<A1>(a1));
}
template <class F, class A1, class A2>
void go(F&& f,
        A1&& a1,
        A2&& a2,
        SourceLocation where = SourceLocation::current()) {
  detail::go_with({}, where, std::forward<F>(f), std::forward<A1>(a1),
                  std::forward<A2>(a2));
}
template <class F, class A1, class A2, class A3>
void go(F&& f,
        A1&& a1,
        A2&& a2,
        A3&& a3,
        SourceLocation where = SourceLocation::current()) {
  detail::go_with({}, where, std::forward<F>(f), std::forward<A1>(a1),
                  std::forward<A2>(a2), std::forward<A3>(a3));
}
template <class F, class A1, class A2, class A3, class A4>
void go(F&& f,
        A1&& a1,
        A2&& a2,
        A3&& a3,
        A4&& a4,
        SourceLocation where = SourceLocation::current()) {
  detail::go_with({}, where, std::forward<F>(f), std::forward<A1>(a1),
                  std::forward<A2>(a2), std::forward<A3>(a3),
                  std::forward<A4>(a4));
}
template <class F, class A1, class A2, class A3, class A4, class A5>
void go(F&& f,
        A1&& a1,
        A2&& a2,
        A3&& a3,
        A4&& a4,
        A5&& a5,
        SourceLocation where = SourceLocation::current()) {
  detail::go_with({}, where, std::forward<F>(f), std::forward<A1>(a1),
                  std::forward<A2>(a2), std::forward<A3>(a3),
                  std::forward<A4>(a4), std::forward<A5>(a5));
}
template <class F, class A1, class A2, class A3, class A4, class A5, class A6>
void go(F&& f,
        A1&& a1,
        A2&& a2,
        A3&& a3,
        A4&& a4,
        A5&& a5,
        A6&& a6,
        SourceLocation where = SourceLocation::current()) {
  detail::go_with({}, where, std::forward<F>(f), std::forward<A1>(a1),
                  std::forward<A2>(a2), std::forward<A3>(a3),
                  std::forward<A4>(a4), std::forward<A5>(a5),
                  std::forward<A6>(a6));
}

// The same with a name shown in goroutine dumps.
template <class F>
void go(GoName name, F&& f, SourceLocation where = SourceLocation::current()) {
  detail::go_with(name.name, where, std::forward<F>(f));
}
template <class F, class A1>
void go(GoName name,
        F&& f,
        A1&& a1,
        SourceLocation where = SourceLocation::current()) {
  detail::go_with(name.name, where, std::forward<F>(f), std::forward<A1>(a1));
}
template <class F, class A1, class A2>
void go(GoName name,
        F&& f,
        A1&& a1,
        A2&& a2,
        SourceLocation where = SourceLocation::current()) {
  detail::go_with(name.name, where, std::forward<F>(f), std::forward<A1>(a1),
                  std::forward<A2>(a2));
}
template <class F, class A1, class A2, class A3>
void go(GoName name,
        F&& f,
        A1&& a1,
        A2&& a2,
        A3&& a3,
        SourceLocation where = SourceLocation::current()) {
  detail::go_with(name.name, where, std::forward<F>(f), std::forward<A1>(a1),
                  std::forward<A2>(a2), std::forward<A3>(a3));
}

// The calling goroutine's id; 1 for the main thread.
std::int64_t goroutine_id() noexcept;

}  // namespace racecourse

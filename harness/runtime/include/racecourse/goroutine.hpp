// Goroutines: go(f, args...) and the calling goroutine's identity.
#pragma once

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

void start_goroutine(std::unique_ptr<Task> task,
                     std::string name,
                     SourceLocation created_at);

}  // namespace detail

// A name shown in goroutine dumps: go(GoName{"producer"}, f).
struct GoName {
  std::string_view name;
};

// Starts f(args...) in a new goroutine: an OS thread registered with the
// runtime, with its own id (the main thread is goroutine 1), the source
// location of this call and an optional name.
//
// Like std::thread, go copies or moves `f` and each argument into the new
// goroutine (wrap references in std::ref). Everything the caller did before
// go() happens before f starts; nothing orders f's end with anything
// else, so wait for it with a WaitGroup or a channel. An exception that
// escapes f is a panic that ends the program, as in Go.
//
// go is a class only so that the caller's location can follow a parameter
// pack; write it as a call: `racecourse::go([&] { ... });`.
template <class F, class... Args>
struct go {
  explicit go(F&& f,
              Args&&... args,
              SourceLocation where = SourceLocation::current()) {
    start({}, std::forward<F>(f), std::forward<Args>(args)..., where);
  }

  go(GoName name,
     F&& f,
     Args&&... args,
     SourceLocation where = SourceLocation::current()) {
    start(name.name, std::forward<F>(f), std::forward<Args>(args)..., where);
  }

 private:
  static void start(std::string_view name,
                    F&& f,
                    Args&&... args,
                    SourceLocation where) {
    using Bound = detail::BoundTask<std::decay_t<F>, std::decay_t<Args>...>;
    // The copies are made here, in the caller, so TSan sees them as the
    // caller's reads.
    detail::start_goroutine(
        std::make_unique<Bound>(std::forward<F>(f),
                                std::forward<Args>(args)...),
        std::string(name), where);
  }
};

template <class F, class... Args>
go(F&&, Args&&...) -> go<F, Args...>;
template <class F, class... Args>
go(GoName, F&&, Args&&...) -> go<F, Args...>;

// The calling goroutine's id; 1 for the main thread.
std::int64_t goroutine_id() noexcept;

}  // namespace racecourse

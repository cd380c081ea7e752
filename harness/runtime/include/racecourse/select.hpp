// Go's select statement over channel cases.
#pragma once

#include <cstddef>
#include <functional>
#include <new>
#include <tuple>
#include <type_traits>
#include <utility>

#include "racecourse/chan.hpp"
#include "racecourse/detail/chan_core.hpp"
#include "racecourse/source_location.hpp"

namespace racecourse {
namespace detail {

// Receive case: `f(value)`, or `f(value, ok)` when `kWithOk`.
template <class T, class F, bool kWithOk>
struct RecvCase {
  ChanCore* chan;
  F f;
  alignas(T) unsigned char storage[sizeof(T)];

  void fill(SelectCase& c) { c = SelectCase{chan, false, storage, false}; }
  void run(const SelectCase& c) {
    T value{};
    if (c.received) {
      T* received = std::launder(reinterpret_cast<T*>(storage));
      value = std::move(*received);
      received->~T();
    }
    if constexpr (kWithOk) {
      std::invoke(f, std::move(value), c.received);
    } else {
      std::invoke(f, std::move(value));
    }
  }
};

// Send case: offers `value`, then runs `f()`.
template <class T, class F>
struct SendCase {
  ChanCore* chan;
  T value;
  F f;

  void fill(SelectCase& c) { c = SelectCase{chan, true, &value, false}; }
  void run(const SelectCase&) { std::invoke(f); }
};

// The default case: runs `f()` when no other case is ready.
template <class F>
struct DefaultCase {
  F f;

  void fill(SelectCase& c) { c = SelectCase{}; }
  void run(const SelectCase&) { std::invoke(f); }
};

template <class C>
inline constexpr bool kIsDefault = false;
template <class F>
inline constexpr bool kIsDefault<DefaultCase<F>> = true;

}  // namespace detail

// select cases. A case on a nil channel is never ready, Go's way to switch
// a case off.
template <class Ch, class F>
auto on_recv(const Ch& chan, F f) {
  using T = std::remove_cvref_t<decltype(chan.recv())>;
  return detail::RecvCase<T, F, false>{detail::core_of(chan), std::move(f), {}};
}

template <class Ch, class F>
auto on_recv_ok(const Ch& chan, F f) {
  using T = std::remove_cvref_t<decltype(chan.recv())>;
  return detail::RecvCase<T, F, true>{detail::core_of(chan), std::move(f), {}};
}

// The value is copied (or moved) here, in the caller, before select runs.
template <class T, class F>
auto on_send(const Chan<T>& chan, std::type_identity_t<T> value, F f) {
  return detail::SendCase<T, F>{detail::core_of(chan), std::move(value),
                                std::move(f)};
}

template <class T, class F>
auto on_send(const SendChan<T>& chan, std::type_identity_t<T> value, F f) {
  return detail::SendCase<T, F>{detail::core_of(chan), std::move(value),
                                std::move(f)};
}

template <class F>
auto otherwise(F f) {
  return detail::DefaultCase<F>{std::move(f)};
}

// Go's select: waits until one case can proceed and runs it. Among ready
// cases it picks one uniformly at random; with none ready it runs the
// `otherwise` case if there is one, else blocks. `select()` with no cases
// blocks forever. The chosen case's function runs after the choice, outside
// the runtime's locks, so it may use channels itself. The happens-before
// edges are those of the channel operation chosen.
//
// select is a class only so that the caller's location can follow a
// parameter pack; write it as a call: `racecourse::select(on_recv(...), ...);`.
template <class... Cases>
struct select {
  explicit select(Cases&&... cases,
                  SourceLocation where = SourceLocation::current()) {
    static_assert(
        (0 + ... + (detail::kIsDefault<std::decay_t<Cases>> ? 1 : 0)) <= 1,
        "select takes at most one otherwise() case");
    run(std::index_sequence_for<Cases...>{}, where, cases...);
  }

 private:
  template <std::size_t... I>
  static void run(std::index_sequence<I...>,
                  SourceLocation where,
                  Cases&... cases) {
    constexpr bool kHasDefault =
        (false || ... || detail::kIsDefault<std::decay_t<Cases>>);
    detail::SelectCase core[sizeof...(Cases) + 1];
    (cases.fill(core[I]), ...);
    const int chosen = detail::ChanCore::select(
        core, static_cast<int>(sizeof...(Cases)), kHasDefault, where);
    if (chosen < 0) {
      ((detail::kIsDefault<std::decay_t<Cases>> ? cases.run(core[I]) : void()),
       ...);
      return;
    }
    ((static_cast<int>(I) == chosen ? cases.run(core[I]) : void()), ...);
  }
};

template <class... Cases>
select(Cases&&...) -> select<Cases...>;

}  // namespace racecourse

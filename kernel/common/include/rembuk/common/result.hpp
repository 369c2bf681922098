// Result<T, E>: the value of an operation that can fail in an expected way.
//
// Errors are values at module edges (see leveldb's Status): a Result holds either a T or an
// E, never both, never neither. Expected outcomes such as "not found" are not errors; model
// them in T (std::optional, bool). A broken invariant is not an error either: assert or abort.
//
// Thread safety: a Result is a plain value; const access from several threads is safe.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace rembuk {

// Wraps an error so that Result<T, E> can be built from it unambiguously, even when T and E
// are the same type.
template <typename E>
struct Failure {
  E error;
};

template <typename E>
Failure<std::decay_t<E>> fail(E&& error) {
  return {std::forward<E>(error)};
}

template <typename T, typename E>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(Failure<E> failure)                                              // NOLINT: implicit
      : state_(std::in_place_index<1>, std::move(failure.error)) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  // REQUIRES: ok().
  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok().
  E& error() & {
    assert(!ok());
    return std::get<1>(state_);
  }
  const E& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  E&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, E> state_;
};

// Result of an operation that yields nothing on success.
struct Unit {
  friend bool operator==(Unit, Unit) = default;
};

}  // namespace rembuk

// cpddi::Expected<T, E> — the one result type used inside cpddi and in its C++ API, with
// std::expected's spelling (has_value, operator bool, value, error, operator*, operator->) so a
// move to C++23's std::expected is a search-and-replace. GCC 12 in C++20 has no std::expected.
#ifndef CPDDI_EXPECTED_HPP_
#define CPDDI_EXPECTED_HPP_

#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

namespace cpddi {

template <class E>
class Unexpected {
 public:
  explicit Unexpected(E error) : error_(std::move(error)) {}
  const E& error() const& noexcept { return error_; }
  E&& error() && noexcept { return std::move(error_); }

 private:
  E error_;
};

template <class T, class E>
class [[nodiscard]] Expected {
 public:
  Expected() requires std::is_default_constructible_v<T> : state_(std::in_place_index<0>) {}
  Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit like std
  Expected(E error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  Expected(Unexpected<E> u) : state_(std::in_place_index<1>, std::move(u).error()) {}  // NOLINT

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  // Calling value() on an error is a programming bug; it aborts rather than throw, because cpddi
  // is built to be called from C through the DDI.
  T& value() & { check(); return std::get<0>(state_); }
  const T& value() const& { check(); return std::get<0>(state_); }
  T&& value() && { check(); return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const& {
    if (has_value()) { std::abort(); }
    return std::get<1>(state_);
  }

 private:
  void check() const {
    if (!has_value()) { std::abort(); }
  }
  std::variant<T, E> state_;
};

template <class E>
class [[nodiscard]] Expected<void, E> {
 public:
  Expected() = default;
  Expected(E error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  Expected(Unexpected<E> u) : error_(std::move(u).error()), ok_(false) {}  // NOLINT

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const {
    if (!ok_) { std::abort(); }
  }
  const E& error() const& {
    if (ok_) { std::abort(); }
    return error_;
  }

 private:
  E error_{};
  bool ok_ = true;
};

}  // namespace cpddi

#endif  // CPDDI_EXPECTED_HPP_

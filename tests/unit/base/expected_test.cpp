// Expected<T, E> (include/cpddi/expected.hpp) and Result<T>: std::expected's spelling and
// meaning, and the abort on misuse that replaces std::bad_expected_access.
#include "cpddi/expected.hpp"

#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include <gtest/gtest.h>

#include "base/result.h"

namespace cpddi {
namespace {

struct Point {
  int x = 0;
  int y = 0;
};

TEST(ExpectedTest, ValueConstructionHoldsTheValue) {
  Result<int> r = 42;
  EXPECT_TRUE(r.has_value());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 42);
  EXPECT_EQ(*r, 42);
}

TEST(ExpectedTest, DefaultConstructionValueInitialisesT) {
  Result<int> r;
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 0);
}

TEST(ExpectedTest, ErrorConstructionHoldsCodeAndReason) {
  static const char kReason[] = "no session key yet";
  Result<int> r = Error{Errc::kWrongState, kReason};
  EXPECT_FALSE(r.has_value());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code, Errc::kWrongState);
  EXPECT_EQ(r.error().reason, kReason);  // the literal itself, not a copy
}

TEST(ExpectedTest, UnexpectedConstructsTheErrorAlternative) {
  Result<std::string> r = Unexpected<Error>(Error{Errc::kOutOfMemory, "x"});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::kOutOfMemory);
}

TEST(ExpectedTest, DefaultErrorIsInternalWithEmptyReason) {
  const Error e;
  EXPECT_EQ(e.code, Errc::kInternal);
  EXPECT_STREQ(e.reason, "");
}

TEST(ExpectedTest, ArrowAndStarReachAndModifyTheValue) {
  Result<Point> r = Point{1, 2};
  EXPECT_EQ(r->x, 1);
  r->y = 5;
  (*r).x = 3;
  EXPECT_EQ(r.value().x, 3);
  EXPECT_EQ(r.value().y, 5);

  const Result<Point>& cr = r;
  EXPECT_EQ(cr->y, 5);
  EXPECT_EQ((*cr).x, 3);
}

TEST(ExpectedTest, MoveOnlyValueCanBeMovedOut) {
  Expected<std::unique_ptr<int>, Error> r = std::make_unique<int>(7);
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 7);

  Expected<std::unique_ptr<int>, Error> s = std::make_unique<int>(8);
  std::unique_ptr<int> q = *std::move(s);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(*q, 8);
}

TEST(ExpectedTest, ValueOfANonDefaultConstructibleTypeWorks) {
  struct NoDefault {
    explicit NoDefault(int v) : value(v) {}
    int value;
  };
  static_assert(!std::is_default_constructible_v<Result<NoDefault>>);
  Result<NoDefault> r = NoDefault(3);
  EXPECT_EQ(r->value, 3);
  Result<NoDefault> e = Error{Errc::kInvalidArgument, "bad"};
  EXPECT_EQ(e.error().code, Errc::kInvalidArgument);
}

TEST(ExpectedTest, CopyKeepsTheAlternative) {
  Result<int> a = 5;
  Result<int> b = Error{Errc::kNotAvailable, "off"};
  Result<int> a2 = a;
  Result<int> b2 = b;
  EXPECT_EQ(*a2, 5);
  ASSERT_FALSE(b2.has_value());
  EXPECT_EQ(b2.error().code, Errc::kNotAvailable);
}

TEST(ExpectedTest, VoidDefaultIsSuccess) {
  Result<void> r;
  EXPECT_TRUE(r.has_value());
  EXPECT_TRUE(static_cast<bool>(r));
  r.value();  // does not abort
}

TEST(ExpectedTest, VoidFromErrorIsFailure) {
  Result<void> r = Error{Errc::kUnsupportedCrypto, "profile"};
  EXPECT_FALSE(r.has_value());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code, Errc::kUnsupportedCrypto);
  EXPECT_STREQ(r.error().reason, "profile");

  Result<void> u = Unexpected<Error>(Error{Errc::kOutOfProtectedMemory, "pool"});
  ASSERT_FALSE(u.has_value());
  EXPECT_EQ(u.error().code, Errc::kOutOfProtectedMemory);
}

TEST(ExpectedTest, ErrorPropagatesAcrossResultTypes) {
  auto inner = []() -> Result<int> { return Error{Errc::kWrongState, "inner"}; };
  auto outer = [&]() -> Result<void> {
    Result<int> r = inner();
    if (!r) {
      return r.error();
    }
    return {};
  };
  Result<void> r = outer();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kWrongState);
  EXPECT_STREQ(r.error().reason, "inner");
}

TEST(ExpectedDeathTest, ValueOfAnErrorAborts) {
  Result<int> r = Error{Errc::kInternal, "x"};
  EXPECT_DEATH({ (void)r.value(); }, "");
  EXPECT_DEATH({ (void)*r; }, "");
}

TEST(ExpectedDeathTest, ErrorOfAValueAborts) {
  Result<int> r = 1;
  EXPECT_DEATH({ (void)r.error(); }, "");
}

TEST(ExpectedDeathTest, VoidValueOfAnErrorAborts) {
  Result<void> r = Error{Errc::kInternal, "x"};
  EXPECT_DEATH(r.value(), "");
}

TEST(ExpectedDeathTest, VoidErrorOfSuccessAborts) {
  Result<void> r;
  EXPECT_DEATH({ (void)r.error(); }, "");
}

}  // namespace
}  // namespace cpddi

// The loaders' own discipline (BoringSSL FileTest rules): each rule is shown to fail a test when a
// file breaks it. Files are written to a temporary folder that CPDDI_TEST_DATA_DIR points at, which
// also proves the environment override.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "vector_files.h"

namespace cpddi::testing::vectors {
namespace {

constexpr std::string_view kSucceed[] = {"Good"};
constexpr std::string_view kFail[] = {"Bad"};
constexpr WycheproofFile kFile{
    "test.json", "TEST-ALG", "test_schema.json", "TestGroup", {kSucceed, kFail}};

// Points CPDDI_TEST_DATA_DIR at a temporary folder of this test's own (ctest may run tests in
// parallel) and restores it afterwards.
class VectorFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* old = std::getenv("CPDDI_TEST_DATA_DIR");
    if (old != nullptr) {
      saved_ = old;
    }
    dir_ = ::testing::TempDir() + "cpddi_vector_files_test_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    ASSERT_FALSE(ec) << ec.message();
    ASSERT_EQ(setenv("CPDDI_TEST_DATA_DIR", dir_.c_str(), 1), 0);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);  // tests leave nothing behind in the temp directory
    EXPECT_FALSE(ec) << ec.message();
    if (saved_) {
      setenv("CPDDI_TEST_DATA_DIR", saved_->c_str(), 1);
    } else {
      unsetenv("CPDDI_TEST_DATA_DIR");
    }
  }
  void write(const std::string& name, const std::string& text) {
    std::ofstream out(dir_ + "/" + name, std::ios::binary | std::ios::trunc);
    out << text;
    ASSERT_TRUE(out.good());
  }
  // A file with one group holding `tests` (a JSON array), numberOfTests = `declared` and the
  // given notes (every note must be used by some case's flag).
  void write_wycheproof(const std::string& tests, int declared,
                        const std::string& notes = R"({"Good": {"description": "d"}})") {
    write("test.json", R"({"algorithm": "TEST-ALG", "schema": "test_schema.json",
      "numberOfTests": )" + std::to_string(declared) +
                           R"(, "header": ["h"],
      "notes": )" + notes + R"(,
      "testGroups": [{"type": "TestGroup", "source": {"name": "n", "version": "1"},
                      "keySize": 8, "tests": )" +
                           tests + "}]}");
  }

  std::string dir_;
  std::optional<std::string> saved_;
};

// A group reader that reads keySize and a runner that reads `msg`.
CaseRunner read_msg(Fields& group) {
  group.integer("keySize");
  return [](WycheproofCase& c) { c.test.hex("msg"); };
}

TEST_F(VectorFilesTest, EnvironmentVariableOverridesTheDataFolder) {
  EXPECT_EQ(data_path("a/b.json"), dir_ + "/a/b.json");
}

TEST_F(VectorFilesTest, WellFormedFileRunsEveryCaseWithItsDecision) {
  write_wycheproof(R"([
    {"tcId": 1, "comment": "", "flags": ["Good"], "msg": "00", "result": "valid"},
    {"tcId": 2, "comment": "", "flags": ["Bad"], "msg": "", "result": "invalid"},
    {"tcId": 3, "comment": "", "flags": ["Good"], "msg": "ff", "result": "acceptable"}])",
                   3, R"({"Good": {}, "Bad": {}})");
  std::vector<std::pair<std::int64_t, bool>> seen;
  const WycheproofSummary s = run_wycheproof(kFile, [&seen](Fields& group) -> CaseRunner {
    group.integer("keySize");
    return [&seen](WycheproofCase& c) {
      c.test.hex("msg");
      seen.emplace_back(c.tc_id, c.expect_success);
    };
  });
  EXPECT_EQ(s.num_cases, 3u);
  EXPECT_EQ(s.num_acceptable, 1u);
  const std::vector<std::pair<std::int64_t, bool>> want = {{1, true}, {2, false}, {3, true}};
  EXPECT_EQ(seen, want);
}

TEST_F(VectorFilesTest, MissingFileFails) {
  EXPECT_NONFATAL_FAILURE(run_wycheproof(kFile, read_msg), "cannot open vector file");
  EXPECT_NONFATAL_FAILURE(run_nist("none.txt", [](Fields&) {}), "cannot open vector file");
}

TEST_F(VectorFilesTest, FileWithoutCasesFails) {
  write_wycheproof("[]", 0, "{}");
  EXPECT_NONFATAL_FAILURE(run_wycheproof(kFile, read_msg), "yields no test case");
}

TEST_F(VectorFilesTest, UnreadFieldFailsTheCase) {
  write_wycheproof(R"([{"tcId": 1, "comment": "", "flags": ["Good"], "msg": "00",
                        "extra": "x", "result": "valid"}])",
                   1);
  EXPECT_NONFATAL_FAILURE(run_wycheproof(kFile, read_msg), "\"extra\" was never read");
}

TEST_F(VectorFilesTest, UnreadGroupFieldFails) {
  write_wycheproof(
      R"([{"tcId": 1, "comment": "", "flags": ["Good"], "msg": "00", "result": "valid"}])", 1);
  EXPECT_NONFATAL_FAILURE(run_wycheproof(kFile,
                                         [](Fields&) -> CaseRunner {
                                           return [](WycheproofCase& c) { c.test.hex("msg"); };
                                         }),
                          "\"keySize\" was never read");
}

TEST_F(VectorFilesTest, FailuresCarryTheTcId) {
  write_wycheproof(
      R"([{"tcId": 7, "comment": "c", "flags": ["Good"], "msg": "", "result": "valid"}])", 1);
  EXPECT_NONFATAL_FAILURE(run_wycheproof(kFile,
                                         [](Fields& group) -> CaseRunner {
                                           group.integer("keySize");
                                           return [](WycheproofCase& c) {
                                             c.test.hex("msg");
                                             ADD_FAILURE() << "boom";
                                           };
                                         }),
                          "tcId 7");
}

TEST_F(VectorFilesTest, NumberOfTestsMismatchFails) {
  write_wycheproof(
      R"([{"tcId": 1, "comment": "", "flags": ["Good"], "msg": "", "result": "valid"}])", 2);
  EXPECT_NONFATAL_FAILURE(run_wycheproof(kFile, read_msg), "numberOfTests");
}

TEST_F(VectorFilesTest, UndecidedAcceptableCaseFails) {
  write_wycheproof(R"([{"tcId": 1, "comment": "", "flags": ["Good", "Odd"], "msg": "",
                        "result": "acceptable"}])",
                   1, R"({"Good": {}, "Odd": {}})");
  EXPECT_NONFATAL_FAILURE(run_wycheproof(kFile, read_msg), "does not decide");
}

TEST_F(VectorFilesTest, UnknownResultFails) {
  write_wycheproof(R"([{"tcId": 1, "comment": "", "flags": ["Good"], "msg": "", "result": "valid"},
                        {"tcId": 2, "comment": "", "flags": ["Good"], "msg": "", "result": "maybe"}])",
                   1);
  EXPECT_NONFATAL_FAILURE(run_wycheproof(kFile, read_msg), "unknown result");
}

TEST_F(VectorFilesTest, FlagWithoutNoteFails) {
  write_wycheproof(
      R"([{"tcId": 1, "comment": "", "flags": ["Good", "Stray"], "msg": "", "result": "valid"}])",
      1);
  EXPECT_NONFATAL_FAILURE(run_wycheproof(kFile, read_msg), "has no entry in notes");
}

TEST_F(VectorFilesTest, NoteNoCaseUsesFails) {
  write_wycheproof(
      R"([{"tcId": 1, "comment": "", "flags": ["Good"], "msg": "", "result": "valid"}])", 1,
      R"({"Good": {}, "Unused": {}})");
  EXPECT_NONFATAL_FAILURE(run_wycheproof(kFile, read_msg), "\"Unused\" was never read");
}

TEST_F(VectorFilesTest, NistRecordWithUnreadFieldFails) {
  write("t.txt", "# comment\nkey = 00\nextra = 11\n");
  EXPECT_NONFATAL_FAILURE(run_nist("t.txt", [](Fields& r) { r.hex("key"); }),
                          "\"extra\" was never read");
}

TEST_F(VectorFilesTest, NistFileWithOnlyCommentsFails) {
  write("t.txt", "# comment\n\n# another\n");
  EXPECT_NONFATAL_FAILURE(run_nist("t.txt", [](Fields&) {}), "yields no record");
}

TEST_F(VectorFilesTest, NistRecordsAreSeparatedByBlankLines) {
  write("t.txt", "a = 01\nb = 02\n\na = 03\nb = 04\n");
  std::string seen;
  EXPECT_EQ(
      run_nist("t.txt", [&seen](Fields& r) { seen += to_hex(r.hex("a")) + to_hex(r.hex("b")); }),
      2u);
  EXPECT_EQ(seen, "01020304");
}

TEST(VectorDecodingTest, HexAndBase64RejectMalformedInput) {
  EXPECT_EQ(to_hex(from_hex("00fFa1")), "00ffa1");
  EXPECT_THROW(from_hex("abc"), FormatError);
  EXPECT_THROW(from_hex("zz"), FormatError);
  EXPECT_EQ(to_hex(from_base64("AAEC\n/w==")), "000102ff");
  EXPECT_THROW(from_base64("AAE"), FormatError);
  EXPECT_THROW(from_base64("A=EC"), FormatError);
  EXPECT_EQ(to_hex(from_base64url("_-8")), "ffef");
  EXPECT_THROW(from_base64url("A"), FormatError);
  EXPECT_THROW(from_base64url("AA=="), FormatError);
}

}  // namespace
}  // namespace cpddi::testing::vectors

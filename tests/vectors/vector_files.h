#pragma once

// The one loader for each kind of public vector file in tests/vectors/data/ (Wycheproof JSON and
// NIST `name = hex` text), with BoringSSL's FileTest discipline: the folder is the compile
// definition CPDDI_TEST_DATA_DIR, overridden by the environment variable of the same name; a
// missing or unreadable file fails the current test, and so does a file that yields no case; every
// field of every case must be read by the test (or deliberately ignored with a reason), otherwise
// the case fails; SCOPED_TRACE carries the tcId (or record number) into every failure; the number
// of cases run per file is printed and recorded as the test property `num_cases`.
// Test code only: failures are GoogleTest failures, never skips.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cpddi::testing::vectors {

using Bytes = std::vector<std::uint8_t>;

// `relative` under the test data folder: $CPDDI_TEST_DATA_DIR when set and non-empty, else the
// compile-time CPDDI_TEST_DATA_DIR.
std::string data_path(std::string_view relative);

// A vector file breaks its own format (missing field, wrong type, bad hex). The loaders catch it
// and turn it into a failure of the case (or group, or file) it occurred in.
class FormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The value `names` pairs with `name`, a file's spelling of one of a few choices (a result, a
// hash); FormatError "<unknown> \"<name>\"" when there is none.
template <class Value>
Value value_named(const std::string& name,
                  std::initializer_list<std::pair<std::string_view, Value>> names,
                  std::string_view unknown) {
  for (const auto& [spelling, value] : names) {
    if (spelling == name) {
      return value;
    }
  }
  throw FormatError(std::string(unknown) + " \"" + name + "\"");
}

// Strict hex ("" is the empty string; odd length or a non-hex digit throws FormatError).
Bytes from_hex(std::string_view hex);
std::string to_hex(std::span<const std::uint8_t> bytes);
// Standard base64 (RFC 4648 §4, with padding; whitespace is skipped) and base64url (§5, no
// padding), both strict; throw FormatError.
Bytes from_base64(std::string_view text);
Bytes from_base64url(std::string_view text);

// A JSON object whose every key must be read. Each accessor marks its key read and throws
// FormatError when the key is missing or has the wrong type. `what` names the object in messages.
class Fields {
 public:
  Fields(const nlohmann::json& object, std::string what);

  const std::string& what() const { return what_; }
  bool has(std::string_view key) const;

  std::string string(std::string_view key);
  Bytes hex(std::string_view key);
  std::int64_t integer(std::string_view key);
  std::vector<std::string> strings(std::string_view key);
  // A nested object; the caller checks it with expect_all_read() like any other.
  Fields object(std::string_view key);
  // The raw value, for fields the loader walks itself.
  const nlohmann::json& json(std::string_view key);
  // Marks `key` read without using its value. `why` must say why ignoring it is right; it is
  // required so that every ignored field is documented at the call site.
  void ignore(std::string_view key, std::string_view why);

  // The keys no accessor has touched, in the object's order.
  std::vector<std::string> unread() const;

 private:
  const nlohmann::json& at(std::string_view key, nlohmann::json::value_t type,
                           const char* type_name);

  const nlohmann::json* object_;
  std::string what_;
  std::set<std::string, std::less<>> read_;
};

// Adds one GoogleTest failure per unread key of `fields`. Returns true when all were read.
bool expect_all_read(const Fields& fields);

// ---- Wycheproof JSON (testvectors_v1 schemas) ----

enum class WycheproofResult { kValid, kInvalid, kAcceptable };

// How `acceptable` cases are decided: each of the case's flags must appear in exactly one list.
// The case must succeed when all its flags are in `succeed`, and fail when any is in `fail`. An
// acceptable case with no flag or with a flag in neither list fails as undecided, so a new upstream
// flag forces someone to decide.
struct AcceptablePolicy {
  std::span<const std::string_view> succeed;
  std::span<const std::string_view> fail;
};

// One test object. The loader has read tcId, comment, flags and result (comment and flags go into
// the SCOPED_TRACE, result and flags into expect_success); the runner reads the rest of `test`.
struct WycheproofCase {
  Fields& test;
  std::int64_t tc_id;
  WycheproofResult result;
  std::vector<std::string> flags;
  // valid → true, invalid → false, acceptable → by the file's AcceptablePolicy.
  bool expect_success;
};

struct WycheproofFile {
  std::string_view path;        // relative to the data folder, e.g. "wycheproof/aes_cmac_test.json"
  std::string_view algorithm;   // the top-level "algorithm" must equal this
  std::string_view schema;      // ... and "schema" this
  std::string_view group_type;  // every group's "type" must equal this
  AcceptablePolicy acceptable;
};

using CaseRunner = std::function<void(WycheproofCase&)>;
// Called once per test group with the group's fields other than type, source and tests (which the
// loader reads); reads what it needs and returns the runner for the group's tests.
using GroupReader = std::function<CaseRunner(Fields& group)>;

struct WycheproofSummary {
  std::size_t num_cases = 0;  // cases run, whatever their outcome
  std::size_t num_valid = 0;
  std::size_t num_invalid = 0;
  std::size_t num_acceptable = 0;
};

// Runs every test of `file`. Also checks the top level: algorithm and schema as given,
// numberOfTests equal to the cases found, every flag used by a case explained in `notes`, header
// present. Fails the current test if the file is missing, unreadable, not JSON or has no case.
WycheproofSummary run_wycheproof(const WycheproofFile& file, const GroupReader& read_group);

// ---- NIST text (`name = hex` lines) ----

// A record: consecutive `name = value` lines; records are separated by blank lines; lines starting
// with `#` are comments. Values are kept as JSON strings so a record is checked with Fields (read
// them with Fields::hex).
using NistRunner = std::function<void(Fields& record)>;

// Runs `run` for every record of `path` (relative to the data folder) under a SCOPED_TRACE naming
// the record and its first line, then fails the record for any unread field. Fails the current
// test if the file is missing, unreadable, malformed or has no record. Returns the record count.
std::size_t run_nist(std::string_view path, const NistRunner& run);

}  // namespace cpddi::testing::vectors

#include "vector_files.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <utility>

#include <gtest/gtest.h>

#ifndef CPDDI_TEST_DATA_DIR
#error "CPDDI_TEST_DATA_DIR must name tests/vectors/data (cpddi_test sets it)"
#endif

namespace cpddi::testing::vectors {
namespace {

using Json = nlohmann::json;

std::optional<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot open vector file " << path
                  << " (set CPDDI_TEST_DATA_DIR to the tests/vectors/data folder)";
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad() || text.fail()) {
    ADD_FAILURE() << "cannot read vector file " << path;
    return std::nullopt;
  }
  return text.str();
}

void report_count(std::string_view path, std::size_t num_cases, std::string_view detail) {
  std::cout << "[ vectors  ] " << path << ": " << num_cases << " cases run" << detail << "\n";
  ::testing::Test::RecordProperty("num_cases", static_cast<int>(num_cases));
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

Bytes decode_base64(std::string_view text, std::string_view alphabet, bool padded) {
  Bytes out;
  std::uint32_t bits = 0;
  int num_bits = 0;
  std::size_t num_chars = 0;
  std::size_t num_pad = 0;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      if (!padded) {
        throw FormatError("whitespace in base64url");
      }
      continue;
    }
    ++num_chars;
    if (c == '=' && padded) {
      ++num_pad;
      continue;
    }
    const std::size_t v = alphabet.find(c);
    if (v == std::string_view::npos || num_pad != 0) {
      throw FormatError(std::string("bad base64 character '") + c + "'");
    }
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    num_bits += 6;
    if (num_bits >= 8) {
      num_bits -= 8;
      out.push_back(static_cast<std::uint8_t>(bits >> num_bits));
      bits &= (1u << num_bits) - 1;
    }
  }
  const bool bad_length = padded ? (num_chars % 4 != 0 || num_pad > 2) : (num_chars % 4 == 1);
  if (bad_length || bits != 0) {
    throw FormatError("malformed base64 (length, padding or trailing bits)");
  }
  return out;
}

WycheproofResult parse_result(const std::string& result) {
  return value_named<WycheproofResult>(result,
                                       {{"valid", WycheproofResult::kValid},
                                        {"invalid", WycheproofResult::kInvalid},
                                        {"acceptable", WycheproofResult::kAcceptable}},
                                       "unknown result");
}

bool listed(std::span<const std::string_view> list, const std::string& flag) {
  for (std::string_view entry : list) {
    if (entry == flag) {
      return true;
    }
  }
  return false;
}

// The AcceptablePolicy rule; nullopt (after a failure) when the case is undecided.
std::optional<bool> decide(WycheproofResult result, const std::vector<std::string>& flags,
                           const AcceptablePolicy& policy) {
  switch (result) {
    case WycheproofResult::kValid:
      return true;
    case WycheproofResult::kInvalid:
      return false;
    case WycheproofResult::kAcceptable:
      break;
  }
  if (flags.empty()) {
    ADD_FAILURE() << "acceptable case without flags: no rule decides it";
    return std::nullopt;
  }
  bool succeed = true;
  for (const std::string& flag : flags) {
    const bool in_succeed = listed(policy.succeed, flag);
    const bool in_fail = listed(policy.fail, flag);
    if (in_succeed == in_fail) {
      ADD_FAILURE() << "acceptable case with flag " << flag
                    << ", which the test's AcceptablePolicy does not decide";
      return std::nullopt;
    }
    succeed = succeed && in_succeed;
  }
  return succeed;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    out += out.empty() ? "" : ",";
    out += item;
  }
  return out;
}

std::string trim(std::string_view s) {
  const std::size_t first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) {
    return {};
  }
  const std::size_t last = s.find_last_not_of(" \t\r");
  return std::string(s.substr(first, last - first + 1));
}

}  // namespace

std::string data_path(std::string_view relative) {
  const char* env = std::getenv("CPDDI_TEST_DATA_DIR");
  std::string root = (env != nullptr && *env != '\0') ? env : CPDDI_TEST_DATA_DIR;
  if (!root.empty() && root.back() != '/') {
    root += '/';
  }
  return root + std::string(relative);
}

Bytes from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    throw FormatError("odd-length hex string");
  }
  Bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_digit(hex[2 * i]);
    const int lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      throw FormatError("non-hex digit in hex string");
    }
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return out;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

Bytes from_base64(std::string_view text) {
  return decode_base64(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
                       true);
}

Bytes from_base64url(std::string_view text) {
  return decode_base64(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                       false);
}

// ---- Fields ----

Fields::Fields(const Json& object, std::string what) : object_(&object), what_(std::move(what)) {
  if (!object.is_object()) {
    throw FormatError(what_ + " is not a JSON object");
  }
}

bool Fields::has(std::string_view key) const { return object_->contains(key); }

const Json& Fields::at(std::string_view key, Json::value_t type, const char* type_name) {
  const auto it = object_->find(key);
  if (it == object_->end()) {
    throw FormatError(what_ + ": missing field \"" + std::string(key) + "\"");
  }
  read_.emplace(key);
  const bool integer_ok = type == Json::value_t::number_integer && it->is_number_integer();
  if (it->type() != type && !integer_ok) {
    throw FormatError(what_ + ": field \"" + std::string(key) + "\" is not " + type_name);
  }
  return *it;
}

std::string Fields::string(std::string_view key) {
  return at(key, Json::value_t::string, "a string").get<std::string>();
}

Bytes Fields::hex(std::string_view key) {
  const std::string text = string(key);
  try {
    return from_hex(text);
  } catch (const FormatError& e) {
    throw FormatError(what_ + ": field \"" + std::string(key) + "\": " + e.what());
  }
}

std::int64_t Fields::integer(std::string_view key) {
  return at(key, Json::value_t::number_integer, "an integer").get<std::int64_t>();
}

std::vector<std::string> Fields::strings(std::string_view key) {
  const Json& array = at(key, Json::value_t::array, "an array");
  std::vector<std::string> out;
  for (const Json& item : array) {
    if (!item.is_string()) {
      throw FormatError(what_ + ": field \"" + std::string(key) + "\" holds a non-string");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Fields Fields::object(std::string_view key) {
  return Fields(at(key, Json::value_t::object, "an object"), what_ + "." + std::string(key));
}

const Json& Fields::json(std::string_view key) {
  const auto it = object_->find(key);
  if (it == object_->end()) {
    throw FormatError(what_ + ": missing field \"" + std::string(key) + "\"");
  }
  read_.emplace(key);
  return *it;
}

void Fields::ignore(std::string_view key, std::string_view why) {
  if (why.empty()) {
    throw FormatError("Fields::ignore needs a reason");
  }
  json(key);
}

std::vector<std::string> Fields::unread() const {
  std::vector<std::string> out;
  for (const auto& [key, value] : object_->items()) {
    if (read_.find(key) == read_.end()) {
      out.push_back(key);
    }
  }
  return out;
}

bool expect_all_read(const Fields& fields) {
  const std::vector<std::string> unread = fields.unread();
  for (const std::string& key : unread) {
    ADD_FAILURE() << fields.what() << ": field \"" << key
                  << "\" was never read (every field of a vector must be consumed)";
  }
  return unread.empty();
}

// ---- Wycheproof ----

WycheproofSummary run_wycheproof(const WycheproofFile& file, const GroupReader& read_group) {
  WycheproofSummary summary;
  const std::string path = data_path(file.path);
  SCOPED_TRACE(path);
  const std::optional<std::string> text = read_whole_file(path);
  if (!text) {
    return summary;
  }
  const nlohmann::json root = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    ADD_FAILURE() << path << " is not valid JSON";
    return summary;
  }
  std::int64_t declared = -1;
  std::set<std::int64_t> tc_ids;
  try {
    Fields top(root, std::string(file.path));
    if (top.string("algorithm") != file.algorithm) {
      throw FormatError("algorithm is not " + std::string(file.algorithm));
    }
    if (top.string("schema") != file.schema) {
      throw FormatError("schema is not " + std::string(file.schema));
    }
    declared = top.integer("numberOfTests");
    if (top.strings("header").empty()) {
      throw FormatError("empty header");
    }
    // A note is read when a case's flag refers to it; a note no case uses fails at the end.
    Fields notes = top.object("notes");
    const nlohmann::json& groups = top.json("testGroups");
    if (!groups.is_array()) {
      throw FormatError("testGroups is not an array");
    }
    bool all_groups_ran = true;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      std::optional<Fields> group;
      CaseRunner runner;
      const nlohmann::json* tests = nullptr;
      std::string source;
      try {
        group.emplace(groups[g], "testGroups[" + std::to_string(g) + "]");
        if (group->string("type") != file.group_type) {
          throw FormatError("group type is not " + std::string(file.group_type));
        }
        Fields source_fields = group->object("source");
        source = source_fields.string("name") + " " + source_fields.string("version");
        expect_all_read(source_fields);
        tests = &group->json("tests");
        if (!tests->is_array()) {
          throw FormatError("tests is not an array");
        }
        runner = read_group(*group);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "group " << g << " cannot be run: " << e.what();
        all_groups_ran = false;
        continue;
      }
      SCOPED_TRACE(group->what() + " from " + source);
      for (std::size_t t = 0; t < tests->size(); ++t) {
        try {
          Fields test((*tests)[t], group->what() + ".tests[" + std::to_string(t) + "]");
          const std::int64_t tc_id = test.integer("tcId");
          const std::string comment = test.string("comment");
          std::vector<std::string> flags = test.strings("flags");
          const WycheproofResult result = parse_result(test.string("result"));
          SCOPED_TRACE(::testing::Message() << "tcId " << tc_id << " \"" << comment << "\" flags ["
                                            << join(flags) << "]");
          EXPECT_TRUE(tc_ids.insert(tc_id).second) << "duplicate tcId";
          for (const std::string& flag : flags) {
            if (notes.has(flag)) {
              notes.json(flag);
            } else {
              ADD_FAILURE() << "flag " << flag << " has no entry in notes";
            }
          }
          ++summary.num_cases;
          ++(result == WycheproofResult::kValid     ? summary.num_valid
             : result == WycheproofResult::kInvalid ? summary.num_invalid
                                                    : summary.num_acceptable);
          const std::optional<bool> expect_success = decide(result, flags, file.acceptable);
          if (!expect_success) {
            continue;
          }
          WycheproofCase c{test, tc_id, result, std::move(flags), *expect_success};
          try {
            runner(c);
          } catch (const std::exception& e) {
            ADD_FAILURE() << "malformed case: " << e.what();
          }
          expect_all_read(test);
        } catch (const std::exception& e) {
          ADD_FAILURE() << "malformed test object " << t << ": " << e.what();
        }
      }
      expect_all_read(*group);
    }
    if (all_groups_ran) {  // otherwise the skipped group's flags would be reported as unused
      expect_all_read(notes);
    }
    expect_all_read(top);
  } catch (const std::exception& e) {
    ADD_FAILURE() << path << ": " << e.what();
  }
  EXPECT_GT(summary.num_cases, 0u) << path << " yields no test case";
  EXPECT_EQ(declared, static_cast<std::int64_t>(summary.num_cases))
      << "numberOfTests disagrees with the cases found";
  report_count(file.path, summary.num_cases,
               " (" + std::to_string(summary.num_valid) + " valid, " +
                   std::to_string(summary.num_invalid) + " invalid, " +
                   std::to_string(summary.num_acceptable) + " acceptable)");
  return summary;
}

// ---- NIST text ----

std::size_t run_nist(std::string_view path_in_data, const NistRunner& run) {
  const std::string path = data_path(path_in_data);
  SCOPED_TRACE(path);
  const std::optional<std::string> text = read_whole_file(path);
  if (!text) {
    return 0;
  }
  // Each record: the line it starts on, and its fields as a JSON object of strings.
  std::vector<std::pair<int, nlohmann::json>> records;
  bool open = false;
  std::istringstream lines(*text);
  std::string raw;
  for (int number = 1; std::getline(lines, raw); ++number) {
    const std::string line = trim(raw);
    if (line.empty()) {
      open = false;
      continue;
    }
    if (line.front() == '#') {
      continue;
    }
    const std::size_t eq = line.find('=');
    const std::string name = eq == std::string::npos ? std::string() : trim(line.substr(0, eq));
    if (name.empty()) {
      ADD_FAILURE() << path << " line " << number << " is not `name = value`: " << line;
      return 0;
    }
    if (!open) {
      records.emplace_back(number, nlohmann::json::object());
      open = true;
    }
    nlohmann::json& record = records.back().second;
    if (record.contains(name)) {
      ADD_FAILURE() << path << " line " << number << " repeats " << name << " in one record";
      return 0;
    }
    record[name] = trim(line.substr(eq + 1));
  }
  std::size_t num_records = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    Fields record(records[i].second, "record " + std::to_string(i) + " (line " +
                                         std::to_string(records[i].first) + ")");
    SCOPED_TRACE(record.what());
    try {
      run(record);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "malformed record: " << e.what();
    }
    expect_all_read(record);
    ++num_records;
  }
  EXPECT_GT(num_records, 0u) << path << " yields no record";
  report_count(path_in_data, num_records, "");
  return num_records;
}

}  // namespace cpddi::testing::vectors

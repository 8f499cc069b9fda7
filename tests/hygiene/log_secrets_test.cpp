// No secret in a verbose log. With CPDDI_LOG_LEVEL=trace (set before the first log call, as a
// host would), a workload through key exchange, blts, read-back, refresh and failing calls runs
// twice: once with a log callback capturing every line, once with the default stderr sink
// captured through a temporary file. No line may contain a session key (initial, refreshed or
// re-exchanged), a refresh number, a read-back key, a content key or a channel key — as raw
// bytes, or as hex (lower or upper case, bare or byte-separated), whole or any 8-byte window of
// it.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "hygiene/keyed_channel.h"
#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

// The level is read once, at the first log call: set it before anything in this binary logs.
__attribute__((constructor)) void trace_level_from_environment() {
  setenv("CPDDI_LOG_LEVEL", "trace", 1);
}

struct Capture {
  std::mutex mutex;
  std::vector<std::string> lines;
};

void capture_line(CPDDI_LOG_LEVEL, const char* line, void* user) {
  auto* capture = static_cast<Capture*>(user);
  std::lock_guard lock(capture->mutex);
  capture->lines.emplace_back(line);
}

std::string hex(std::span<const std::uint8_t> bytes, bool upper, const char* separator) {
  std::string out;
  char digits[3];
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::snprintf(digits, sizeof digits, upper ? "%02X" : "%02x", bytes[i]);
    if (i != 0) {
      out += separator;
    }
    out += digits;
  }
  return out;
}

struct Secret {
  std::string name;
  Key bytes;
};

// Every encoding of every 8-byte window of every secret.
std::vector<std::pair<std::string, std::string>> needles(const std::vector<Secret>& secrets) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Secret& s : secrets) {
    for (std::size_t offset = 0; offset + 8 <= s.bytes.size(); ++offset) {
      const auto window = std::span<const std::uint8_t>(s.bytes).subspan(offset, 8);
      out.emplace_back(s.name + " (raw)", std::string(window.begin(), window.end()));
      for (bool upper : {false, true}) {
        for (const char* separator : {"", " ", ":", ", 0x"}) {
          out.emplace_back(s.name + " (hex)", hex(window, upper, separator));
        }
      }
    }
  }
  return out;
}

// The workload. Returns the secrets it used; `calls` counts the entry points it made.
std::vector<Secret> run_workload() {
  std::vector<Secret> secrets;
  OpenedDevice device;
  EXPECT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession session(device, kTestKey);
  secrets.push_back({"session key", kTestKey});

  Key wrapped{};
  EXPECT_EQ(session.get_encryption_blt_key(&wrapped), S_OK);
  const Key readback = ecb_unwrap(kTestKey, wrapped);
  session.set_readback_key(readback);
  secrets.push_back({"read-back key", readback});
  EXPECT_TRUE(session.decrypts_under(*surface, session.app_key(), 1));

  Key number{};
  EXPECT_EQ(session.start_refresh_raw(number.data(), 16), S_OK);
  secrets.push_back({"refresh number", number});
  EXPECT_EQ(session.finish_refresh(), S_OK);
  session.app_apply(number);
  secrets.push_back({"refreshed session key", session.app_key()});
  EXPECT_TRUE(session.decrypts_under(*surface, session.app_key(), 2));

  // A content key wrapped under the current key.
  const Key content_wrapped = ecb_wrap(session.app_key(), kOtherKey);
  secrets.push_back({"content key", kOtherKey});
  const std::size_t len = session.surface_bytes(*surface);
  const Bytes frame = pattern_bytes(len, 3);
  const Iv iv = make_iv(50);
  EXPECT_EQ(session.decryption_blt(surface->handle(), ctr(kOtherKey, iv, frame), iv, nullptr,
                                   content_wrapped.data()),
            S_OK);
  EXPECT_EQ(session.download(*surface), frame);

  // Failing calls, whose debug lines carry reasons.
  EXPECT_EQ(session.decryption_blt(surface->handle(), ctr(kOtherKey, iv, frame), iv, nullptr,
                                   content_wrapped.data()),
            E_INVALIDARG);  // replayed IV
  EXPECT_EQ(session.finish_refresh(), D3DDDIERR_INVALIDCALL);
  Key wrong_size{};
  EXPECT_EQ(session.start_refresh_raw(wrong_size.data(), 15), E_INVALIDARG);
  Bytes garbage(256, 0x42);
  EXPECT_EQ(session.exchange_blob(garbage), E_INVALIDARG);
  Bytes other_key_blob = device.wrap_session_key(kOtherKey);
  other_key_blob[17] ^= 1;
  EXPECT_EQ(session.exchange_blob(other_key_blob), E_INVALIDARG);
  // A pending number left behind, and a re-exchange that drops it.
  Key pending{};
  EXPECT_EQ(session.start_refresh_raw(pending.data(), 16), S_OK);
  secrets.push_back({"pending refresh number", pending});
  const Key third = {0x5a, 0xa5, 0x3c, 0xc3, 0x96, 0x69, 0x0f, 0xf0,
                     0x12, 0x21, 0x34, 0x43, 0x56, 0x65, 0x78, 0x87};
  EXPECT_EQ(session.rekey(third), S_OK);
  secrets.push_back({"re-exchanged session key", third});
  EXPECT_EQ(session.finish_refresh(), D3DDDIERR_INVALIDCALL);
  session.fetch_readback_key();
  secrets.push_back({"second read-back key", *session.readback_key()});
  EXPECT_TRUE(session.decrypts_under(*surface, third, 4));

  // An authenticated channel: a key replaced before INITIALIZE, then signed traffic and a
  // configure whose MAC fails.
  const Key replaced_channel_key = {0xc4, 0xa7, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
                                    0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e};
  const Key channel_key = {0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
                           0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a};
  hygiene::KeyedChannel channel(device, replaced_channel_key);
  secrets.push_back({"replaced channel key", replaced_channel_key});
  channel.exchange(channel_key);
  secrets.push_back({"channel key", channel_key});
  channel.initialize_and_use();
  EXPECT_EQ(channel.destroy(), S_OK);
  return secrets;
}

void expect_clean(const std::vector<std::string>& lines, const std::vector<Secret>& secrets) {
  const auto all = needles(secrets);
  for (const std::string& line : lines) {
    for (const auto& [name, needle] : all) {
      EXPECT_EQ(line.find(needle), std::string::npos)
          << name << " appears in the log line: " << line;
    }
  }
}

std::size_t lines_naming(const std::vector<std::string>& lines, const std::string& entry) {
  std::size_t n = 0;
  for (const std::string& line : lines) {
    n += line.find(entry) != std::string::npos ? 1 : 0;
  }
  return n;
}

TEST(LogSecretsTest, TraceLinesThroughTheCallbackCarryNoSecret) {
  Capture capture;
  cpddi_set_log_callback(&capture_line, &capture);
  const std::vector<Secret> secrets = run_workload();
  cpddi_set_log_callback(nullptr, nullptr);
  // The run was verbose: every entry point the workload used left trace lines.
  for (const char* entry : {"CryptoSessionKeyExchange", "DecryptionBlt", "EncryptionBlt",
                            "GetEncryptionBltKey", "StartSessionKeyRefresh",
                            "FinishSessionKeyRefresh"}) {
    EXPECT_GE(lines_naming(capture.lines, entry), 2u) << entry << " was not traced";
  }
  ASSERT_GE(capture.lines.size(), 30u);
  expect_clean(capture.lines, secrets);
}

TEST(LogSecretsTest, TraceLinesOnStderrCarryNoSecret) {
  std::string path = ::testing::TempDir() + "cpddi_log_secrets_XXXXXX";
  const int file = mkstemp(path.data());
  ASSERT_GE(file, 0);
  // Removed however the test ends: tests leave nothing behind in the temp directory.
  struct RemoveOnExit {
    const std::string& path;
    ~RemoveOnExit() { std::remove(path.c_str()); }
  } remove_on_exit{path};
  std::fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  ASSERT_GE(saved, 0);
  ASSERT_GE(dup2(file, STDERR_FILENO), 0);
  const std::vector<Secret> secrets = run_workload();
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  close(file);

  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  EXPECT_GE(lines_naming(lines, "cpddi trace: DecryptionBlt"), 2u) << "stderr got no trace lines";
  ASSERT_GE(lines.size(), 30u);
  expect_clean(lines, secrets);
}

// The checker can fail: a line carrying a key in any of the encodings is caught.
TEST(LogSecretsTest, CheckerCatchesAKeyInALine) {
  const std::vector<Secret> secrets = {{"test key", kTestKey}};
  for (const std::string& line :
       {std::string("key=") + hex(kTestKey, false, ""),
        std::string("KEY ") + hex(kTestKey, true, " "),
        std::string("k: ") + hex(std::span(kTestKey).subspan(4, 8), false, ":"),
        std::string("raw ") + std::string(kTestKey.begin(), kTestKey.end())}) {
    ::testing::TestPartResultArray failures;
    {
      ::testing::ScopedFakeTestPartResultReporter reporter(
          ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
      expect_clean({line}, secrets);
    }
    EXPECT_GT(failures.size(), 0) << "not caught: " << line;
  }
}

}  // namespace
}  // namespace cpddi::testing

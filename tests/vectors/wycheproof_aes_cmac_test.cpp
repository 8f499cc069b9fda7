// Wycheproof AES-CMAC vectors through cpddi::crypto::aes_cmac / aes_cmac_verify — the OMAC of
// authenticated channels (spec §7.6, 128-bit keys). The functions also take 192- and 256-bit keys,
// so those groups run too; the file's other key sizes must be refused with an error.

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "crypto/cmac.h"
#include "vector_files.h"

namespace cpddi::testing::vectors {
namespace {

// The flags that occur in the file at dac1dd4729fd: Pseudorandom on valid cases, ModifiedTag and
// InvalidKeySize on invalid ones; there is no acceptable case. Should one appear, it is decided by
// these lists: a pseudorandom input must MAC correctly, a modified tag or an unsupported key size
// must be rejected. Any other flag on an acceptable case fails as undecided.
constexpr std::string_view kSucceedFlags[] = {"Pseudorandom"};
constexpr std::string_view kFailFlags[] = {"ModifiedTag", "InvalidKeySize"};

bool supported_key_bits(std::int64_t bits) { return bits == 128 || bits == 192 || bits == 256; }

struct CmacCounts {
  std::map<std::int64_t, std::size_t> by_key_bits;  // cases run, per group keySize
  std::size_t num_tags_matched = 0;
  std::size_t num_modified_rejected = 0;
  std::size_t num_bad_keys_refused = 0;
};

void run_case(WycheproofCase& c, std::int64_t key_bits, std::int64_t tag_bits, CmacCounts& counts) {
  const Bytes key = c.test.hex("key");
  const Bytes msg = c.test.hex("msg");
  const Bytes tag = c.test.hex("tag");
  ++counts.by_key_bits[key_bits];
  EXPECT_EQ(static_cast<std::int64_t>(key.size()) * 8, key_bits) << "key length ≠ keySize";

  if (!supported_key_bits(key_bits)) {
    // Only 16-, 24- and 32-byte keys exist for AES; anything else is refused, never MACed.
    EXPECT_FALSE(c.expect_success) << "a valid case with an unsupported key size";
    const Result<crypto::CmacTag> mac = crypto::aes_cmac(key, msg);
    ASSERT_FALSE(mac.has_value()) << "a " << key.size() << "-byte key was accepted";
    EXPECT_EQ(mac.error().code, Errc::kInvalidArgument);
    // A well-formed tag of tagSize bits, so that the key is what verify refuses.
    const Bytes some_tag(static_cast<std::size_t>(tag_bits / 8), 0);
    const Result<bool> verified = crypto::aes_cmac_verify(key, msg, some_tag);
    ASSERT_FALSE(verified.has_value()) << "verify accepted a " << key.size() << "-byte key";
    EXPECT_EQ(verified.error().code, Errc::kInvalidArgument);
    const Result<bool> with_file_tag = crypto::aes_cmac_verify(key, msg, tag);
    EXPECT_FALSE(with_file_tag.has_value() && *with_file_tag);
    ++counts.num_bad_keys_refused;
    return;
  }

  const Result<crypto::CmacTag> mac = crypto::aes_cmac(key, msg);
  ASSERT_TRUE(mac.has_value()) << mac.error().reason;
  const Result<bool> verified = crypto::aes_cmac_verify(key, msg, tag);
  if (c.expect_success) {
    // A truncated tag is the first tagSize bits of the full one.
    ASSERT_EQ(static_cast<std::int64_t>(tag.size()) * 8, tag_bits) << "tag length ≠ tagSize";
    EXPECT_EQ(to_hex(std::span(mac->data(), tag.size())), to_hex(tag));
    ASSERT_TRUE(verified.has_value()) << verified.error().reason;
    EXPECT_TRUE(*verified) << "verify rejected the correct tag";
    ++counts.num_tags_matched;
    return;
  }
  if (!tag.empty() && tag.size() <= mac->size()) {
    ASSERT_TRUE(verified.has_value())
        << "a well-formed tag gave an error: " << verified.error().reason;
    EXPECT_FALSE(*verified) << "a modified tag verified";
    EXPECT_NE(to_hex(std::span(mac->data(), tag.size())), to_hex(tag));
  } else {
    EXPECT_FALSE(verified.has_value()) << "a tag of " << tag.size() << " bytes was not refused";
  }
  ++counts.num_modified_rejected;
}

TEST(WycheproofAesCmacTest, TagsMatchModifiedTagsFailAndBadKeySizesAreRefused) {
  CmacCounts counts;
  const WycheproofFile file{"wycheproof/aes_cmac_test.json",
                            "AES-CMAC",
                            "mac_test_schema_v1.json",
                            "MacTest",
                            {kSucceedFlags, kFailFlags}};
  const WycheproofSummary summary = run_wycheproof(file, [&counts](Fields& group) -> CaseRunner {
    const std::int64_t key_bits = group.integer("keySize");
    const std::int64_t tag_bits = group.integer("tagSize");
    if (tag_bits <= 0 || tag_bits > 128 || tag_bits % 8 != 0) {
      throw FormatError("tagSize must be a whole number of bytes, 1 to 16");
    }
    return [&counts, key_bits, tag_bits](WycheproofCase& c) {
      run_case(c, key_bits, tag_bits, counts);
    };
  });

  for (const auto& [bits, n] : counts.by_key_bits) {
    std::cout << "[ vectors  ]   keySize " << bits << ": " << n << " cases\n";
  }
  EXPECT_GT(counts.by_key_bits[128], 0u) << "no 128-bit case: the channel's key size is untested";
  EXPECT_GT(counts.num_tags_matched, 0u);
  EXPECT_GT(counts.num_modified_rejected, 0u);
  EXPECT_GT(counts.num_bad_keys_refused, 0u);
  EXPECT_EQ(counts.num_tags_matched + counts.num_modified_rejected + counts.num_bad_keys_refused,
            summary.num_cases)
      << "some case did not reach its end";
}

}  // namespace
}  // namespace cpddi::testing::vectors

// `cpddi caps`: what the driver announces — content-protection caps and the certificates (crypto
// session and, when the caps name a channel type, authenticated channel).
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cpddi/cpddi.hpp"
#include "subcommands.h"

namespace cpddi::tool {
namespace {

// Every D3DCPCAPS_ bit with its name, spelled once so that a bit and its label cannot drift apart.
#define CPDDI_CAP(name) {D3DCPCAPS_##name, #name}
constexpr std::pair<DWORD, const char*> kCapNames[] = {
    CPDDI_CAP(SOFTWARE),           CPDDI_CAP(HARDWARE),
    CPDDI_CAP(PROTECTIONALWAYSON), CPDDI_CAP(PARTIALDECRYPTION),
    CPDDI_CAP(CONTENTKEY),         CPDDI_CAP(FRESHENSESSIONKEY),
    CPDDI_CAP(ENCRYPTEDREADBACK),  CPDDI_CAP(ENCRYPTEDREADBACKKEY),
    CPDDI_CAP(SEQUENTIAL_CTR_IV),  CPDDI_CAP(ENCRYPTSLICEDATAONLY)};
#undef CPDDI_CAP

int run_caps(bool json) {
  app::Result<app::Adapter> adapter = app::Adapter::open();
  if (!adapter) {
    std::cerr << "cpddi caps: " << adapter.error().message << "\n";
    return kExitCheckFailed;
  }
  app::Result<D3DCONTENTPROTECTIONCAPS> caps = adapter->content_protection_caps();
  app::Result<std::vector<std::uint8_t>> certificate = adapter->certificate();
  if (!caps || !certificate) {
    std::cerr << "cpddi caps: " << (!caps ? caps.error() : certificate.error()).message << "\n";
    return kExitCheckFailed;
  }
  // The channel type the caps announce (software preferred, spec §5.1); none: no channel.
  std::optional<UINT> channel_type;
  if ((caps->Caps & D3DCPCAPS_SOFTWARE) != 0) {
    channel_type = DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE;
  } else if ((caps->Caps & D3DCPCAPS_HARDWARE) != 0) {
    channel_type = DDIAUTHENTICATEDCHANNEL_DRIVER_HARDWARE;
  }
  std::optional<std::size_t> channel_certificate_bytes;
  if (channel_type) {
    app::Result<std::vector<std::uint8_t>> channel_certificate =
        adapter->channel_certificate(*channel_type);
    if (!channel_certificate) {
      std::cerr << "cpddi caps: " << channel_certificate.error().message << "\n";
      return kExitCheckFailed;
    }
    channel_certificate_bytes = channel_certificate->size();
  }
  std::vector<std::string> names;
  for (const auto& [bit, name] : kCapNames) {
    if ((caps->Caps & bit) != 0) {
      names.emplace_back(name);
    }
  }
  const bool oaep = std::memcmp(&caps->KeyExchangeType, &D3DKEYEXCHANGE_RSAES_OAEP, 16) == 0;
  if (json) {
    std::cout << nlohmann::json{{"caps", caps->Caps},
                                {"caps_names", names},
                                {"key_exchange", oaep ? "RSAES_OAEP" : "other"},
                                {"buffer_alignment_start", caps->BufferAlignmentStart},
                                {"block_alignment_size", caps->BlockAlignmentSize},
                                {"protected_memory_size", caps->ProtectedMemorySize},
                                {"certificate_bytes", certificate->size()},
                                {"channel_certificate_bytes",
                                 channel_certificate_bytes
                                     ? nlohmann::json(*channel_certificate_bytes)
                                     : nlohmann::json(nullptr)}}
                     .dump(2)
              << "\n";
    return kExitOk;
  }
  std::printf("Caps                  0x%08x", caps->Caps);
  for (const std::string& name : names) {
    std::printf(" %s", name.c_str());
  }
  std::printf("\nKeyExchangeType       %s\n", oaep ? "D3DKEYEXCHANGE_RSAES_OAEP" : "other");
  std::printf("BufferAlignmentStart  %u\nBlockAlignmentSize    %u\n", caps->BufferAlignmentStart,
              caps->BlockAlignmentSize);
  std::printf("ProtectedMemorySize   %llu\n",
              static_cast<unsigned long long>(caps->ProtectedMemorySize));
  std::printf("Certificate           %zu bytes\n", certificate->size());
  if (channel_certificate_bytes) {
    std::printf("Channel certificate   %zu bytes (%s channel)\n", *channel_certificate_bytes,
                *channel_type == DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE ? "software" : "hardware");
  } else {
    std::printf("Channel certificate   none (caps name no channel type)\n");
  }
  return kExitOk;
}

}  // namespace

Run add_caps(CLI::App& app) {
  auto json = std::make_shared<bool>(false);
  CLI::App* caps = app.add_subcommand(
      "caps", "Print the driver's content-protection caps (AES-128-CTR, no decode profile) and "
              "the sizes of its crypto-session and authenticated-channel certificates.");
  caps->add_flag("--json", *json, "print only JSON on stdout");
  return [json] { return run_caps(*json); };
}

}  // namespace cpddi::tool

// `cpddi demo`: simulated protected playback — the README's main job. N synthetic NV12 frames are
// encrypted by the application, DecryptionBlt'd into a protected surface, read back through
// EncryptionBlt, decrypted by the application and compared with the original; the session key is
// refreshed every K frames. An authenticated channel (software) binds the crypto session and
// enables protection before the first frame; every M frames, at every refresh and after the last
// frame the demo queries protection and the binding back through it, each output verified.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cpddi/cpddi.hpp"
#include "subcommands.h"
#include "synthetic_frames.h"

namespace cpddi::tool {
namespace {

struct DemoOptions {
  std::uint32_t frames = 120;
  std::uint32_t refresh_every = 24;
  std::uint32_t channel_every = 8;
  std::uint32_t width = 1920;
  std::uint32_t height = 1080;
  bool content_key = false;
  bool json = false;
};

// What the authenticated channel read back (every answer verified by app::AuthenticatedChannel).
struct ChannelSummary {
  bool opened = false;
  UINT type = 0;
  std::uint32_t protection_set = 0;
  std::uint32_t protection_read = 0;
  bool binding_verified = false;  // the binding read back named this session and device
  std::uint32_t checks = 0;       // protection + binding read-backs during playback
  std::uint64_t verified_queries = 0;
  std::uint64_t verified_outputs = 0;  // configures and INITIALIZE too
};

struct DemoSummary {
  std::uint32_t frames = 0;
  std::uint64_t bytes = 0;  // protected bytes written by DecryptionBlt and read by EncryptionBlt
  std::uint64_t refreshes = 0;
  std::uint32_t mismatches = 0;
  double seconds = 0;
  ChannelSummary channel;
  std::string error;  // a driver or application failure that stopped the run
};

// One read-back during playback: protection must be what the demo configured, the binding must
// name the session and the device. A mismatch (or an output that does not verify) is an Error.
app::Result<void> check_channel(app::AuthenticatedChannel& channel,
                                const app::ProtectedSession& session, const app::Device& device,
                                ChannelSummary& c) {
  app::Result<std::uint32_t> protection = channel.query_protection();
  if (!protection) {
    return protection.error();
  }
  c.protection_read = *protection;
  if (*protection != c.protection_set) {
    return app::Error{E_FAIL, "channel: PROTECTION reads back " + std::to_string(*protection) +
                                  ", configured " + std::to_string(c.protection_set)};
  }
  app::Result<app::SessionBinding> binding = channel.query_crypto_session();
  if (!binding) {
    return binding.error();
  }
  c.binding_verified =
      binding->crypto_session == session.handle() && binding->device == device.handle();
  if (!c.binding_verified) {
    return app::Error{E_FAIL, "channel: CRYPTOSESSION does not name the demo's session and device"};
  }
  c.verified_queries += 2;
  ++c.checks;
  c.verified_outputs = channel.verified_outputs();
  return {};
}

void progress(const DemoOptions& o, const DemoSummary& s, bool final_line) {
  std::fprintf(stderr, "\rframe %u/%u  refreshes %llu  mismatches %u%s", s.frames, o.frames,
               static_cast<unsigned long long>(s.refreshes), s.mismatches, final_line ? "\n" : "");
  std::fflush(stderr);
}

DemoSummary run_demo(const DemoOptions& o) {
  DemoSummary s;
  auto fail = [&s](const app::Error& e) {
    s.error = e.message;
    return s;
  };
  app::Result<app::Adapter> adapter = app::Adapter::open();
  if (!adapter) {
    return fail(adapter.error());
  }
  app::Result<app::Device> device = adapter->create_device();
  if (!device) {
    return fail(device.error());
  }
  app::Result<app::ProtectedSession> session = app::ProtectedSession::open(*device, *adapter);
  if (!session) {
    return fail(session.error());
  }
  app::Result<app::AuthenticatedChannel> channel =
      app::AuthenticatedChannel::open(*device, *adapter);
  if (!channel) {
    return fail(channel.error());
  }
  s.channel.opened = true;
  app::Result<UINT> type = channel->query_channel_type();
  if (!type) {
    return fail(type.error());
  }
  s.channel.type = *type;
  s.channel.verified_queries = 1;
  if (app::Result<void> r = channel->configure_crypto_session(*session); !r) {
    return fail(r.error());
  }
  D3DAUTHENTICATEDCHANNEL_PROTECTION_FLAGS protection{};
  protection.ProtectionEnabled = 1;
  s.channel.protection_set = protection.Value;
  if (app::Result<void> r = channel->configure_protection(protection.Value); !r) {
    return fail(r.error());
  }
  app::Result<app::ProtectedSurface> surface =
      device->create_protected_surface({D3DDDIFMT_NV12, o.width, o.height});
  if (!surface) {
    return fail(surface.error());
  }
  app::Result<std::size_t> frame_bytes = session->surface_bytes(*surface);
  if (!frame_bytes) {
    return fail(frame_bytes.error());
  }
  const std::size_t pitch = *frame_bytes / (o.height + o.height / 2);
  const bool show_progress = !o.json && isatty(STDERR_FILENO) != 0;

  std::vector<std::uint8_t> frame;
  const auto start = std::chrono::steady_clock::now();
  for (std::uint32_t i = 0; i < o.frames; ++i) {
    synthesize_nv12(frame, o.width, o.height, pitch, i);
    app::Result<app::EncryptedBuffer> sealed = session->encrypt(frame, o.content_key);
    if (!sealed) {
      return fail(sealed.error());
    }
    if (app::Result<void> r = session->decryption_blt(*sealed, *surface); !r) {
      return fail(r.error());
    }
    app::Result<std::vector<std::uint8_t>> shown = session->read_back(*surface);
    if (!shown) {
      return fail(shown.error());
    }
    if (*shown != frame) {
      ++s.mismatches;
    }
    s.frames = i + 1;
    s.bytes += 2 * frame.size();
    const bool refresh_due = o.refresh_every != 0 && (i + 1) % o.refresh_every == 0 &&
                             i + 1 < o.frames;
    if (refresh_due) {
      if (app::Result<void> r = session->refresh_key(); !r) {
        return fail(r.error());
      }
      s.refreshes = session->refreshes();
    }
    const bool channel_due = refresh_due || i + 1 == o.frames ||
                             (o.channel_every != 0 && (i + 1) % o.channel_every == 0);
    if (channel_due) {
      if (app::Result<void> r = check_channel(*channel, *session, *device, s.channel); !r) {
        return fail(r.error());
      }
    }
    if (show_progress) {
      progress(o, s, false);
    }
  }
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (show_progress) {
    progress(o, s, true);
  }
  return s;
}

int report(const DemoOptions& o, const DemoSummary& s) {
  const double mb_per_s = s.seconds > 0 ? static_cast<double>(s.bytes) / 1e6 / s.seconds : 0.0;
  const bool ok = s.error.empty() && s.mismatches == 0 && s.frames == o.frames &&
                  s.channel.binding_verified;
  const ChannelSummary& c = s.channel;
  const char* type_name = c.type == D3DAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE   ? "software"
                          : c.type == D3DAUTHENTICATEDCHANNEL_DRIVER_HARDWARE ? "hardware"
                                                                              : "unknown";
  D3DAUTHENTICATEDCHANNEL_PROTECTION_FLAGS read{};
  read.Value = c.protection_read;
  if (o.json) {
    nlohmann::json j = {{"frames", s.frames},
                        {"width", o.width},
                        {"height", o.height},
                        {"format", "NV12"},
                        {"content_key", o.content_key},
                        {"bytes", s.bytes},
                        {"refreshes", s.refreshes},
                        {"mismatches", s.mismatches},
                        {"seconds", s.seconds},
                        {"mb_per_s", mb_per_s},
                        {"channel",
                         {{"opened", c.opened},
                          {"type", type_name},
                          {"protection_flags", c.protection_read},
                          {"protection_enabled", read.ProtectionEnabled == 1},
                          {"binding_verified", c.binding_verified},
                          {"checks", c.checks},
                          {"verified_queries", c.verified_queries},
                          {"verified_outputs", c.verified_outputs}}},
                        {"ok", ok}};
    if (!s.error.empty()) {
      j["error"] = s.error;
    }
    std::cout << j.dump(2) << "\n";
  } else {
    if (!s.error.empty()) {
      std::cout << "error: " << s.error << "\n";
    }
    if (c.opened) {
      std::printf("channel %s  protection 0x%08x (%s)  binding verified %s  checks %u  "
                  "verified queries %llu  verified outputs %llu\n",
                  type_name, c.protection_read,
                  read.ProtectionEnabled == 1 ? "enabled" : "not enabled",
                  c.binding_verified ? "yes" : "no", c.checks,
                  static_cast<unsigned long long>(c.verified_queries),
                  static_cast<unsigned long long>(c.verified_outputs));
    }
    std::printf("frames %u  bytes %llu  refreshes %llu  mismatches %u  %.1f MB/s  (%ux%u NV12, %s)\n",
                s.frames, static_cast<unsigned long long>(s.bytes),
                static_cast<unsigned long long>(s.refreshes), s.mismatches, mb_per_s, o.width,
                o.height, o.content_key ? "content keys" : "session key");
    std::printf("%s\n", ok ? "OK: every frame read back equal to what was written; protection "
                             "and the binding read back through the verified channel"
                           : "FAILED: see the counts above");
  }
  return ok ? kExitOk : kExitCheckFailed;
}

}  // namespace

Run add_demo(CLI::App& app) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* demo = app.add_subcommand(
      "demo",
      "Simulated protected playback: N synthetic NV12 frames encrypted by the application, "
      "DecryptionBlt into a protected surface, read back with EncryptionBlt and compared, with a "
      "session-key refresh every K frames; an authenticated channel binds the session, enables "
      "protection and reads both back during playback. Exit 1 on any mismatch.");
  demo->add_option("--frames", options->frames, "frames to play")
      ->check(CLI::Range(1u, 1000000u))->capture_default_str();
  demo->add_option("--refresh-every", options->refresh_every,
                   "refresh the session key after every K frames (0 = never)")
      ->capture_default_str();
  demo->add_option("--channel-every", options->channel_every,
                   "read protection and the binding back through the channel every M frames "
                   "(0 = only at refreshes and after the last frame)")
      ->capture_default_str();
  demo->add_option("--width", options->width, "frame width (even, 2..16384)")
      ->check(CLI::Range(2u, 16384u))->capture_default_str();
  demo->add_option("--height", options->height, "frame height (even, 2..16384)")
      ->check(CLI::Range(2u, 16384u))->capture_default_str();
  demo->add_flag("--content-key", options->content_key,
                 "encrypt each frame under a fresh content key sent wrapped by the session key");
  demo->add_flag("--json", options->json, "print only a JSON summary on stdout");
  return [options] {
    if (options->width % 2 != 0 || options->height % 2 != 0) {
      std::cerr << "cpddi demo: NV12 needs an even --width and --height\n";
      return static_cast<int>(kExitUsage);
    }
    return report(*options, run_demo(*options));
  };
}

}  // namespace cpddi::tool

// `cpddi demo`: simulated protected playback — the README's main job. N synthetic NV12 frames are
// encrypted by the application, DecryptionBlt'd into a protected surface, read back through
// EncryptionBlt, decrypted by the application and compared with the original; the session key is
// refreshed every K frames.
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
  std::uint32_t width = 1920;
  std::uint32_t height = 1080;
  bool content_key = false;
  bool json = false;
};

struct DemoSummary {
  std::uint32_t frames = 0;
  std::uint64_t bytes = 0;  // protected bytes written by DecryptionBlt and read by EncryptionBlt
  std::uint64_t refreshes = 0;
  std::uint32_t mismatches = 0;
  double seconds = 0;
  std::string error;  // a driver or application failure that stopped the run
};

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
  const bool ok = s.error.empty() && s.mismatches == 0 && s.frames == o.frames;
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
                        {"ok", ok}};
    if (!s.error.empty()) {
      j["error"] = s.error;
    }
    std::cout << j.dump(2) << "\n";
  } else {
    if (!s.error.empty()) {
      std::cout << "error: " << s.error << "\n";
    }
    std::printf("frames %u  bytes %llu  refreshes %llu  mismatches %u  %.1f MB/s  (%ux%u NV12, %s)\n",
                s.frames, static_cast<unsigned long long>(s.bytes),
                static_cast<unsigned long long>(s.refreshes), s.mismatches, mb_per_s, o.width,
                o.height, o.content_key ? "content keys" : "session key");
    std::printf("%s\n", ok ? "OK: every frame read back equal to what was written"
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
      "session-key refresh every K frames. Exit 1 on any mismatch.");
  demo->add_option("--frames", options->frames, "frames to play")
      ->check(CLI::Range(1u, 1000000u))->capture_default_str();
  demo->add_option("--refresh-every", options->refresh_every,
                   "refresh the session key after every K frames (0 = never)")
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

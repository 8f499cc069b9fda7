// cpddi C++ example: protected playback with the application API (cpddi::app).
//
// The application opens the adapter and a device, makes a protected NV12 surface and a keyed
// crypto session (ProtectedSession::open checks the driver's certificate and does the RSAES-OAEP
// key exchange). Then, for each synthetic frame, it encrypts the frame under the session key,
// lets the driver DecryptionBlt it into the protected surface, reads the surface back through
// EncryptionBlt and compares. After every second frame it refreshes the session key
// (StartSessionKeyRefresh, new key = old XOR r, FinishSessionKeyRefresh), so the following
// frames travel under a new key. Before playback an authenticated channel binds the session and
// enables protection; afterwards the example reads both back through it (each answer is checked
// by the channel: MAC, echoed type, handle and sequence number). Exit status 0 only if every
// frame came back equal and the channel confirmed protection and the binding.
#include <cstdint>
#include <cstdio>
#include <vector>

#include <cpddi/cpddi.hpp>

namespace app = cpddi::app;

namespace {

constexpr std::uint32_t kWidth = 640;
constexpr std::uint32_t kHeight = 360;
constexpr std::uint32_t kFrames = 8;
constexpr std::uint32_t kRefreshEvery = 2;

// Prints what failed and returns the exit status for it.
int fail(const char* step, const app::Error& error) {
  std::fprintf(stderr, "cpddi C++ example: %s failed: %s (%s)\n", step, error.message.c_str(),
               cpddi_hresult_name(error.hr));
  return 1;
}

// An NV12 frame of `pitch`-byte rows: a luma gradient that moves with `frame`, then the
// interleaved CbCr rows. Every frame differs, so a wrong key or byte shows as a mismatch.
std::vector<std::uint8_t> synthetic_frame(std::size_t pitch, std::uint32_t frame) {
  std::vector<std::uint8_t> bytes(pitch * (kHeight + kHeight / 2));
  for (std::size_t row = 0; row < kHeight + kHeight / 2; ++row) {
    for (std::size_t x = 0; x < pitch; ++x) {
      const std::size_t value = row < kHeight ? x + row + 5 * frame : 128 + (x % 2) * frame;
      bytes[row * pitch + x] = static_cast<std::uint8_t>(value);
    }
  }
  return bytes;
}

}  // namespace

int main() {
  app::Result<app::Adapter> adapter = app::Adapter::open();
  if (!adapter) {
    return fail("Adapter::open", adapter.error());
  }
  app::Result<app::Device> device = adapter->create_device();
  if (!device) {
    return fail("create_device", device.error());
  }
  app::Result<app::ProtectedSurface> surface =
      device->create_protected_surface({D3DDDIFMT_NV12, kWidth, kHeight});
  if (!surface) {
    return fail("create_protected_surface", surface.error());
  }
  app::Result<app::ProtectedSession> session = app::ProtectedSession::open(*device, *adapter);
  if (!session) {
    return fail("ProtectedSession::open", session.error());
  }
  // The channel: checks its certificate, exchanges a key, numbers and verifies every message.
  app::Result<app::AuthenticatedChannel> channel =
      app::AuthenticatedChannel::open(*device, *adapter);
  if (!channel) {
    return fail("AuthenticatedChannel::open", channel.error());
  }
  if (app::Result<void> r = channel->configure_crypto_session(*session); !r) {
    return fail("configure_crypto_session", r.error());
  }
  D3DAUTHENTICATEDCHANNEL_PROTECTION_FLAGS protection{};
  protection.ProtectionEnabled = 1;
  if (app::Result<void> r = channel->configure_protection(protection.Value); !r) {
    return fail("configure_protection", r.error());
  }
  // The bytes one blt moves: the driver's pitch × (luma rows + chroma rows).
  app::Result<std::size_t> frame_bytes = session->surface_bytes(*surface);
  if (!frame_bytes) {
    return fail("surface_bytes", frame_bytes.error());
  }
  const std::size_t pitch = *frame_bytes / (kHeight + kHeight / 2);

  std::uint32_t mismatches = 0;
  for (std::uint32_t i = 0; i < kFrames; ++i) {
    const std::vector<std::uint8_t> frame = synthetic_frame(pitch, i);
    app::Result<app::EncryptedBuffer> sealed = session->encrypt(frame);
    if (!sealed) {
      return fail("encrypt", sealed.error());
    }
    if (app::Result<void> r = session->decryption_blt(*sealed, *surface); !r) {
      return fail("decryption_blt", r.error());
    }
    app::Result<std::vector<std::uint8_t>> shown = session->read_back(*surface);
    if (!shown) {
      return fail("read_back", shown.error());
    }
    if (*shown != frame) {
      std::fprintf(stderr, "cpddi C++ example: frame %u read back different\n", i);
      ++mismatches;
    }
    if ((i + 1) % kRefreshEvery == 0) {
      if (app::Result<void> r = session->refresh_key(); !r) {
        return fail("refresh_key", r.error());
      }
    }
  }

  app::Result<std::uint32_t> flags = channel->query_protection();
  if (!flags) {
    return fail("query_protection", flags.error());
  }
  app::Result<app::SessionBinding> binding = channel->query_crypto_session();
  if (!binding) {
    return fail("query_crypto_session", binding.error());
  }
  const bool protected_and_bound = (*flags & protection.Value) != 0 &&
                                   binding->crypto_session == session->handle() &&
                                   binding->device == device->handle();
  std::printf("channel: protection 0x%08x, binding %s\n", *flags,
              protected_and_bound ? "verified" : "WRONG");

  const bool ok = mismatches == 0 && session->refreshes() == kFrames / kRefreshEvery &&
                  protected_and_bound;
  std::printf("cpddi %s C++ example: %u frames %ux%u NV12, %llu key refreshes, %u mismatches: %s\n",
              cpddi_version(), kFrames, kWidth, kHeight,
              static_cast<unsigned long long>(session->refreshes()), mismatches,
              ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}

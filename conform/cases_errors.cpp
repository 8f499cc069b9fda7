// How void entries report (spec §8.5, A30, A41): on a DDI whose void entries report through the
// runtime's pfnSetErrorCb, every void entry is driven through a success and a failure. The
// front end judges each call's reports (at most one, never S_OK, only E_INVALIDARG,
// E_OUTOFMEMORY or D3DDDIERR_DEVICEREMOVED) and fails the case on a breach; the case checks each
// answer. Skipped on a DDI without the callback (D3D9 entries return their HRESULT).
#include "conform/cases.h"
#include "conform/channel.h"

namespace cpddi::conform {
namespace {

Verdict void_entries_report_by_the_rules(Env& env) {
  Device& device = env.device();
  require_row(device, DdiRow::kErrorCallback);
  const HRESULT misuse = device.code(Refusal::kInvalidArgument);

  // GetCertificateSize / GetCertificate: success, then a buffer one byte short.
  const Bytes certificate = device.adapter().certificate();
  Bytes short_buffer(certificate.size() - 1, 0xEE);
  expect_hr(device.adapter().get_caps_raw(D3DDDICAPS_GETCERTIFICATE, CapsInfo{},
                                          short_buffer.data(),
                                          static_cast<UINT>(short_buffer.size())),
            misuse, "GetCertificate into a buffer one byte short");

  Session session(device);
  auto target = Surface::small_protected(device);
  auto source = Surface::system_memory(device, 256);
  auto sink = Surface::system_memory(device, 256);
  expect_hr(session.decryption_blt(target->handle(), Bytes(256, 1), session.next_iv()), S_OK,
            "DecryptionBlt");
  expect_hr(session.decryption_blt(BltArgs{.source = source->handle(),
                                           .destination = target->handle(),
                                           .size = 256}),
            misuse, "DecryptionBlt without an IV");
  expect_hr(session.encryption_blt(BltArgs{.source = target->handle(),
                                           .destination = sink->handle(),
                                           .size = 256}),
            misuse, "EncryptionBlt without an IV");
  if ((device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACK) != 0) {
    Key wrapped{};
    expect_hr(session.get_encryption_blt_key(&wrapped),
              (device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACKKEY) != 0
                  ? S_OK
                  : device.code(Refusal::kCapOff),
              "GetEncryptionBltKey");
    HRESULT read_back = E_FAIL;
    session.read_back(target->handle(), 256, &read_back);
    expect_hr(read_back, S_OK, "EncryptionBlt of the decrypted surface");
  }
  Bytes buffer(16, 0xEE);
  expect_hr(session.get_encryption_blt_key_raw(buffer.data(), 15), misuse,
            "GetEncryptionBltKey with KeySize 15");
  if ((device.caps_bits() & D3DCPCAPS_FRESHENSESSIONKEY) != 0) {
    expect_hr(session.refresh(), S_OK, "StartSessionKeyRefresh + FinishSessionKeyRefresh");
    expect_hr(session.finish_refresh(), device.code(Refusal::kWrongState),
              "FinishSessionKeyRefresh with nothing pending");
    expect_hr(session.start_refresh_raw(buffer.data(), 15), misuse,
              "StartSessionKeyRefresh with RandomNumberSize 15");
  }
  const HANDLE dead_session = session.handle();
  expect_hr(session.destroy(), S_OK, "DestroyCryptoSession");
  expect_hr(device.destroy_session(dead_session), misuse, "DestroyCryptoSession, again");

  Channel channel(device);
  const HANDLE dead_channel = channel.handle();
  expect_hr(channel.destroy(), S_OK, "DestroyAuthenticatedChannel");
  expect_hr(device.calls().destroy_authenticated_channel(dead_channel), misuse,
            "DestroyAuthenticatedChannel, again");
  return pass();
}

const Case kCases[] = {
    {"errors.void-entries-report-by-the-rules",
     "every void entry, on success and on failure, reports through pfnSetErrorCb at most once, "
     "never S_OK, and only E_INVALIDARG, E_OUTOFMEMORY or D3DDDIERR_DEVICEREMOVED",
     "§8.5, A30, A41", void_entries_report_by_the_rules},
};

}  // namespace

std::span<const Case> error_callback_cases() { return kCases; }

}  // namespace cpddi::conform

// DecryptionBlt with fuzzed arguments (spec §4.5, §7.1–§7.4, A12–A17).
// Input: [profile] [session: keyed?, key, prior IV] [source surface] [destination surface]
//        [handle choices] [subresources] [SrcResourceSize choice] [block info] [content key]
//        [IV] [null-struct flag] [ciphertext bytes …].
// Invariants: only documented codes; exactly the outcome the app's model predicts; after S_OK the
// protected surface holds what the app computes (§7.4) when the caps allow reading it back; a
// failed blt does not consume its IV (A13).
#include <cstdint>

#include "conform/session.h"
#include "ddi_model.h"
#include "fuzz_support.h"
#include "surface_decoder.h"

using namespace cpddi::fuzz;

namespace {

// The handle a call passes for a surface: usually the surface, sometimes another object's handle.
HANDLE pick_handle(std::uint8_t choice, HANDLE own, HANDLE other_surface, HANDLE session) {
  switch (choice % 16) {
    case 13: return other_surface;
    case 14: return session;  // a crypto-session handle where a resource is expected
    case 15: return choice >= 128 ? nullptr : not_a_live_handle(0x5E00000100000001);
    default: return own;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader in(data, size);
  const Adapter& a = adapter_from_byte(in.u8());
  FuzzDevice device(a);
  SessionModel model;
  const bool keyed = in.flag();
  if (keyed) {
    model.new_key(in.array<16>());
  }
  cpddi::conform::Session crypto_session(
      device, model.key,
      keyed ? cpddi::conform::Session::Exchange::kYes : cpddi::conform::Session::Exchange::kNo);
  HANDLE session = crypto_session.handle();
  if (keyed && in.flag()) {
    const std::uint64_t prior = in.u8();
    prove_key(device, session, model.key, prior, "the session key before the blt");
    model.record_iv(std::nullopt, prior);
  }

  std::uint32_t live = 0;
  std::uint64_t protected_in_use = 0;
  FuzzSurface src = create_fuzz_surface(device, in, live, protected_in_use);
  FuzzSurface dst = create_fuzz_surface(device, in, live, protected_in_use);

  cpddi::conform::BltArgs args;
  args.source = pick_handle(in.u8(), src.handle, dst.handle, session);
  args.destination = pick_handle(in.u8(), dst.handle, src.handle, session);
  const std::uint8_t sub = in.u8();
  args.source_subresource = sub >= 240 ? sub - 239u : 0u;
  args.destination_subresource = sub >= 224 && sub < 240 ? sub - 223u : 0u;

  const std::uint64_t dst_len = dst.handle != nullptr ? dst.model.linear() : 0;
  const std::uint8_t size_choice = in.u8();
  switch (size_choice % 7) {
    case 0: args.size = static_cast<UINT>(align16(dst_len)); break;
    case 1: args.size = static_cast<UINT>(src.model.capacity()); break;
    case 2: args.size = static_cast<UINT>(align16(dst_len) + 16); break;
    case 3: args.size = static_cast<UINT>(align16(dst_len) - 16); break;
    case 4: args.size = static_cast<UINT>(align16(dst_len) + 1); break;
    case 5: args.size = static_cast<UINT>(dst_len); break;
    default: args.size = in.u32(); break;
  }

  D3DDDIENCRYPTED_BLOCK_INFO block_info{};
  if (in.flag()) {
    block_info.NumEncryptedBytesAtBeginning = in.u16();
    block_info.NumBytesInSkipPattern = in.u16();
    block_info.NumBytesInEncryptPattern = in.u16();
    args.block_info = &block_info;
  }
  cpddi::fuzz::Key content_key{};
  cpddi::fuzz::Key wrapped_content_key{};
  const std::uint8_t key_choice = in.u8() % 3;
  if (key_choice != 0) {
    content_key = in.array<16>();
    // 1: the app wraps a content key under its session key; 2: the bytes are used as they are.
    wrapped_content_key = key_choice == 1 && model.keyed ? ecb_wrap(model.key, content_key)
                                                         : content_key;
    args.content_key = wrapped_content_key.data();
  }
  Iv iv{};
  if (!in.flag()) {
    iv = in.array<16>();
    args.iv = iv.data();
  }
  const bool null_struct = in.u8() == 0xFF;

  // The ciphertext: the rest of the input, repeated over the source's bytes.
  Bytes source_bytes;
  if (src.handle != nullptr && src.model.system_memory && !src.model.restricted) {
    // Driver-owned memory past L stays zero (it is only written through Lock, L bytes).
    const auto linear = static_cast<std::size_t>(src.model.linear());
    source_bytes.assign(static_cast<std::size_t>(src.model.capacity()), 0);
    std::span<const std::uint8_t> rest = in.rest();
    for (std::size_t i = 0; i < linear && !rest.empty(); ++i) {
      source_bytes[i] = rest[i % rest.size()];
    }
    device.write_surface(src.handle, std::span(source_bytes).first(linear));
  }

  DecryptCall call;
  call.source = args.source == src.handle && src.handle != nullptr ? &src.model
                : args.source == dst.handle && dst.handle != nullptr ? &dst.model
                                                                     : nullptr;
  call.destination = args.destination == dst.handle && dst.handle != nullptr ? &dst.model
                     : args.destination == src.handle && src.handle != nullptr ? &src.model
                                                                               : nullptr;
  call.same_surface = args.source == args.destination;
  call.subresources_zero = args.source_subresource == 0 && args.destination_subresource == 0;
  call.source_size = args.size;
  if (args.block_info != nullptr) {
    call.block_info = block_info;
  }
  if (args.content_key != nullptr) {
    call.content_key = wrapped_content_key;
  }
  if (args.iv != nullptr) {
    call.iv = iv;
  }
  Expected expected = null_struct ? Expected{} : expect_decryption_blt(a, model, call);
  if (null_struct) {
    expected.add(E_INVALIDARG);
  }
  const HRESULT hr =
      null_struct ? device.call_with_null_arguments(cpddi::conform::DeviceEntry::kDecryptionBlt)
                  : device.decryption_blt(session, args);
  check_result("DecryptionBlt", hr, documented::kDecryptionBlt, expected);

  if (hr == S_OK) {
    model.record_iv(call.content_key, iv_field(iv));
    if (a.has(D3DCPCAPS_ENCRYPTEDREADBACK) && call.source == &src.model &&
        call.destination == &dst.model) {
      const cpddi::fuzz::Key effective =
          call.content_key ? ecb_unwrap(model.key, wrapped_content_key) : model.key;
      const std::size_t len = static_cast<std::size_t>(dst_len);
      const Bytes want = expected_decryption(effective, iv, source_bytes, len,
                                             call.block_info ? &block_info : nullptr);
      HRESULT read_hr = E_FAIL;
      const Bytes back = crypto_session.read_back(dst.handle, len, &read_hr);
      must_succeed(read_hr, "read-back: GetEncryptionBltKey + EncryptionBlt");
      if (back != want) {
        violation("DecryptionBlt wrote bytes other than the app computes (spec §7.4)");
      }
    }
  }
  for (HANDLE surface : {src.handle, dst.handle}) {
    if (surface != nullptr) {
      must_succeed(device.destroy_surface(surface), "DestroyResource of a live surface");
    }
  }
  if (hr != S_OK && model.keyed && call.iv && a.iv_check()) {
    // A13: a failed blt does not consume its IV. Re-using it now must not be refused as a replay
    // (only checkable when the IV was acceptable before the call).
    const std::optional<std::uint64_t> last = model.last_iv(std::nullopt);
    if (!call.content_key && (!last || iv_field(iv) > *last)) {
      prove_key(device, session, model.key, iv_field(iv), "a failed blt does not consume its IV");
    }
  }
  must_succeed(crypto_session.destroy(), "DestroyCryptoSession of a live session");
  return 0;
}

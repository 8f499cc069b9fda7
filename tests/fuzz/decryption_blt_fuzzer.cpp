// DecryptionBlt with fuzzed arguments (spec §4.5, §7.1–§7.4, A12–A17).
// Input: [profile] [session: keyed?, key, prior IV] [source surface] [destination surface]
//        [handle choices] [subresources] [SrcResourceSize choice] [block info] [content key]
//        [IV] [null-struct flag] [ciphertext bytes …].
// Invariants: only documented codes; exactly the outcome the app's model predicts; after S_OK the
// protected surface holds what the app computes (§7.4) when the caps allow reading it back; a
// failed blt does not consume its IV (A13).
#include <cstdint>
#include <cstring>

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
  ScopedDevice device(a);
  HANDLE session = device.create_session();
  SessionModel model;
  if (in.flag()) {
    const cpddi::fuzz::Key key = in.array<16>();
    device.exchange_key(session, key);
    model.new_key(key);
    if (in.flag()) {
      const std::uint64_t prior = in.u8();
      prove_key(device, session, key, prior, "the session key before the blt");
      model.record_iv(std::nullopt, prior);
    }
  }

  std::uint32_t live = 0;
  std::uint64_t protected_in_use = 0;
  FuzzSurface src = create_fuzz_surface(device, in, live, protected_in_use);
  FuzzSurface dst = create_fuzz_surface(device, in, live, protected_in_use);

  D3DDDIARG_DECRYPTIONBLT args{};
  args.hCryptoSession = session;
  args.hSrcResource = pick_handle(in.u8(), src.handle, dst.handle, session);
  args.hDstResource = pick_handle(in.u8(), dst.handle, src.handle, session);
  const std::uint8_t sub = in.u8();
  args.SrcSubResourceIndex = sub >= 240 ? sub - 239u : 0u;
  args.DstSubResourceIndex = sub >= 224 && sub < 240 ? sub - 223u : 0u;

  const std::uint64_t dst_len = dst.handle != nullptr ? dst.model.linear() : 0;
  const std::uint8_t size_choice = in.u8();
  switch (size_choice % 7) {
    case 0: args.SrcResourceSize = static_cast<UINT>(align16(dst_len)); break;
    case 1: args.SrcResourceSize = static_cast<UINT>(src.model.capacity()); break;
    case 2: args.SrcResourceSize = static_cast<UINT>(align16(dst_len) + 16); break;
    case 3: args.SrcResourceSize = static_cast<UINT>(align16(dst_len) - 16); break;
    case 4: args.SrcResourceSize = static_cast<UINT>(align16(dst_len) + 1); break;
    case 5: args.SrcResourceSize = static_cast<UINT>(dst_len); break;
    default: args.SrcResourceSize = in.u32(); break;
  }

  D3DDDIENCRYPTED_BLOCK_INFO block_info{};
  if (in.flag()) {
    block_info.NumEncryptedBytesAtBeginning = in.u16();
    block_info.NumBytesInSkipPattern = in.u16();
    block_info.NumBytesInEncryptPattern = in.u16();
    args.pEncryptedBlockInfo = &block_info;
  }
  cpddi::fuzz::Key content_key{};
  cpddi::fuzz::Key wrapped_content_key{};
  const std::uint8_t key_choice = in.u8() % 3;
  if (key_choice != 0) {
    content_key = in.array<16>();
    // 1: the app wraps a content key under its session key; 2: the bytes are used as they are.
    wrapped_content_key = key_choice == 1 && model.keyed ? ecb_wrap(model.key, content_key)
                                                         : content_key;
    args.pContentKey = wrapped_content_key.data();
  }
  Iv iv{};
  if (!in.flag()) {
    iv = in.array<16>();
    args.pIV = iv.data();
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
  call.source = args.hSrcResource == src.handle && src.handle != nullptr ? &src.model
                : args.hSrcResource == dst.handle && dst.handle != nullptr ? &dst.model
                                                                             : nullptr;
  call.destination = args.hDstResource == dst.handle && dst.handle != nullptr ? &dst.model
                     : args.hDstResource == src.handle && src.handle != nullptr ? &src.model
                                                                                  : nullptr;
  call.same_surface = args.hSrcResource == args.hDstResource;
  call.subresources_zero = args.SrcSubResourceIndex == 0 && args.DstSubResourceIndex == 0;
  call.source_size = args.SrcResourceSize;
  if (args.pEncryptedBlockInfo != nullptr) {
    call.block_info = block_info;
  }
  if (args.pContentKey != nullptr) {
    call.content_key = wrapped_content_key;
  }
  if (args.pIV != nullptr) {
    call.iv = iv;
  }
  Expected expected = null_struct ? Expected{} : expect_decryption_blt(a, model, call);
  if (null_struct) {
    expected.add(E_INVALIDARG);
  }
  const HRESULT hr =
      device.funcs().pfnDecryptionBlt(device.handle(), null_struct ? nullptr : &args);
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
      if (read_back(device, session, model.key, dst.handle, len) != want) {
        violation("DecryptionBlt wrote bytes other than the app computes (spec §7.4)");
      }
    }
  }
  if (src.handle != nullptr) {
    device.destroy_surface(src.handle);
  }
  if (dst.handle != nullptr) {
    device.destroy_surface(dst.handle);
  }
  if (hr != S_OK && model.keyed && call.iv && a.iv_check()) {
    // A13: a failed blt does not consume its IV. Re-using it now must not be refused as a replay
    // (only checkable when the IV was acceptable before the call).
    const std::optional<std::uint64_t> last = model.last_iv(std::nullopt);
    if (!call.content_key && (!last || iv_field(iv) > *last)) {
      prove_key(device, session, model.key, iv_field(iv), "a failed blt does not consume its IV");
    }
  }
  device.destroy_session(session);
  return 0;
}

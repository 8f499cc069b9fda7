// The D3D11.1 front end (d3d11_front_end.h): the FrontEnd and its adapter calls; the device
// calls are d3d11_device_calls.cpp. Every D3D11.1 adapter-level argument conform builds is
// built here.
#include "conform/d3d11_front_end.h"

#include <cstring>
#include <utility>

#include "conform/d3d11_calls.h"

namespace cpddi::conform {
namespace {

constexpr GUID kNoGuid{};

// Why D3D11.1 lacks `row` (FrontEnd::missing), or null; the adapter calls' guards say the same.
const char* lacks(DdiRow row) {
  switch (row) {
    case DdiRow::kArgumentStructs:
      return "its entries take plain arguments, no argument struct to pass as null (spec §8.3)";
    case DdiRow::kGetPitch: return "the D3D11.1 DDI has no GetPitch (spec §8.4)";
    case DdiRow::kLockArguments:
      return "resources are mapped through ResourceMap, which has no D3D9 Lock fields";
    case DdiRow::kCapsTypes:
      return "caps come from GetContentProtectionCaps, which has no caps Type (spec §8.3)";
    case DdiRow::kCapsDataSize:
      return "its caps and certificate-size entries write typed values: there is no DataSize to "
             "vary (spec §8.3)";
    case DdiRow::kAdapterCaps:
      return "caps are asked of a device, so there is no adapter handle to vary or close";
    case DdiRow::kCapsUnion:
      return "an all-zero CryptoType asks for the union of the caps, a D3D9 GetCaps rule "
             "(spec §3); D3D11.1 names one crypto type";
    case DdiRow::kErrorCallback: return nullptr;
  }
  return "unknown row";  // not reached: the switch names every DdiRow
}

// D3D11.1 caps are a device's (GetContentProtectionCaps is a video-table entry): the adapter asks a
// device of its own, made on first use.
class D3d11AdapterCalls final : public AdapterCalls {
 public:
  D3d11AdapterCalls(std::shared_ptr<D3d11Runtime> runtime, std::shared_ptr<D3d11Handles> handles,
                    HANDLE target)
      : runtime_(std::move(runtime)), handles_(std::move(handles)), target_(target) {}

  HANDLE handle() const override { return target_; }
  std::unique_ptr<AdapterCalls> calling_as(HANDLE handle) const override {
    return std::make_unique<D3d11AdapterCalls>(runtime_, handles_, handle);
  }

  HRESULT get_caps(UINT type, const CapsInfo& info, void* data, UINT data_size) override {
    if (target_ != runtime_->adapter().pDrvPrivate || closed_) {
      not_in_d3d11(lacks(DdiRow::kAdapterCaps));
    }
    D3d11Device& device = caps_device();
    D3D11_1DDI_CERTIFICATE_INFO cert{};
    switch (type) {
      case D3DDDICAPS_GETCONTENTPROTECTIONCAPS:
        return protection_caps(device, info, data, data_size);
      case D3DDDICAPS_GETCERTIFICATESIZE:
        if (data_size != sizeof(UINT)) {
          not_in_d3d11(lacks(DdiRow::kCapsDataSize));
        }
        return judged_void_call(device, "GetCertificateSize", [&] {
          return device.get_certificate_size(certificate_info(info, &cert),
                                             static_cast<UINT*>(data));
        });
      case D3DDDICAPS_GETCERTIFICATE:
        return judged_void_call(device, "GetCertificate", [&] {
          return device.get_certificate(certificate_info(info, &cert), data_size,
                                        static_cast<BYTE*>(data));
        });
      default: not_in_d3d11(lacks(DdiRow::kCapsTypes));
    }
  }

  HRESULT create_device(std::unique_ptr<DeviceCalls>* device) override {
    std::unique_ptr<D3d11Device> created;
    const HRESULT hr = runtime_->create_device(CPDDI_D3D11_1_ERROR_MODE_STRICT, &created);
    const HANDLE handle = created != nullptr ? created->handle().pDrvPrivate : nullptr;
    *device = make_d3d11_device_calls(std::shared_ptr<D3d11Device>(std::move(created)), handles_,
                                      handle);
    return hr;
  }

  // D3D11.1's CreateDevice writes no handle: the device is the private memory the runtime passed
  // in, so on success that memory's address stands for the handle written.
  HRESULT create_device_raw(HANDLE* device, bool null_funcs) override {
    std::unique_ptr<D3d11Device> created;
    const HRESULT hr = runtime_->create_device(
        CPDDI_D3D11_1_ERROR_MODE_STRICT, &created, 0,
        {.as_adapter = D3D10DDI_HADAPTER{target_}, .null_device_funcs = null_funcs});
    if (created != nullptr) {
      *device = created->handle().pDrvPrivate;
    }
    return hr;  // a created device is destroyed as `created` dies
  }

  HRESULT close_adapter() override {
    const HRESULT hr = need(runtime_->adapter_funcs().pfnCloseAdapter,
                            "pfnCloseAdapter")(D3D10DDI_HADAPTER{target_});
    closed_ = closed_ || hr == S_OK;
    return hr;
  }

  HRESULT get_caps_with_null_argument_struct() override {
    not_in_d3d11("GetCaps has no argument struct");
  }
  HRESULT create_device_with_null_argument_struct() override {
    not_in_d3d11("CreateDevice with a null argument struct is a D3D9 row");
  }

  // The runtime closes the adapter when the last user of it dies.
  void release() noexcept override {
    caps_device_.reset();
    runtime_.reset();
  }

 private:
  D3d11Device& caps_device() {
    if (caps_device_ == nullptr) {
      expect_hr(runtime_->create_device(CPDDI_D3D11_1_ERROR_MODE_STRICT, &caps_device_), S_OK,
                "CreateDevice (the device GetContentProtectionCaps is asked "
                "through)");
    }
    return *caps_device_;
  }

  // `info` as D3D11.1's certificate info in `cert` (null for CapsInfo::Kind::kNull); the enum
  // fields are copied as integers: a C caller may store any value.
  static const D3D11_1DDI_CERTIFICATE_INFO* certificate_info(const CapsInfo& info,
                                                             D3D11_1DDI_CERTIFICATE_INFO* cert) {
    if (info.kind == CapsInfo::Kind::kNull) {
      return nullptr;
    }
    std::memcpy(&cert->CertificateType, &info.certificate_type, sizeof info.certificate_type);
    if (info.certificate_type == D3DDDI_CERTTYPE_CRYPTOSESSION) {
      cert->CryptoSessionType = info.crypto_type;
    } else {
      std::memcpy(&cert->ChannelType, &info.channel_type, sizeof info.channel_type);
    }
    return cert;
  }

  // GetContentProtectionCaps and GetCryptoKeyExchangeType(index 0) as one D3D9 caps struct: bits
  // 0x1–0x200 mean the same (spec §8.4, A41); DECRYPTION_BLT has no D3D9 bit; D3D11.1 has no
  // BufferAlignmentStart (blts name resources, not pointers), so it reads 1.
  static HRESULT protection_caps(D3d11Device& device, const CapsInfo& info, void* data,
                                 UINT data_size) {
    if (data_size != sizeof(D3DCONTENTPROTECTIONCAPS)) {
      not_in_d3d11(lacks(DdiRow::kCapsDataSize));
    }
    if (info.kind != CapsInfo::Kind::kNull &&
        std::memcmp(&info.crypto_type, &kNoGuid, sizeof kNoGuid) == 0) {
      not_in_d3d11(lacks(DdiRow::kCapsUnion));
    }
    const GUID* type = info.kind == CapsInfo::Kind::kNull ? nullptr : &info.crypto_type;
    const GUID* profile = info.kind == CapsInfo::Kind::kNull ? nullptr : &info.decode_profile;
    if (data == nullptr) {
      return device.get_content_protection_caps(type, profile, nullptr);
    }
    D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS caps{};
    HRESULT hr = device.get_content_protection_caps(type, profile, &caps);
    if (hr != S_OK) {
      return hr;
    }
    GUID key_exchange{};
    if (caps.KeyExchangeTypeCount > 0) {
      hr = device.get_crypto_key_exchange_type(type, profile, 0, &key_exchange);
      if (hr != S_OK) {
        return hr;
      }
    }
    D3DCONTENTPROTECTIONCAPS out{};
    out.Caps = caps.Caps & ~static_cast<DWORD>(D3D11_1DDI_CONTENT_PROTECTION_CAPS_DECRYPTION_BLT);
    out.KeyExchangeType = key_exchange;
    out.BufferAlignmentStart = 1;
    out.BlockAlignmentSize = caps.BlockAlignmentSize;
    out.ProtectedMemorySize = caps.ProtectedMemorySize;
    std::memcpy(data, &out, sizeof out);
    return hr;
  }

  std::shared_ptr<D3d11Runtime> runtime_;
  std::shared_ptr<D3d11Handles> handles_;
  HANDLE target_;
  std::unique_ptr<D3d11Device> caps_device_;
  bool closed_ = false;
};

}  // namespace

D3d11FrontEnd::D3d11FrontEnd(PFNCPDDI_D3D11_1_OPENADAPTER open_adapter_fn)
    : open_adapter_(open_adapter_fn), handles_(std::make_shared<D3d11Handles>()) {}

D3d11FrontEnd::~D3d11FrontEnd() = default;

// Spec A41: D3D9's INVALIDCALL and NOTAVAILABLE become E_INVALIDARG, except the crypto-type answers
// of caps and CreateCryptoSession (UNSUPPORTEDCRYPTO) and query/configure GUIDs (E_FAIL).
HRESULT D3d11FrontEnd::code(Refusal refusal) const {
  switch (refusal) {
    case Refusal::kInvalidArgument: return E_INVALIDARG;
    case Refusal::kWrongState: return E_INVALIDARG;
    case Refusal::kCapOff: return E_INVALIDARG;
    case Refusal::kUnsupportedCryptoType: return D3DDDIERR_UNSUPPORTEDCRYPTO;
    case Refusal::kUnsupportedProfile: return D3DDDIERR_UNSUPPORTEDCRYPTO;
    case Refusal::kUnknownCertificate: return E_INVALIDARG;        // §8.5 slots 63, 64
    case Refusal::kChannelTypeNotAdvertised: return E_INVALIDARG;  // A39
    case Refusal::kUnknownCommand: return E_FAIL;                  // A33
    case Refusal::kOutOfProtectedMemory: return E_OUTOFMEMORY;     // no OUTOFHW… in D3D11.1
    case Refusal::kQueryOutputOver: return S_OK;                   // A27: ≥ the defined size
  }
  return E_FAIL;  // not reached: the switch names every Refusal
}

const char* D3d11FrontEnd::missing(DdiRow row) const { return lacks(row); }

HRESULT
D3d11FrontEnd::open_adapter(const CPDDI_ADAPTER_OPTIONS* options,
                            std::unique_ptr<AdapterCalls>* adapter) const {
  std::unique_ptr<D3d11Runtime> runtime;
  const HRESULT hr =
      D3d11Runtime::open(need(open_adapter_, "cpddi_d3d11_1_open_adapter"), options, &runtime);
  if (hr != S_OK || runtime == nullptr || runtime->adapter().pDrvPrivate == nullptr) {
    return hr;  // the harness judges the answer (a null handle: *adapter stays
                // empty)
  }
  const HANDLE handle = runtime->adapter().pDrvPrivate;
  *adapter = std::make_unique<D3d11AdapterCalls>(std::shared_ptr<D3d11Runtime>(std::move(runtime)),
                                                 handles_, handle);
  return hr;
}

HRESULT D3d11FrontEnd::open_adapter_raw(HANDLE* adapter, bool null_funcs) const {
  CPDDI_D3D11_1_ADAPTERFUNCS funcs{};
  CPDDI_D3D11_1_OPENADAPTER args{};
  args.hAdapter.pDrvPrivate = *adapter;
  args.pAdapterFuncs = null_funcs ? nullptr : &funcs;
  const HRESULT hr = need(open_adapter_, "cpddi_d3d11_1_open_adapter")(&args, nullptr);
  *adapter = args.hAdapter.pDrvPrivate;
  if (hr == S_OK && !null_funcs && funcs.pfnCloseAdapter != nullptr) {
    funcs.pfnCloseAdapter(args.hAdapter);  // the case only looks at the answer
  }
  return hr;
}

HRESULT D3d11FrontEnd::open_adapter_with_null_argument_struct() const {
  return need(open_adapter_, "cpddi_d3d11_1_open_adapter")(nullptr, nullptr);
}

}  // namespace cpddi::conform

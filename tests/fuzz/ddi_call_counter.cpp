// The counting wrappers of ddi_call_counter.h. The real driver's tables are the same for every
// adapter and device (cpddi fills constant function pointers), so one copy of each is kept.
#include "ddi_call_counter.h"

#include <cstdlib>
#include <iterator>
#include <numeric>
#include <string_view>
#include <type_traits>

namespace cpddi::fuzz {
namespace {

enum Entry : std::size_t {
  kOpenAdapter, kOpenAdapterWithOptions,
  kGetCaps, kCreateDevice, kCloseAdapter,
  kLock, kUnlock, kCreateResource, kDestroyResource, kFlush, kDestroyDevice,
  kCreateAuthenticatedChannel, kAuthenticatedChannelKeyExchange, kQueryAuthenticatedChannel,
  kConfigureAuthenticatedChannel, kDestroyAuthenticatedChannel,
  kCreateCryptoSession, kCryptoSessionKeyExchange, kDestroyCryptoSession, kEncryptionBlt,
  kGetPitch, kStartSessionKeyRefresh, kFinishSessionKeyRefresh, kGetEncryptionBltKey,
  kDecryptionBlt,
  kEntryCount
};

DdiEntryCount g_counts[kEntryCount] = {
    {"OpenAdapter", 0}, {"cpddi_open_adapter_with_options", 0},
    {"GetCaps", 0}, {"CreateDevice", 0}, {"CloseAdapter", 0},
    {"Lock", 0}, {"Unlock", 0}, {"CreateResource", 0}, {"DestroyResource", 0}, {"Flush", 0},
    {"DestroyDevice", 0},
    {"CreateAuthenticatedChannel", 0}, {"AuthenticatedChannelKeyExchange", 0},
    {"QueryAuthenticatedChannel", 0}, {"ConfigureAuthenticatedChannel", 0},
    {"DestroyAuthenticatedChannel", 0},
    {"CreateCryptoSession", 0}, {"CryptoSessionKeyExchange", 0}, {"DestroyCryptoSession", 0},
    {"EncryptionBlt", 0}, {"GetPitch", 0}, {"StartSessionKeyRefresh", 0},
    {"FinishSessionKeyRefresh", 0}, {"GetEncryptionBltKey", 0}, {"DecryptionBlt", 0},
};

D3DDDI_ADAPTERFUNCS g_real_adapter{};
D3DDDI_DEVICEFUNCS g_real_device{};

template <class Table>
const Table& real_table() {
  if constexpr (std::is_same_v<Table, D3DDDI_ADAPTERFUNCS>) {
    return g_real_adapter;
  } else {
    return g_real_device;
  }
}

// Counted<&Table::pfnX, kX>::call counts, then calls the real table's pfnX.
template <auto kMember, Entry kEntry>
struct Counted;
template <class Table, class R, class... Args, R(APIENTRY* Table::*kMember)(Args...), Entry kEntry>
struct Counted<kMember, kEntry> {
  static R APIENTRY call(Args... args) {
    ++g_counts[kEntry].calls;
    return (real_table<Table>().*kMember)(args...);
  }
};

template <auto kMember, Entry kEntry, class Table>
void count(Table& table) {
  if (table.*kMember != nullptr) {
    table.*kMember = &Counted<kMember, kEntry>::call;
  }
}

HRESULT APIENTRY counting_create_device(HANDLE adapter, D3DDDIARG_CREATEDEVICE* data) {
  ++g_counts[kCreateDevice].calls;
  const HRESULT hr = g_real_adapter.pfnCreateDevice(adapter, data);
  if (hr != S_OK || data == nullptr || data->pDeviceFuncs == nullptr) {
    return hr;
  }
  D3DDDI_DEVICEFUNCS& t = *data->pDeviceFuncs;
  g_real_device = t;
  count<&D3DDDI_DEVICEFUNCS::pfnLock, kLock>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnUnlock, kUnlock>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnCreateResource, kCreateResource>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnDestroyResource, kDestroyResource>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnFlush, kFlush>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnDestroyDevice, kDestroyDevice>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnCreateAuthenticatedChannel, kCreateAuthenticatedChannel>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnAuthenticatedChannelKeyExchange,
        kAuthenticatedChannelKeyExchange>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnQueryAuthenticatedChannel, kQueryAuthenticatedChannel>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnConfigureAuthenticatedChannel, kConfigureAuthenticatedChannel>(
      t);
  count<&D3DDDI_DEVICEFUNCS::pfnDestroyAuthenticatedChannel, kDestroyAuthenticatedChannel>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnCreateCryptoSession, kCreateCryptoSession>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnCryptoSessionKeyExchange, kCryptoSessionKeyExchange>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnDestroyCryptoSession, kDestroyCryptoSession>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnEncryptionBlt, kEncryptionBlt>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnGetPitch, kGetPitch>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnStartSessionKeyRefresh, kStartSessionKeyRefresh>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnFinishSessionKeyRefresh, kFinishSessionKeyRefresh>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnGetEncryptionBltKey, kGetEncryptionBltKey>(t);
  count<&D3DDDI_DEVICEFUNCS::pfnDecryptionBlt, kDecryptionBlt>(t);
  return hr;
}

void report_at_exit() {
  const char* path = std::getenv("CPDDI_FUZZ_CALL_STATS");
  print_ddi_call_counts(stderr);
  if (path == nullptr || std::string_view(path) == "-") {
    return;
  }
  if (std::FILE* out = std::fopen(path, "a")) {
    print_ddi_call_counts(out);
    std::fclose(out);
  }
}

// The adapter table after a successful open: counting slots, and the report armed once.
HRESULT counted_open(HRESULT hr, D3DDDIARG_OPENADAPTER* open_data) {
  static const bool armed = [] {
    return std::getenv("CPDDI_FUZZ_CALL_STATS") != nullptr && std::atexit(&report_at_exit) == 0;
  }();
  (void)armed;
  if (hr == S_OK && open_data != nullptr && open_data->pAdapterFuncs != nullptr) {
    D3DDDI_ADAPTERFUNCS& t = *open_data->pAdapterFuncs;
    g_real_adapter = t;
    count<&D3DDDI_ADAPTERFUNCS::pfnGetCaps, kGetCaps>(t);
    count<&D3DDDI_ADAPTERFUNCS::pfnCloseAdapter, kCloseAdapter>(t);
    if (t.pfnCreateDevice != nullptr) {
      t.pfnCreateDevice = &counting_create_device;
    }
  }
  return hr;
}

}  // namespace

HRESULT APIENTRY counting_open_adapter(D3DDDIARG_OPENADAPTER* open_data) {
  ++g_counts[kOpenAdapter].calls;
  return counted_open(OpenAdapter(open_data), open_data);
}

HRESULT counting_open_adapter_with_options(D3DDDIARG_OPENADAPTER* open_data,
                                           const CPDDI_ADAPTER_OPTIONS* options) {
  ++g_counts[kOpenAdapterWithOptions].calls;
  return counted_open(cpddi_open_adapter_with_options(open_data, options), open_data);
}

std::span<const DdiEntryCount> ddi_call_counts() { return g_counts; }

std::uint64_t ddi_calls_total() {
  return std::accumulate(std::begin(g_counts), std::end(g_counts), std::uint64_t{0},
                         [](std::uint64_t sum, const DdiEntryCount& e) { return sum + e.calls; });
}

void print_ddi_call_counts(std::FILE* out) {
  std::fprintf(out, "ddi_calls_total %llu\n", static_cast<unsigned long long>(ddi_calls_total()));
  for (const DdiEntryCount& e : g_counts) {
    std::fprintf(out, "ddi_calls %s %llu\n", e.name, static_cast<unsigned long long>(e.calls));
  }
}

}  // namespace cpddi::fuzz

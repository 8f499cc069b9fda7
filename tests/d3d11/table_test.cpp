// RetrieveSubObject (spec §8.1, A38) and the tables it fills: IDs 2 and 3 only, exact struct
// sizes and non-NULL pointers or E_INVALIDARG with nothing written, Relocate ignored, every slot
// outside content protection NULL, 77 answering E_INVALIDARG; and the WDDM 2.0 entries (A42).
#include <algorithm>
#include <cstring>

#include <gtest/gtest.h>

#include "d3d11/scene.h"

namespace cpddi::testing {
namespace {

using Slot = void (*)();

// The table as an array of slots (the header pins the layout: slot n at n * sizeof(void*)).
template <class Table>
const Slot* slots(const Table& table) {
  return reinterpret_cast<const Slot*>(&table);
}

bool cpddi_slot(std::size_t index, bool wddm2_0) {
  return (index >= 58 && index <= 78) ||
         (wddm2_0 && (index == 81 || index == 82 || index == 93));
}

TEST(D3d11Table, EveryContentProtectionSlotFilledEveryOtherNull) {
  Scene scene;
  const Slot* video = slots(scene.device().video());
  for (std::size_t i = 0; i < sizeof(D3D11_1DDI_VIDEODEVICEFUNCS) / sizeof(Slot); ++i) {
    EXPECT_EQ(video[i] != nullptr, cpddi_slot(i, false)) << "slot " << i;
  }
  const Slot* video2 = slots(scene.device().video_wddm2_0());
  for (std::size_t i = 0; i < sizeof(D3DWDDM2_0DDI_VIDEODEVICEFUNCS) / sizeof(Slot); ++i) {
    EXPECT_EQ(video2[i] != nullptr, cpddi_slot(i, true)) << "slot " << i;
    if (i < 81) {
      EXPECT_EQ(video2[i], video[i]) << "slot " << i << " differs between the tables";
    }
  }
}

class RetrieveSubObject : public ::testing::Test {
 protected:
  // RetrieveSubObject with a D3D11.1 input whose table is pre-filled with 0xAB bytes; *untouched
  // says whether the table and the output byte stayed as they were.
  HRESULT retrieve(UINT32 id, SIZE_T param_size, SIZE_T output_size, bool null_table,
                   bool* untouched) {
    D3D11_1DDI_VIDEODEVICEFUNCS table;
    std::memset(&table, 0xAB, sizeof table);
    D3D11_1DDI_VIDEO_INPUT input{0, null_table ? nullptr : &table};
    std::uint8_t output = 0x5A;
    const HRESULT hr =
        scene_.device().retrieve_sub_object(id, param_size, &input, output_size, &output);
    D3D11_1DDI_VIDEODEVICEFUNCS pristine;
    std::memset(&pristine, 0xAB, sizeof pristine);
    *untouched = std::memcmp(&table, &pristine, sizeof table) == 0 && output == 0x5A;
    return hr;
  }

  Scene scene_;
};

TEST_F(RetrieveSubObject, FillsIds2And3WhateverRelocateSays) {
  for (BOOL relocate : {0, 1}) {
    D3D11_1DDI_VIDEODEVICEFUNCS table;
    std::memset(&table, 0xAB, sizeof table);
    D3D11_1DDI_VIDEO_INPUT input{relocate, &table};
    D3D11_1DDI_VIDEO_OUTPUT output{};
    EXPECT_EQ(scene_.device().retrieve_sub_object(2, sizeof input, &input, sizeof output, &output),
              S_OK);
    EXPECT_EQ(std::memcmp(&table, &scene_.device().video(), sizeof table), 0);
    D3DWDDM2_0DDI_VIDEODEVICEFUNCS table2;
    D3DWDDM2_0DDI_VIDEO_INPUT input2{relocate, &table2};
    D3DWDDM2_0DDI_VIDEO_OUTPUT output2{};
    EXPECT_EQ(
        scene_.device().retrieve_sub_object(3, sizeof input2, &input2, sizeof output2, &output2),
        S_OK);
    EXPECT_EQ(std::memcmp(&table2, &scene_.device().video_wddm2_0(), sizeof table2), 0);
  }
}

TEST_F(RetrieveSubObject, RefusesOtherIdsSizesAndNullPointersWritingNothing) {
  bool untouched = false;
  const SIZE_T in = sizeof(D3D11_1DDI_VIDEO_INPUT);
  const SIZE_T out = sizeof(D3D11_1DDI_VIDEO_OUTPUT);
  struct Row {
    UINT32 id;
    SIZE_T param_size;
    SIZE_T output_size;
    bool null_table;
  };
  for (const Row& row : {Row{1, in, out, false}, Row{4, in, out, false}, Row{5, in, out, false},
                         Row{6, in, out, false}, Row{7, in, out, false}, Row{2, in - 1, out, false},
                         Row{2, in + 8, out, false}, Row{2, in, 0, false}, Row{2, in, 2, false},
                         Row{2, in, out, true}}) {
    EXPECT_EQ(retrieve(row.id, row.param_size, row.output_size, row.null_table, &untouched),
              E_INVALIDARG)
        << "id " << row.id << " sizes " << row.param_size << "/" << row.output_size;
    EXPECT_TRUE(untouched) << "id " << row.id;
  }
  // ID 3 with a wrong input size (its structs have the sizes of ID 2's: the sizes cannot tell
  // them apart, the ID does).
  EXPECT_EQ(retrieve(3, in + 1, out, false, &untouched), E_INVALIDARG);
  EXPECT_TRUE(untouched);
  // Null params and output pointers.
  EXPECT_EQ(scene_.device().retrieve_sub_object(2, in, nullptr, out, nullptr), E_INVALIDARG);
  // A device handle that names no device.
  scene_.device().calling_as(D3D10DDI_HDEVICE{scene_.device().memory().allocate(16)});
  D3D11_1DDI_VIDEODEVICEFUNCS table{};
  D3D11_1DDI_VIDEO_INPUT input{0, &table};
  D3D11_1DDI_VIDEO_OUTPUT output{};
  EXPECT_EQ(scene_.device().retrieve_sub_object(2, in, &input, out, &output), E_INVALIDARG);
  scene_.device().calling_as(std::nullopt);
  EXPECT_TRUE(scene_.device().errors().empty()) << "RetrieveSubObject never reports";
}

TEST(D3d11Table, DecoderHandleAndWddm2_0Entries) {
  Scene scene;
  HANDLE handle = nullptr;
  EXPECT_EQ(scene.device().video_decoder_get_handle(D3D11_1DDI_HDECODE{&handle}, &handle),
            E_INVALIDARG);
  // A42: a live software session is always OK; no hardware key; RSAES-OAEP has no private data.
  auto status = static_cast<D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS>(7);
  EXPECT_EQ(scene.device().check_crypto_session_status(scene.session(), &status), S_OK);
  EXPECT_EQ(status, D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS_OK);
  UINT64 data = 0;
  EXPECT_EQ(scene.device().get_data_for_new_hardware_key(scene.session(), 0, nullptr, &data),
            E_INVALIDARG);
  UINT in = 9;
  UINT out = 9;
  EXPECT_EQ(scene.device().get_crypto_session_private_data_size(
                &D3D11_1DDI_CRYPTO_TYPE_AES128_CTR, nullptr, &D3D11_1DDI_KEY_EXCHANGE_RSAES_OAEP,
                &in, &out),
            S_OK);
  EXPECT_EQ(in, 0u);
  EXPECT_EQ(out, 0u);
  // HW_PROTECTION has no handler: CreateCryptoSession says UNSUPPORTEDCRYPTO (§8.5 row 61).
  const D3D11_1DDIARG_CREATECRYPTOSESSION hw{D3D11_1DDI_CRYPTO_TYPE_AES128_CTR, GUID{},
                                             D3DWDDM2_0DDI_KEY_EXCHANGE_HW_PROTECTION};
  D3D11_1DDI_HCRYPTOSESSION session{};
  EXPECT_EQ(scene.device().create_crypto_session(&hw, &session), D3DDDIERR_UNSUPPORTEDCRYPTO);
  EXPECT_TRUE(scene.device().errors().empty());
}

TEST(D3d11Table, VoidEntryOnAnUnknownDeviceReportsNowhereAndChangesNothing) {
  Scene scene;
  // No device owns this memory, so there is no pfnSetErrorCb to call: the failure is only logged
  // — in particular it does not land on another device's callback.
  scene.device().calling_as(scene.unused_handle<D3D10DDI_HDEVICE>());
  Bytes number(16, 0xCD);
  EXPECT_EQ(scene.device().start_session_key_refresh(scene.session(), 16, number.data()), S_OK);
  EXPECT_EQ(number, Bytes(16, 0xCD));
  scene.device().calling_as(std::nullopt);
  EXPECT_TRUE(scene.device().errors().empty());
  // The session lives on, untouched.
  auto status = static_cast<D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS>(7);
  EXPECT_EQ(scene.device().check_crypto_session_status(scene.session(), &status), S_OK);
  EXPECT_EQ(status, D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS_OK);
}

TEST(D3d11Table, CreateDeviceChecksItsArguments) {
  conform::D3d11Runtime& runtime = shared_runtime();
  const CPDDI_D3D11_1_ADAPTERFUNCS& funcs = runtime.adapter_funcs();
  D3D10DDI_CORELAYER_DEVICECALLBACKS callbacks{};
  CPDDI_D3D11_1_DEVICEFUNCS device_funcs{};
  PFND3D10DDI_RETRIEVESUBOBJECT retrieve = nullptr;
  alignas(16) std::uint8_t memory[64] = {};
  CPDDI_D3D11_1_CREATEDEVICE create{};
  create.hDrvDevice.pDrvPrivate = memory;
  create.pUMCallbacks = &callbacks;
  create.pDeviceFuncs = &device_funcs;
  create.ppfnRetrieveSubObject = &retrieve;
  ASSERT_LE(funcs.pfnCalcPrivateDeviceSize(runtime.adapter(), &create), sizeof memory);
  // No pfnSetErrorCb: refused, nothing written.
  EXPECT_EQ(funcs.pfnCreateDevice(runtime.adapter(), &create), E_INVALIDARG);
  EXPECT_EQ(retrieve, nullptr);
  callbacks.pfnSetErrorCb = [](D3D10DDI_HRTCORELAYER, HRESULT) {};
  create.ErrorMode = static_cast<CPDDI_D3D11_1_ERROR_MODE>(2);
  EXPECT_EQ(funcs.pfnCreateDevice(runtime.adapter(), &create), E_INVALIDARG);
  create.ErrorMode = CPDDI_D3D11_1_ERROR_MODE_RUNTIME_SAFE;
  create.Flags = 0x2;
  EXPECT_EQ(funcs.pfnCreateDevice(runtime.adapter(), &create), E_INVALIDARG);
  EXPECT_EQ(retrieve, nullptr);
  create.Flags = CPDDI_D3D11_1_DEVICE_FLAG_BLOCK_INFO_ERRORS;
  ASSERT_EQ(funcs.pfnCreateDevice(runtime.adapter(), &create), S_OK);
  EXPECT_NE(retrieve, nullptr);
  // The same private memory cannot name a second device while the first lives.
  EXPECT_EQ(funcs.pfnCreateDevice(runtime.adapter(), &create), E_INVALIDARG);
  EXPECT_EQ(device_funcs.pfnDestroyDevice(create.hDrvDevice), S_OK);
  EXPECT_EQ(device_funcs.pfnDestroyDevice(create.hDrvDevice), E_INVALIDARG);
  EXPECT_TRUE(std::all_of(std::begin(memory), std::end(memory), [](std::uint8_t b) {
    return b == 0;
  })) << "cpddi keeps nothing in a device's private memory";
}

}  // namespace
}  // namespace cpddi::testing

/* cpddi — scalar types, GUID, HRESULT values and calling convention of the Direct3D DDI
 * (spec §2.1–§2.2), spelled as the WDK spells them so driver developers recognise every name.
 *
 * On Windows these come from <windows.h>; on every other host this header defines them with the
 * Windows widths: DWORD, UINT, BOOL, HRESULT and enums are 32 bits even on LP64 hosts, UINT64 is
 * 64 bits, HANDLE is pointer-sized. Nothing here allocates or has state; it is safe from any thread.
 */
#ifndef CPDDI_D3DDDI_TYPES_H_
#define CPDDI_D3DDDI_TYPES_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Calling convention and export macro ---- */

/* APIENTRY is __stdcall on 32-bit Windows; every other ABI has one calling convention. */
#ifndef APIENTRY
#if defined(_WIN32) && !defined(_WIN64)
#define APIENTRY __stdcall
#else
#define APIENTRY
#endif
#endif

#ifndef CPDDI_EXPORT
#if defined(_WIN32)
#define CPDDI_EXPORT __declspec(dllexport)
#else
#define CPDDI_EXPORT __attribute__((visibility("default")))
#endif
#endif

#ifndef CONST
#define CONST const
#endif

/* ---- Scalar types (spec §2.1) ---- */

#ifndef _WINDEF_
typedef void VOID;
typedef uint8_t BYTE;
typedef uint32_t UINT;
typedef uint32_t DWORD; /* must stay 32-bit on LP64 hosts, unlike `unsigned long` */
typedef int32_t BOOL;
typedef int32_t HRESULT;
typedef uint64_t UINT64;
typedef uint64_t ULONGLONG;
typedef void* HANDLE;
#endif

#ifndef GUID_DEFINED
#define GUID_DEFINED
/* Data1–Data3 are native (little-endian) integers, Data4 is a byte array: 16 bytes. */
typedef struct _GUID {
  uint32_t Data1;
  uint16_t Data2;
  uint16_t Data3;
  uint8_t Data4[8];
} GUID;
#endif

/* ---- HRESULT values (spec §2.2) ---- */

#define CPDDI_MAKE_HRESULT(code) ((HRESULT)(0x88760000u | (uint32_t)(code)))

#ifndef S_OK
#define S_OK ((HRESULT)0x00000000)
#endif
#ifndef E_FAIL
#define E_FAIL ((HRESULT)0x80004005)
#endif
#ifndef E_NOTIMPL
#define E_NOTIMPL ((HRESULT)0x80004001) /* never returned by cpddi */
#endif
#ifndef E_INVALIDARG
#define E_INVALIDARG ((HRESULT)0x80070057)
#endif
#ifndef E_OUTOFMEMORY
#define E_OUTOFMEMORY ((HRESULT)0x8007000E)
#endif

/* _FACD3DDDI == _FACD3D == 0x876, so each D3DDDIERR_X equals D3DERR_X of the same number. */
#define D3DDDIERR_WASSTILLDRAWING CPDDI_MAKE_HRESULT(540)
#define D3DDDIERR_NOTAVAILABLE CPDDI_MAKE_HRESULT(2154)
#define D3DDDIERR_INVALIDCALL CPDDI_MAKE_HRESULT(2156)
#define D3DDDIERR_DEVICEREMOVED CPDDI_MAKE_HRESULT(2160)
#define D3DDDIERR_UNSUPPORTEDCRYPTO CPDDI_MAKE_HRESULT(2174)
#define D3DDDIERR_OUTOFHWPROTECTEDMEMORY CPDDI_MAKE_HRESULT(2183)

#ifndef D3DERR_NOTAVAILABLE
#define D3DERR_WASSTILLDRAWING CPDDI_MAKE_HRESULT(540)
#define D3DERR_NOTAVAILABLE CPDDI_MAKE_HRESULT(2154)
#define D3DERR_INVALIDCALL CPDDI_MAKE_HRESULT(2156)
#define D3DERR_DEVICEREMOVED CPDDI_MAKE_HRESULT(2160)
#define D3DERR_CANNOTPROTECTCONTENT CPDDI_MAKE_HRESULT(2173)
#define D3DERR_UNSUPPORTEDCRYPTO CPDDI_MAKE_HRESULT(2174)
#endif

#ifndef SUCCEEDED
#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#endif
#ifndef FAILED
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPDDI_D3DDDI_TYPES_H_ */

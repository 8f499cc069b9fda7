/* Wine probe — what Debian's libwine-dev headers say about the names cpddi's public headers also
 * define, exported as plain tables so a test that includes only cpddi's headers can compare them.
 *
 * wine_probe.c is the only file that includes Wine's headers: Wine and cpddi both define GUID,
 * HRESULT, E_INVALIDARG, … so they cannot meet in one translation unit. Nothing here uses a
 * Windows type. Every row is keyed by the *cpddi* name it must equal; `wine_name` says which Wine
 * name (or expression) the value was taken from, so one cpddi name may be checked against several
 * Wine twins (e.g. D3DCPCAPS_SOFTWARE against D3D11_CONTENT_PROTECTION_CAPS_SOFTWARE).
 */
#ifndef CPDDI_TESTS_ABI_WINE_PROBE_H_
#define CPDDI_TESTS_ABI_WINE_PROBE_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An integer constant (macro or enumerator), widened to int64_t from its own type. */
typedef struct WineProbeConstant {
  const char* name;      /* the cpddi name */
  const char* wine_name; /* where the value comes from in Wine's headers */
  int64_t value;
} WineProbeConstant;

/* A GUID as it lies in memory (Data1–Data3 little-endian on x86, then Data4). */
typedef struct WineProbeGuid {
  const char* name;
  const char* wine_name;
  uint8_t bytes[16];
} WineProbeGuid;

/* The layout of a type: one row per field, plus one row with field "" for the whole type (its
 * size and alignment). For field rows `size` is sizeof the field and `align` is unused (0). */
typedef struct WineProbeLayout {
  const char* type;      /* the cpddi type name */
  const char* field;     /* the cpddi field name, or "" for the whole type */
  const char* wine_name; /* "WineType" or "WineType.wine_field" */
  size_t offset;
  size_t size;
  size_t align;
} WineProbeLayout;

const WineProbeConstant* wine_probe_constants(size_t* count);
const WineProbeGuid* wine_probe_guids(size_t* count);
const WineProbeLayout* wine_probe_layouts(size_t* count);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPDDI_TESTS_ABI_WINE_PROBE_H_ */

#pragma once

// DDI glue — the edge between the WDK's C structs and cpddi's core. Each entry point checks what
// is the glue's to check, translates D3DDDIARG_* into the core's small types, calls one method,
// and maps the typed Error to the front end's HRESULT. This file is the one place exceptions are
// caught, shared by every front end. Depends on everything below it; nothing depends on it.
// Threading: entry points take the device lock (objects.h).

#include <new>

#include "base/log.h"
#include "base/result.h"
#include "cpddi/d3dddi_types.h"

namespace cpddi::ddi {

using HresultMap = HRESULT (*)(Errc);

// Runs one entry point's body: traces the call, logs a failure's reason at debug level, maps it
// with `map`, and turns an escaping exception into E_OUTOFMEMORY / E_FAIL instead of letting it
// cross the C ABI.
template <class Body>
HRESULT run_entry(const char* entry, HresultMap map, Body&& body) noexcept {
  try {
    logging::trace(entry);
    Result<void> result = body();
    if (result) {
      return S_OK;
    }
    const HRESULT hr = map(result.error().code);
    logging::debug(entry, ": ", result.error().reason);
    return hr;
  } catch (const std::bad_alloc&) {
    logging::debug(entry, ": out of memory");
    return E_OUTOFMEMORY;
  } catch (...) {
    logging::error(entry, ": unexpected exception");
    return E_FAIL;
  }
}

}  // namespace cpddi::ddi

#pragma once

// The one place exceptions are caught, shared by every front end (CONVENTIONS §4): an entry's body
// runs here, and nothing it throws crosses the C ABI. Component overview: ddi.h.

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

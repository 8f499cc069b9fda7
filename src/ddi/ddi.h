#pragma once

// DDI — the edge between a Direct3D DDI's C structs and cpddi's core. Each front end
// (src/ddi/d3d9/ today, src/ddi/d3d11_1/ next) owns exactly three things per entry point: it
// checks and translates its DDI's structs into the runtime's core types (runtime/arguments.h),
// encodes handles (runtime/names.h), and reports the typed Error in its DDI's way — an HRESULT
// return in D3D9, pfnSetErrorCb for D3D11.1's void entries — making one call into the runtime in
// between. No registry, lock, wait or teardown logic lives here. This header is the map of what
// every front end shares and defines nothing itself: guard.h (the one place exceptions are
// caught), enum_value.h (reading caller enums safely), guid.h (GUID comparisons), spans.h
// (caller buffers as spans), adapter_options.h (CPDDI_ADAPTER_OPTIONS → the runtime's config),
// hresult_names.h (ABI vocabulary).
//
// May depend on the runtime and everything below it, and on the public C ABI headers
// (include/cpddi). Nothing in src/ depends on a front end. Threading: front ends hold no state of
// their own; the runtime serialises calls per device.

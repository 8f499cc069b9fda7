#pragma once

// Base — what every component shares: the typed error (result.h: Errc, Error, Result<T>),
// logging (log.h) and two arithmetic helpers (align.h, big_endian.h). This header is the
// component's map and defines nothing itself; include the header of what you use.
//
// Owns: nothing with state except the log sink and level (log.cpp). May depend on the standard
// library and the two C-ABI headers that name no Direct3D type (cpddi/expected.hpp,
// cpddi/cpddi_log.h) — the build gives it nothing else. Never touches OpenSSL, a D3DDDIARG_*
// struct, an HRESULT or any other component. Threading: everything here is thread-safe (the log
// sink takes its own lock; the rest has no state).

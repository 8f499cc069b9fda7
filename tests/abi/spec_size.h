#pragma once

// CPDDI_SPEC_SIZE(x86, x64): the spec's size for the host being built. The x86 column is asserted
// under __i386__ (i386 System V lays cpddi's structs out as Windows x86 does: they hold only
// 4-byte scalars, pointers and GUIDs, and the 64-bit members are aligned explicitly).

#if defined(__x86_64__) || defined(_M_X64)
#define CPDDI_SPEC_SIZE(x86, x64) (x64)
#elif defined(__i386__) || defined(_M_IX86)
#define CPDDI_SPEC_SIZE(x86, x64) (x86)
#else
#error "the spec gives sizes for x86 and x64 only"
#endif

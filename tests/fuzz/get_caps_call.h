#pragma once

// GetCaps with fuzzed Type, pInfo contents, DataSize and null pointers (spec §3, A34, A35), checked
// against the application's model: shared by get_caps_fuzzer (one call per input) and the
// stateful ddi_sequence_fuzzer (one call among others).

#include "fuzz_support.h"

namespace cpddi::fuzz {

// Input: [adapter-handle choice] [Type choice (+ raw u32)] [pInfo: null?, chosen GUIDs and
// certificate type] [pData: null?, DataSize choice (+ raw)] [null struct]. The handle is `a`'s,
// null, `wrong_kind` (a live handle of another kind) or garbage.
// Invariants: only documented codes; exactly the model's outcome; on success the answer is the
// adapter's (caps of its profile, the certificate size and bytes); on failure pData is untouched,
// and bytes past the answer are never written.
void fuzz_get_caps(const Adapter& a, HANDLE wrong_kind, ByteReader& in);

}  // namespace cpddi::fuzz

#pragma once

// cpddi::wire — what both sides of the DDI must compute the same way, written once: the layout
// of a surface's processed bytes (spec A16: rows per format, L = pitch × rows), the AES-CTR
// counter block's encoding (spec §7.1), and the authenticated channel's messages (spec §2.8,
// §5.6–§5.9: GUIDs, offsets, exact sizes per GUID, OMAC ranges; channel_messages.h). The driver
// (device/, session/, channel/) and every application-side client (src/app, conform/, the
// tests, fuzz targets and benchmarks) use these definitions, so a change to the wire format
// changes both sides together. The ciphers, the key wrap and the
// refresh XOR are written once in crypto/ (aes.h, secret_bytes.h).
//
// Dependencies: crypto (the CounterBlock type), base. No Direct3D type appears here: a front end
// maps its format codes with surface_format_from_d3dddi.

#include "wire/channel_messages.h"
#include "wire/counter_block.h"
#include "wire/surface_layout.h"

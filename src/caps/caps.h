#pragma once

// Caps — what an adapter announces: the content-protection caps of spec §3 with cpddi's defaults
// (content_protection_caps.h) and the driver identity, an RSA-2048 key with its certificate
// chain, plus which certificate a GetCaps query gets (driver_identity.h, spec §7.7). This header
// is the component's map and defines nothing itself; include the header of what you use.
//
// May depend on crypto/ and base/; never sees a DDI struct (the front ends translate GUIDs and
// fill D3DCONTENTPROTECTIONCAPS), a device or a session. Threading: identities and caps are
// immutable after creation and shared freely between threads.

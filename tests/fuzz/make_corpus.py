#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/<target>_corpus/).

Each seed is a small input that takes its target down one meaningful path: a valid call, each
argument broken in turn, each session state. The byte layouts follow the decoders documented at
the top of each target. Deterministic: re-running rewrites the same files.
Usage: tests/fuzz/make_corpus.py
"""
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
KEY = bytes(range(16))
KEY2 = bytes(range(0xF0, 0x100))


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v)


def iv_be(v, count=0):
    return struct.pack(">QQ", v, count)


def write(target, seeds):
    directory = os.path.join(HERE, target + "_corpus")
    os.makedirs(directory, exist_ok=True)
    # Inputs libFuzzer merged in (scripts/fuzz-long.sh: named by their SHA-1) are kept.
    for name in os.listdir(directory):
        if not re.fullmatch(r"[0-9a-f]{40}", name):
            os.remove(os.path.join(directory, name))
    for name, data in seeds.items():
        with open(os.path.join(directory, name), "wb") as f:
            f.write(bytes(data))


# [profile] [keyed-before] [mode] …
write("key_exchange_fuzzer", {
    "wrap-valid-key": [0, 0, 1] + list(KEY),
    "wrap-valid-key-over-old": [1, 1, 1] + list(KEY2),
    "wrap-15-bytes": [2, 1, 1] + list(KEY[:15]),
    "wrap-empty": [0, 0, 1],
    "raw-256-zero": [0, 0, 0] + list(u16(256)) + [0] + [0] * 256,
    "raw-256-above-modulus": [0, 1, 0] + list(u16(256)) + [0] + [0xFF] * 256,
    "raw-null-data": [0, 0, 0] + list(u16(256)) + [1],
    "raw-size-zero": [1, 0, 0] + list(u16(0)) + [0],
    "corrupt-byte-0": [0, 1, 2, 0, 0x80] + list(KEY),
    "corrupt-last-byte": [0, 0, 2, 255, 0x01] + list(KEY),
    "resize-255": [0, 1, 3] + list(u16(255)) + list(KEY) + [0],
    "resize-512": [2, 0, 3] + list(u16(512)) + list(KEY) + [0x11],
})

# Surfaces: [format choice] [width] [height] [pool choice] [restricted] [memory choice] (+ caller
# memory: [pitch delta] [minus-4 flag] [misalign flag] ([offset]))
SRC = [0, 16, 4, 0, 0, 0]            # X8R8G8B8 16×4, system memory, driver-owned
DST = [0, 16, 4, 1, 1, 0]            # X8R8G8B8 16×4, video memory, RestrictedContent
SRC_CALLER = [0, 16, 4, 0, 0, 1, 0, 0, 0]
SRC_MISALIGNED = [0, 16, 4, 0, 0, 1, 0, 0, 1, 4]
NV12_SRC = [2, 16, 4, 0, 0, 0]
NV12_DST = [2, 16, 4, 1, 1, 0]
CIPHERTEXT = list(range(256))


def blt(profile=0, keyed=True, prior=None, src=SRC, dst=DST, handles=(0, 0), sub=0,
        size_choice=0, block=None, key_choice=0, iv=iv_be(1), null_struct=0):
    out = [profile, 1 if keyed else 0]
    if keyed:
        out += list(KEY)
        out += [1, prior] if prior is not None else [0]
    out += src + dst + list(handles) + [sub, size_choice]
    if size_choice % 7 == 6:
        out += list(u32(4096))
    if block is None:
        out += [0]
    else:
        out += [1] + list(u16(block[0]) + u16(block[1]) + u16(block[2]))
    out += [key_choice]
    if key_choice % 3:
        out += list(KEY2)
    out += [1] if iv is None else [0] + list(iv)
    out += [null_struct]
    return out + CIPHERTEXT


write("decryption_blt_fuzzer", {
    "valid": blt(),
    "valid-readback-session-key": blt(profile=1),
    "valid-minimal-caps": blt(profile=2),
    "no-key": blt(keyed=False),
    "pattern-1-9": blt(block=(16, 144, 16)),
    "pattern-cenc": blt(block=(0, 16 * 9, 16)),
    "pattern-without-cap": blt(profile=2, block=(16, 16, 16)),
    "pattern-all-clear": blt(profile=2, block=(0, 0, 0)),
    "content-key-wrapped": blt(key_choice=1),
    "content-key-raw": blt(key_choice=2),
    "content-key-without-cap": blt(profile=2, key_choice=1),
    "iv-replay": blt(prior=5, iv=iv_be(5)),
    "iv-greater": blt(prior=5, iv=iv_be(6, 3)),
    "iv-null": blt(iv=None),
    "size-too-small": blt(size_choice=3),
    "size-not-multiple": blt(size_choice=4),
    "size-raw": blt(size_choice=6),
    "caller-memory-source": blt(src=SRC_CALLER),
    "misaligned-source": blt(src=SRC_MISALIGNED),
    "nv12": blt(src=NV12_SRC, dst=NV12_DST),
    "swapped-surfaces": blt(handles=(13, 13)),
    "session-as-resource": blt(handles=(14, 0)),
    "same-surface": blt(handles=(0, 13)),
    "subresource-1": blt(sub=240),
    "null-struct": blt(null_struct=0xFF),
    "protected-source": blt(src=DST),
})


# [profile] [handle] [type] [type override] [null info] [guid …] [decode flag] [cert type]
# [override] [channel] [size choice] [null data] [null struct]
def caps(profile=0, handle=0, type_index=0, raw_type=None, null_info=0, guid=0, decode=None,
         cert=2, size_choice=0, null_data=0, null_struct=0):
    out = [profile, handle, type_index]
    out += [240] + list(u32(raw_type)) if raw_type is not None else [0]
    out += [null_info, guid]
    if guid == 3:
        out += list(KEY)
    out += [0] if decode is None else [1, decode]
    out += [cert, 0, 0, 0, size_choice]
    if size_choice == 4:
        out += list(u16(100))
    return out + [null_data, null_struct]


write("get_caps_fuzzer", {
    "protection-caps": caps(),
    "protection-caps-union": caps(guid=1),
    "protection-caps-minimal": caps(profile=2),
    "protection-caps-decode-profile": caps(decode=0),
    "protection-caps-proprietary": caps(guid=2),
    "protection-caps-small": caps(size_choice=1),
    "certificate-size": caps(type_index=1),
    "certificate": caps(type_index=2),
    "certificate-x509-leaf": caps(profile=1, type_index=2),
    "certificate-small": caps(type_index=2, size_choice=1),
    "certificate-channel": caps(type_index=2, cert=1),
    "certificate-null-data": caps(type_index=2, null_data=250),
    "unknown-type": caps(raw_type=7),
    "null-info": caps(null_info=250),
    "null-struct": caps(null_struct=0xFF),
    "device-handle": caps(handle=6),
    "null-handle": caps(handle=5),
})


# [profile] [state] [size choice] [size override] [null buffer] [null struct] [rng] [key]
def keyed_call(profile=0, state=1, size_choice=0, null_buffer=0, null_struct=0, rng=0):
    return [profile, state, size_choice, 0, null_buffer, null_struct, rng] + list(KEY)


SINGLE = {
    "keyed": keyed_call(),
    "keyed-again": keyed_call(state=2),
    "no-key": keyed_call(state=0),
    "destroyed": keyed_call(state=3),
    "size-0": keyed_call(size_choice=3),
    "size-15": keyed_call(size_choice=4),
    "size-32": keyed_call(size_choice=6),
    "null-buffer": keyed_call(null_buffer=230),
    "null-struct": keyed_call(null_struct=0xFF),
    "rng-failure": keyed_call(rng=230),
    "readback-session-key": keyed_call(profile=1),
    "minimal-caps": keyed_call(profile=2),
}
write("get_encryption_blt_key_fuzzer", SINGLE)
write("start_session_key_refresh_fuzzer", SINGLE)

# ddi_sequence_fuzzer: [profile] then [call] [arguments …] per call (ddi_sequence_calls.cpp).
CREATE_SESSION, DESTROY_SESSION, KEY_EXCHANGE = 0, 1, 2
START, FINISH, REFRESH_ROUND, GET_KEY = 4, 5, 6, 8
DECRYPT, ENCRYPT, CREATE_RESOURCE, DESTROY_RESOURCE = 9, 11, 12, 14
LOCK, UNLOCK, GET_PITCH, DESTROY_DEVICE, CREATE_DEVICE = 15, 16, 17, 18, 19
CHANNEL, VERIFY, ARM_RNG = 20, 21, 22
GET_CAPS, CLOSE_ADAPTER, OPEN_ADAPTER, FLUSH = 23, 24, 25, 26
CREATE_CHANNEL, CHANNEL_EXCHANGE, CONFIGURE, QUERY, DESTROY_CHANNEL = 27, 28, 29, 31, 33
OPEN_CHANNEL = 34


def session(slot, device=0):
    return [CREATE_SESSION, device, slot, 0, 0, 0]


def exchange(slot, key=KEY):
    return [KEY_EXCHANGE, slot, 0, 0] + list(key)


def resource(slot, surface, device=0):
    return [CREATE_RESOURCE, device, slot] + surface


def decrypt(session_slot, src, dst, iv_choice=2, key_choice=0, block=None):
    out = [DECRYPT, session_slot, 0, src, dst, 0, 0]
    out += [0] if block is None else [192] + list(block)
    out += [key_choice] + (list(KEY2) if key_choice >= 224 else [])
    return out + [iv_choice]


def encrypt(session_slot, src, dst):
    return [ENCRYPT, session_slot, 0, src, dst, 0, 0, 0]


# Authenticated channels (ddi_sequence_channels.cpp). A channel is named by [slot + 16·handle
# choice (13 wrong kind, 14 null, 15 garbage)] [device: 0 its own, 6 the other, 7 null]; a number
# by [0 in order, 4 gap (+1+u8), 5 replay (−1−u8%4), 6 start value, 7 0xFFFFFFFF, 8 raw u32].
SEQ_NEXT, SEQ_START, SEQ_LAST = [0], [6], [7]


def seq_gap(n):
    return [4, n]


def seq_replay(n=0):
    return [5, n]


def create_channel(slot, device=0, type_choice=0):
    return [CREATE_CHANNEL, device, slot, type_choice]


def channel_exchange(slot, key=KEY, mode=0, name=0):
    return [CHANNEL_EXCHANGE, slot + 16 * name, 0, mode] + list(key)


def configure(slot, kind, payload, seq=SEQ_NEXT, size=0, signing=0, name=0):
    """kind: 0 INITIALIZE, 1 PROTECTION, 2 CRYPTOSESSION, 3 SHAREDRESOURCE; signing 0 the
    channel's key, 224 another key (16 bytes follow), 240 unsigned."""
    tail = [size, signing] + (list(KEY2) if 224 <= signing < 240 else [])
    return [CONFIGURE, slot + 16 * name, 0, kind] + seq + payload + tail


def initialize(slot, start_query, start_configure, **kw):
    return configure(slot, 0, [0] + list(u32(start_query)) + [0] + list(u32(start_configure)),
                     **kw)


def protection(slot, flags, **kw):
    return configure(slot, 1, [flags], **kw)


def bind(slot, decoder, session_slot, device_choice=0, **kw):
    return configure(slot, 2, [decoder, session_slot, device_choice], **kw)


def shared(slot, type_choice, process, allow, **kw):
    """type_choice 0 DWM, 1 a process handle."""
    return configure(slot, 3, [type_choice, process, allow], **kw)


def query(slot, kind, seq=SEQ_NEXT, decoder=None, in_size=0, out_size=0, name=0):
    """kind: 0 PROTECTION, 1 CHANNELTYPE, 2 DEVICEHANDLE, 3 CRYPTOSESSION, 4 process count."""
    return ([QUERY, slot + 16 * name, 0, kind] + seq + ([decoder] if kind == 3 else []) +
            [in_size, out_size])


def destroy_channel(slot, name=0):
    return [DESTROY_CHANNEL, slot + 16 * name, 0]


CHANNEL_UP = create_channel(0) + channel_exchange(0) + initialize(0, 1000, 2000)

SYS = [0, 16, 4, 0, 0, 0]
PROT = [0, 16, 4, 1, 1, 0]
HAPPY = (session(0) + exchange(0) + resource(0, SYS) + resource(1, PROT) + resource(2, SYS) +
         [LOCK, 0, 0, 0, 0x41, UNLOCK, 0, 0, 0] + decrypt(0, 0, 1) + [GET_KEY, 0, 0, 0] +
         encrypt(0, 1, 2) + encrypt(0, 1, 2) + [REFRESH_ROUND, 0, VERIFY, 0] +
         decrypt(0, 0, 1) + [GET_PITCH, 0, 0, 1, 0, DESTROY_SESSION, 0, 0, 0])
write("ddi_sequence_fuzzer", {
    "happy-path": [0] + HAPPY,
    "happy-path-readback-session-key": [1] + HAPPY,
    "happy-path-minimal": [2] + HAPPY,
    "refresh-steps": [0] + session(0) + exchange(0) + [START, 0, 0, 0, START, 0, 0, 0,
                                                       FINISH, 0, 0, FINISH, 0, 0, VERIFY, 0],
    "finish-other-session": [0] + session(0) + session(1) + exchange(0) + exchange(1, KEY2) +
                            [START, 0, 0, 0, FINISH, 1, 0, FINISH, 0, 0, VERIFY, 1],
    "blob-replay": [0] + session(0) + session(1) + exchange(0) + [KEY_EXCHANGE, 1, 0, 2, VERIFY, 1],
    "content-keys-and-patterns": [0] + session(0) + exchange(0) + resource(0, SYS) +
                                 resource(1, PROT) + decrypt(0, 0, 1, key_choice=224) +
                                 decrypt(0, 0, 1, key_choice=225) +
                                 decrypt(0, 0, 1, block=(16, 16, 16)) +
                                 decrypt(0, 0, 1, iv_choice=0),
    "destroyed-device": [0] + session(0, device=1) + exchange(0) + resource(0, PROT, device=1) +
                        [DESTROY_DEVICE, 1, START, 0, 0, 0, DESTROY_DEVICE, 1, CREATE_DEVICE, 1] +
                        session(1, device=1) + exchange(1) + [VERIFY, 1],
    "rng-failures": [0] + session(0) + exchange(0) + resource(0, PROT) + resource(1, SYS) +
                    [ARM_RNG, START, 0, 0, 0, ARM_RNG, GET_KEY, 0, 0, 0, ARM_RNG] +
                    encrypt(0, 0, 1) + [GET_KEY, 0, 0, 0] + encrypt(0, 0, 1) + [VERIFY, 0],
    "rng-failure-first-readback-iv": [1] + session(0) + exchange(0) + resource(0, PROT) +
                                     resource(1, SYS) + [ARM_RNG] + encrypt(0, 0, 1) +
                                     encrypt(0, 0, 1) + [VERIFY, 0],
    "locks-and-channels": [0] + resource(0, SYS) + resource(1, PROT) +
                          [LOCK, 0, 1, 0, 1, LOCK, 0, 0, 0, 1, LOCK, 0, 0, 0, 2, UNLOCK, 0, 0, 0,
                           UNLOCK, 0, 0, 0, DESTROY_RESOURCE, 0, 0, DESTROY_RESOURCE, 0, 0,
                           CHANNEL, 0, 0, CHANNEL, 0, 2, 4, 1, 2, 3, 4],
    "session-cap": [2] + session(0) + session(1) + session(2) + [DESTROY_SESSION, 0, 0, 0] +
                   session(3),
    # GetCaps: valid content-protection caps, then the certificate size on a null handle;
    # CloseAdapter on null and on a device; OpenAdapter with a null struct, a wrong StructSize and
    # a BltThreadsPerDevice above 256; Flush on a live and on a destroyed device.
    "adapter-calls": [0, GET_CAPS] + [0] * 14 + [GET_CAPS, 0, 5, 1] + [0] * 11 +
                     [CLOSE_ADAPTER, 0, CLOSE_ADAPTER, 1, 0] +
                     [OPEN_ADAPTER, 0] + [0] * 15 +
                     [OPEN_ADAPTER, 2] + [0] * 15 + [7, 0, 0, 0] +
                     [OPEN_ADAPTER, 6] + [0] * 15 + [1, 0] +
                     [FLUSH, 0, DESTROY_DEVICE, 1, FLUSH, 1],
    "protected-pool": [2] + resource(0, [0, 16, 40, 1, 1, 0]) + resource(1, [0, 16, 30, 1, 1, 0]) +
                      [DESTROY_RESOURCE, 0, 0] + resource(1, [0, 16, 30, 1, 1, 0]),
    # A channel made, keyed and initialised; PROTECTION on and off read back; its type and
    # device; destroyed, then named by its stale handle; a hardware channel refused.
    "channel-lifecycle": [0] + CHANNEL_UP + query(0, 0) + protection(0, 3) + query(0, 0) +
                         protection(0, 0) + query(0, 0) + query(0, 1) + query(0, 2) +
                         destroy_channel(0) + query(0, 0) + destroy_channel(0) +
                         create_channel(1, type_choice=129),
    # open_channel on device 1 (create, key, INITIALIZE with start values 5 and 9 in one call).
    "channel-open-on-device-1": [0] + [OPEN_CHANNEL, 1, 2] + list(KEY) + list(u32(5)) +
                                list(u32(9)) + protection(2, 1) + query(2, 0) + query(2, 2) +
                                [DESTROY_DEVICE, 1] + query(2, 0),
    "channel-lifecycle-minimal": [2] + CHANNEL_UP + protection(0, 1) + query(0, 0) +
                                 [DESTROY_DEVICE, 0] + query(0, 0) + create_channel(0),
    # Numbers in order, a gap, a replay, the start value, the last one (then exhausted), for
    # queries and configures; a second INITIALIZE; keys after INITIALIZE and before it.
    "channel-sequence-numbers": [0] + create_channel(0) + channel_exchange(0) +
                                channel_exchange(0, KEY2) + query(0, 0) +
                                initialize(0, 1000, 2000) + query(0, 0) + query(0, 0, seq_gap(5)) +
                                query(0, 0, seq_replay()) + query(0, 0, SEQ_START) +
                                query(0, 0, SEQ_LAST) + query(0, 0) +
                                protection(0, 1, seq=seq_gap(9)) + protection(0, 0, seq=seq_replay()) +
                                protection(0, 1, seq=SEQ_START) + initialize(0, 5, 5) +
                                protection(0, 2, seq=SEQ_LAST) + protection(0, 0) + query(0, 0) +
                                channel_exchange(0),
    # Bindings to a live session, a foreign one (device 1), a destroyed one; read back; a bad
    # MAC, an unsigned configure, a wrong size, a reserved protection bit.
    "channel-crypto-session": [0] + session(0) + exchange(0) + session(1, device=1) + CHANNEL_UP +
                              bind(0, 0, 0) + query(0, 3, decoder=0) + bind(0, 1, 1) +
                              query(0, 3, decoder=1) + bind(0, 2, 0, device_choice=3) +
                              [DESTROY_SESSION, 0, 0, 0] + query(0, 3, decoder=0) +
                              bind(0, 0, 0) + protection(0, 1, signing=224) +
                              protection(0, 1, signing=240) + protection(0, 1, size=241) +
                              protection(0, 0xF1) + query(0, 0, out_size=240),
    # Two channels share the process list: a grant outlives its channel; only the granting
    # live channel may revoke; the count reads it back.
    "channel-shared-resource": [0] + CHANNEL_UP + create_channel(1) + channel_exchange(1, KEY2) +
                               initialize(1, 7, 7) + shared(0, 0, 0, 1) + shared(0, 1, 2, 1) +
                               query(0, 4) + shared(1, 0, 0, 0) + protection(1, 1) +
                               destroy_channel(1) + query(0, 0) + shared(0, 1, 2, 0) +
                               shared(0, 1, 3, 0) + shared(0, 1, 0, 1) + query(0, 4),
})

# [stage 0 created / 1 keyed / 2 initialised] [1 query / 0 configure] [GUID choice: 0–12 queries,
# 13–17 configures, else 16 raw bytes] [sequence: 0 start, 1 start−1, 2 start+u8, 3 raw u32]
# [handle: 0 null, 1 session, 2 raw u64, 3 the channel] [input size delta] [output size delta]
# [signing: 0 sign, 1 unsigned, 2 sign then flip] [flip offset] [payload bytes]


def channel_seed(stage, query, guid, seq=(0,), handle=(3,), deltas=(0, 0), signing=0, flip=0,
                 payload=b""):
    return [stage, query, *guid, *seq, *handle, *deltas, signing, flip, *payload]


write("channel_payload_fuzzer", {
    "query-protection": channel_seed(2, 1, [0]),
    "query-output-id-count": channel_seed(2, 1, [7], payload=bytes(64)),
    "query-output-id": channel_seed(2, 1, [8], payload=bytes(range(80))),
    "query-unknown-guid": channel_seed(2, 1, [19] + list(range(16))),
    "query-replayed-number": channel_seed(2, 1, [0], seq=(1,)),
    "query-skips-ahead": channel_seed(2, 1, [2], seq=(2, 200)),
    "query-exhausting-number": channel_seed(2, 1, [0], seq=(3,) + tuple(u32(0xFFFFFFFF))),
    "query-input-short": channel_seed(2, 1, [0], deltas=(0xFF, 0)),
    "query-output-long": channel_seed(2, 1, [0], deltas=(0, 8)),
    "query-output-tiny": channel_seed(2, 1, [0], deltas=(0, 0xE8)),
    "query-session-handle": channel_seed(2, 1, [0], handle=(1,)),
    "query-garbage-handle": channel_seed(2, 1, [0], handle=(2,) + tuple(range(8))),
    "query-uninitialised": channel_seed(1, 1, [0]),
    "query-no-key": channel_seed(0, 1, [0]),
    "configure-protection": channel_seed(2, 0, [14], payload=bytes(48) + u32(1)),
    "configure-bad-mac": channel_seed(2, 0, [14], signing=2, flip=20),
    "configure-unsigned": channel_seed(2, 0, [15], signing=1),
    "configure-initialize-again": channel_seed(2, 0, [13]),
    "configure-initialize": channel_seed(1, 0, [13], payload=bytes(48) + u32(5) + u32(9)),
    "configure-shared-resource": channel_seed(2, 0, [16], payload=bytes(48) + u32(1)),
    "configure-size-over": channel_seed(2, 0, [14], deltas=(4, 0)),
    "configure-no-key": channel_seed(0, 0, [13]),
    "configure-unknown-guid": channel_seed(2, 0, [19] + list(range(16, 32))),
})

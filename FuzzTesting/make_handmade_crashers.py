#!/usr/bin/env python3
"""Writes the hand-made hostile inputs of Tests/SkinnyWireTests/FuzzCrashers/ (run once; the files are in git).

Format: byte 0 an extra protocol version, byte 1 decoder settings (bits 0-2 maximum-length index, bits 3-7 >= 16:
chunks of value-15 bytes), then the SCCP stream (Tests/SkinnyWireTests/Fuzzing/SkinnyFuzzInput.swift).
"""
import os
import struct
import sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "SkinnyWireTests", "FuzzCrashers")


def frame(message_id, body=b"", header_version=0):
    return struct.pack("<III", 4 + len(body), header_version, message_id) + body


def write(name, payload, version=0, settings=0):
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([version, settings]) + payload)


ids = list(range(0x0000, 0x0201)) + list(range(0x8000, 0x8010))
write("empty", b"")
write("length-0", struct.pack("<II", 0, 0) + b"\0" * 8)
write("length-3", struct.pack("<III", 3, 0, 0))
write("length-2-pow-31", struct.pack("<II", 1 << 31, 0) + b"\0" * 16)
write("length-ffffffff", struct.pack("<II", 0xFFFFFFFF, 0) + b"\0" * 16)
write("length-ffffffff-header-ffffffff-maximum-4", struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF), settings=1)
write("length-above-maximum-12", frame(0x0001, b"SEP0011223344\0\0\0" + b"\0" * 20), settings=2)
# CapabilitiesRes (0x0010) whose count claims 2^32-1 entries (the bug class of CVE-2007-4280), then two entries.
capabilities = (struct.pack("<III", 4, 40, 0) + b"\0" * 4) * 2
write("capabilities-res-count-ffffffff", frame(0x0010, struct.pack("<I", 0xFFFFFFFF) + capabilities), version=11)
write("capabilities-res-count-19", frame(0x0010, struct.pack("<I", 19) + b"\0" * 16 * 18), version=17)
# Register cut off inside the device name, inside the IP address, and just before protocolVer.
write("register-truncated-bodies",
      frame(1, b"SEP0011") + frame(1, b"SEP001122334455\0" + b"\x0a\0") + frame(1, b"SEP001122334455\0" + b"\0" * 24),
      version=22)
# A frame whose length promises 100 bytes; the connection ends after 20.
write("truncated-at-eof", struct.pack("<III", 100, 0, 0x0111) + b"\1" * 8)
# Every id 0x0000-0x0200 and 0x8000-0x800F: empty bodies fed a byte at a time; 3-byte bodies; 120 bytes of 0xFF (every
# count and length at its maximum); 150 bytes of 'A' with no NUL and header version 22.
write("every-id-empty-body", b"".join(frame(i) for i in ids), version=255, settings=16 << 3)
write("every-id-3-byte-body", b"".join(frame(i, b"\xff\xff\xff") for i in ids), version=12)
write("every-id-ff-body", b"".join(frame(i, b"\xff" * 120) for i in ids), version=18, settings=31 << 3)
write("every-id-no-nul", b"".join(frame(i, b"A" * 150, header_version=22) for i in ids), version=22, settings=20 << 3)
# Alarm (0x0020) text that is UTF-8 for a Latin-1 letter and a letter above U+00FF ("é€"), and UTF-8 whose Latin-1
# re-encoding is itself UTF-8 ("Ã©" -> C3 A9 -> "é"): both broke decode -> encode -> decode in SkinnyText.
alarm = lambda text: frame(0x0020, struct.pack("<I", 2) + text + b"\0" * (80 - len(text)) + struct.pack("<II", 0, 0))
write("alarm-text-latin1-and-utf8", alarm("é€".encode("utf-8")), version=17)
write("alarm-text-utf8-of-latin1-that-is-utf8", alarm("Ã©".encode("utf-8")), version=17)
# EnblocCall (0x0004) at v18+: line 0xFFFFFFFF packed at 25 (the "u32 at 28, else 25" rule read its top byte, 0xFF);
# 0xFFFFFFFF aligned at 28, which that rule read right but then re-encoded packed and so read back as 0xFF; line 1
# aligned at 28 (an 8945); and line 0xFF000001 packed with 0xFF pad bytes after it.
number = b"5551234" + b"\0" * 18
write("enbloc-call-line-forms",
      frame(4, number + b"\xff\xff\xff\xff\0\0\0", 18) + frame(4, number + b"\0\0\0\xff\xff\xff\xff", 18)
      + frame(4, number + b"\0\0\0\1\0\0\0", 18) + frame(4, number + b"\1\0\0\xff\xff\xff\xff", 18), version=20)

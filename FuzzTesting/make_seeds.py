#!/usr/bin/env python3
"""Writes libFuzzer seed inputs for FuzzSkinnyWire from real SCCP captures.

Each seed is the fuzz input format of Tests/SkinnyWireTests/Fuzzing/SkinnyFuzzInput.swift: byte 0 an extra protocol
version, byte 1 the decoder settings (0: default maximum, whole stream at once), then SCCP bytes. Sources:
- cucm_frames.json: hex frames of real CUCM 3.1/3.3/4.1 sessions (pyskinny fixtures): one seed per frame and one
  per session with all its frames in order;
- *.pcap / *.pcapng: the TCP payload of each direction of each connection to or from port 2000, one seed per
  segment and one per direction.
"""
import argparse
import hashlib
import json
import os
import struct
import sys


def write_seed(out, payload, version=0, settings=0):
    data = bytes([version & 0xFF, settings & 0xFF]) + payload
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def seeds_from_json(path, out):
    count = 0
    with open(path) as f:
        sessions = json.load(f)
    for frames in sessions.values():
        ordered = [bytes.fromhex(frames[k]) for k in sorted(frames, key=lambda k: int(k) if k.isdigit() else 0)]
        for frame in ordered:
            write_seed(out, frame)
            count += 1
        write_seed(out, b"".join(ordered))
        count += 1
    return count


def packets_pcapng(data):
    """Yields (linktype, packet bytes) of every Enhanced or Simple Packet Block."""
    offset, endian, linktypes = 0, "<", []
    while offset + 12 <= len(data):
        block_type = struct.unpack_from(endian + "I", data, offset)[0]
        if block_type == 0x0A0D0D0A:
            endian = "<" if data[offset + 8:offset + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            linktypes = []
        length = struct.unpack_from(endian + "I", data, offset + 4)[0]
        if length < 12:
            return
        body = data[offset + 8:offset + length - 4]
        if block_type == 0x00000001:
            linktypes.append(struct.unpack_from(endian + "H", body, 0)[0])
        elif block_type == 0x00000006:
            interface, _, _, captured, _ = struct.unpack_from(endian + "IIIII", body, 0)
            yield (linktypes[interface] if interface < len(linktypes) else 1), body[20:20 + captured]
        offset += length


def packets_pcap(data):
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    linktype = struct.unpack_from(endian + "I", data, 20)[0]
    offset = 24
    while offset + 16 <= len(data):
        captured = struct.unpack_from(endian + "I", data, offset + 8)[0]
        yield linktype, data[offset + 16:offset + 16 + captured]
        offset += 16 + captured


def tcp_payload(linktype, packet):
    """Returns ((source, destination) key, payload) for an IPv4 TCP packet, or None."""
    if linktype == 1:
        if len(packet) < 14:
            return None
        ethertype, start = struct.unpack_from("!H", packet, 12)[0], 14
        if ethertype == 0x8100:
            ethertype, start = struct.unpack_from("!H", packet, 16)[0], 18
        if ethertype != 0x0800:
            return None
        ip = packet[start:]
    elif linktype in (101, 228):
        ip = packet
    else:
        return None
    if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 6:
        return None
    header = (ip[0] & 0x0F) * 4
    total = struct.unpack_from("!H", ip, 2)[0]
    tcp = ip[header:total]
    if len(tcp) < 20:
        return None
    source_port, destination_port = struct.unpack_from("!HH", tcp, 0)
    payload = tcp[(tcp[12] >> 4) * 4:]
    if 2000 not in (source_port, destination_port):
        return None
    return (ip[12:16], source_port, ip[16:20], destination_port), payload


def seeds_from_capture(path, out):
    with open(path, "rb") as f:
        data = f.read()
    packets = packets_pcapng(data) if data[:4] == b"\x0a\x0d\x0d\x0a" else packets_pcap(data)
    streams, count = {}, 0
    for linktype, packet in packets:
        found = tcp_payload(linktype, packet)
        if found is None or not found[1]:
            continue
        key, payload = found
        streams.setdefault(key, []).append(payload)
        write_seed(out, payload)
        count += 1
    for payloads in streams.values():
        write_seed(out, b"".join(payloads))
        count += 1
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", required=True, help="folder with cucm_frames.json and pcap/pcapng files")
    parser.add_argument("--out", required=True, help="corpus folder")
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)
    count = 0
    if not os.path.isdir(arguments.captures):
        print(f"make_seeds: no captures at {arguments.captures}; seeding only from FuzzCrashers", file=sys.stderr)
        return
    for name in sorted(os.listdir(arguments.captures)):
        path = os.path.join(arguments.captures, name)
        if name.endswith(".json"):
            count += seeds_from_json(path, arguments.out)
        elif name.endswith((".pcap", ".pcapng")):
            count += seeds_from_capture(path, arguments.out)
    print(f"make_seeds: wrote {count} seeds from {arguments.captures} to {arguments.out}")


if __name__ == "__main__":
    main()

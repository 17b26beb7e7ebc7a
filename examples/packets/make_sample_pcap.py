#!/usr/bin/env python3
"""Writes the demo's capture: a deterministic mix of 2000 Ethernet frames (IPv4 TCP/UDP/ICMP echo, IPv6
TCP/ICMPv6, ARP) in the classic libpcap format (pcap-savefile(5): microsecond timestamps, LINKTYPE_ETHERNET)."""
import random
import struct
import sys

def ipv4(proto, payload, src, dst):
    total = 20 + len(payload)
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0x4000, 64, proto, 0, bytes(src), bytes(dst))
    s = sum(struct.unpack("!10H", header))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return header[:10] + struct.pack("!H", ~s & 0xFFFF) + header[12:] + payload

def ipv6(next_header, payload):
    src = bytes([0xfd] + [0] * 14 + [1])
    dst = bytes([0xfd] + [0] * 14 + [2])
    return struct.pack("!IHBB", 6 << 28, len(payload), next_header, 64) + src + dst + payload

def ether(ethertype, payload):
    return bytes.fromhex("020000000002") + bytes.fromhex("020000000001") + struct.pack("!H", ethertype) + payload

def frame(rng):
    kind = rng.choices(["tcp", "udp", "ping", "tcp6", "icmp6", "arp"], [50, 25, 8, 8, 4, 5])[0]
    src, dst = [10, 0, 0, rng.randrange(1, 250)], [10, 0, 1, rng.randrange(1, 250)]
    body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 64)))
    if kind == "tcp":
        tcp = struct.pack("!HHIIBBHHH", rng.randrange(1024, 65535), 443, rng.getrandbits(32), 0, 5 << 4, 0x18, 512, 0, 0)
        return ether(0x0800, ipv4(6, tcp + body, src, dst))
    if kind == "udp":
        udp = struct.pack("!HHHH", rng.randrange(1024, 65535), 53, 8 + len(body), 0)
        return ether(0x0800, ipv4(17, udp + body, src, dst))
    if kind == "ping":
        return ether(0x0800, ipv4(1, struct.pack("!BBHHH", 8, 0, 0, 1, rng.randrange(65536)) + body, src, dst))
    if kind == "tcp6":
        tcp = struct.pack("!HHIIBBHHH", rng.randrange(1024, 65535), 80, rng.getrandbits(32), 0, 5 << 4, 0x02, 512, 0, 0)
        return ether(0x86DD, ipv6(6, tcp + body))
    if kind == "icmp6":
        return ether(0x86DD, ipv6(58, struct.pack("!BBHHH", 128, 0, 0, 1, rng.randrange(65536)) + body))
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, bytes(6), bytes(src), bytes(6), bytes(dst))
    return ether(0x0806, arp)

def main(path):
    rng = random.Random(9669)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(2000):
            data = frame(rng)
            data += bytes(max(0, 60 - len(data)))  # Ethernet minimum frame size (without FCS)
            f.write(struct.pack("<IIII", 1_700_000_000 + i // 100, (i % 100) * 10_000, len(data), len(data)))
            f.write(data)

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sample.pcap")

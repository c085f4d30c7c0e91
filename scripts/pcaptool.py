#!/usr/bin/env python3
"""Rewrites real captures into the less common container variants that the capture reader must accept.

Standard library only. The inputs are captures recorded by tcpdump/dumpcap (see record-captures.sh);
this tool changes only the container (byte order, timestamp resolution, link-layer pseudo-header),
never the recorded packets themselves.

Formats (sources):
  classic pcap     https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcap/  (magic a1b2c3d4 = us,
                   a1b23c4d = ns; written in the writer's byte order, readers swap by the magic)
  modified pcap    Alexey Kuznetsov's patched libpcap (libpcap sf-pcap.c KUZNETZOV_TCPDUMP_MAGIC
                   a1b2cd34, microseconds): each record header has 8 more bytes after the standard 16,
                   interface index (4), protocol (2), packet type (1), padding (1); Wireshark's
                   "modpcap" (editcap -F modpcap writes it)
  pcapng           https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/ (SHB byte-order magic
                   1a2b3c4d; every later block in the section uses the SHB's byte order)
  LINKTYPE_NULL 0  4-byte address family in the *capturing host's* byte order, then the IP packet
  LINKTYPE_LOOP 108 the same, but the family is always in network (big-endian) byte order
  LINKTYPE_C_HDLC 104 Cisco HDLC: address (0x0f unicast), control (0x00), then a 2-byte protocol that
                   takes EtherType values (Wireshark's chdlc dissector, packet-chdlc.c)
  (https://www.tcpdump.org/linktypes.html; AF_INET is 2 everywhere, AF_INET6 differs by OS:
  24 NetBSD/OpenBSD, 28 FreeBSD, 30 Darwin)

Subcommands:
  info FILE                         print container facts (one line) for a pcap or pcapng file
  pcap-be IN OUT                    classic pcap -> big-endian classic pcap (same resolution; a
                                    modified pcap stays modified, its extra record fields swapped too)
  pcap-ns IN OUT                    classic pcap -> classic pcap with nanosecond magic (same byte order)
  null IN OUT [--af6 N] [--ethertype]
                                    raw-IP pcap (101/228/229) -> LINKTYPE_NULL, the family in the file's
                                    byte order; --ethertype writes the EtherType (0x0800, 0x86dd) where
                                    the family goes, as some capture tools do and Wireshark accepts
  loop IN OUT [--af6 N] [--ethertype]
                                    raw-IP pcap -> LINKTYPE_LOOP (--ethertype as for null)
  chdlc IN OUT                      raw-IP pcap -> LINKTYPE_C_HDLC, unicast address, protocol 0x0800/0x86dd
  pcapng-be IN OUT                  classic pcap -> big-endian pcapng (one IDB, if_tsresol set)
  wirelen-less IN OUT N             subtract N from every record's original (on-wire) length: after
                                    `editcap -C N` removed a link-layer header from the captured bytes
"""

from __future__ import annotations

import argparse
import gzip
import struct
import sys
from dataclasses import dataclass

LINKTYPE_NULL = 0
LINKTYPE_RAW = 101
LINKTYPE_LOOP = 108
LINKTYPE_C_HDLC = 104
LINKTYPE_IPV4 = 228
LINKTYPE_IPV6 = 229

MAGIC_US = 0xA1B2C3D4
MAGIC_NS = 0xA1B23C4D
MAGIC_MODIFIED = 0xA1B2CD34
ETHERTYPE_IPV4 = 0x0800
ETHERTYPE_IPV6 = 0x86DD
PCAPNG_SHB = 0x0A0D0D0A
PCAPNG_BOM = 0x1A2B3C4D


class ToolError(Exception):
    pass


@dataclass
class Record:
    ts_sec: int
    ts_frac: int  # microseconds or nanoseconds, per Pcap.nanos
    orig_len: int
    data: bytes
    # Modified pcap only: interface index, protocol, packet type, padding.
    extra: tuple[int, int, int, int] | None = None


@dataclass
class Pcap:
    endian: str  # '<' or '>'
    nanos: bool
    version: tuple[int, int]
    snaplen: int
    linktype: int
    records: list[Record]
    modified: bool = False


def read_bytes(path: str) -> bytes:
    """Whole file; a gzip file (as tcpdump -r and Wireshark accept) is decompressed transparently."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as ex:
            raise ToolError(f"{path}: bad gzip data: {ex}") from ex
    return raw


def read_pcap(path: str) -> Pcap:
    raw = read_bytes(path)
    if len(raw) < 24:
        raise ToolError(f"{path}: {len(raw)} bytes, too short for a pcap file header (24)")
    for endian in ("<", ">"):
        (magic,) = struct.unpack(endian + "I", raw[:4])
        if magic in (MAGIC_US, MAGIC_NS, MAGIC_MODIFIED):
            break
    else:
        raise ToolError(f"{path}: not a classic pcap file (magic {raw[:4].hex()})")
    nanos = magic == MAGIC_NS
    modified = magic == MAGIC_MODIFIED
    header = 24 if modified else 16
    vmaj, vmin, _zone, _sigfigs, snaplen, linktype = struct.unpack(endian + "HHiIII", raw[4:24])
    records = []
    off = 24
    while off < len(raw):
        if off + header > len(raw):
            raise ToolError(f"{path}: truncated record header at offset {off}")
        ts_sec, ts_frac, incl, orig = struct.unpack(endian + "IIII", raw[off:off + 16])
        extra = struct.unpack(endian + "iHBB", raw[off + 16:off + 24]) if modified else None
        off += header
        if off + incl > len(raw):
            raise ToolError(f"{path}: truncated record data at offset {off}")
        records.append(Record(ts_sec, ts_frac, orig, raw[off:off + incl], extra))
        off += incl
    return Pcap(endian, nanos, (vmaj, vmin), snaplen, linktype & 0x0FFFFFFF, records, modified)


def write_pcap(path: str, p: Pcap) -> None:
    e = p.endian
    magic = MAGIC_MODIFIED if p.modified else MAGIC_NS if p.nanos else MAGIC_US
    out = [struct.pack(e + "IHHiIII", magic, p.version[0], p.version[1], 0, 0, p.snaplen, p.linktype)]
    for r in p.records:
        out.append(struct.pack(e + "IIII", r.ts_sec, r.ts_frac, len(r.data), r.orig_len))
        if p.modified:
            out.append(struct.pack(e + "iHBB", *(r.extra or (0, 0, 0, 0))))
        out.append(r.data)
    with open(path, "wb") as f:
        f.write(b"".join(out))


def ip_version(data: bytes, path: str, index: int) -> int:
    if not data:
        raise ToolError(f"{path}: record {index + 1} is empty")
    v = data[0] >> 4
    if v not in (4, 6):
        raise ToolError(f"{path}: record {index + 1} does not start with an IP header (version {v})")
    return v


def require_raw_ip(p: Pcap, path: str) -> None:
    if p.linktype not in (LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6):
        raise ToolError(f"{path}: link type {p.linktype} is not raw IP (101, 228 or 229)")
    if p.modified:
        raise ToolError(f"{path}: a modified pcap; convert a standard one")


def add_af_header(p: Pcap, path: str, linktype: int, af_endian: str, af6: int, ethertype: bool) -> Pcap:
    require_raw_ip(p, path)
    records = []
    for i, r in enumerate(p.records):
        v4 = ip_version(r.data, path, i) == 4
        if ethertype:
            value = ETHERTYPE_IPV4 if v4 else ETHERTYPE_IPV6
        else:
            value = 2 if v4 else af6
        hdr = struct.pack(af_endian + "I", value)
        records.append(Record(r.ts_sec, r.ts_frac, r.orig_len + 4, hdr + r.data))
    return Pcap(p.endian, p.nanos, p.version, p.snaplen + 4, linktype, records)


def add_chdlc_header(p: Pcap, path: str) -> Pcap:
    require_raw_ip(p, path)
    records = []
    for i, r in enumerate(p.records):
        protocol = ETHERTYPE_IPV4 if ip_version(r.data, path, i) == 4 else ETHERTYPE_IPV6
        hdr = struct.pack(">BBH", 0x0F, 0x00, protocol)
        records.append(Record(r.ts_sec, r.ts_frac, r.orig_len + 4, hdr + r.data))
    return Pcap(p.endian, p.nanos, p.version, p.snaplen + 4, LINKTYPE_C_HDLC, records)


def pad4(b: bytes) -> bytes:
    return b + b"\0" * (-len(b) % 4)


def option(e: str, code: int, value: bytes) -> bytes:
    return struct.pack(e + "HH", code, len(value)) + pad4(value)


def block(e: str, btype: int, body: bytes) -> bytes:
    total = 12 + len(body)
    return struct.pack(e + "II", btype, total) + body + struct.pack(e + "I", total)


def write_pcapng_be(path: str, p: Pcap) -> None:
    e = ">"
    shb_opts = option(e, 4, b"pcaptool.py (big-endian rewrite of a tcpdump capture)") + option(e, 0, b"")
    shb = block(e, PCAPNG_SHB, struct.pack(e + "IHHq", PCAPNG_BOM, 1, 0, -1) + shb_opts)
    tsresol = 9 if p.nanos else 6  # if_tsresol: power of ten, as in the source file
    idb_opts = option(e, 9, bytes([tsresol])) + option(e, 0, b"")
    idb = block(e, 1, struct.pack(e + "HHI", p.linktype, 0, p.snaplen) + idb_opts)
    per_sec = 10 ** tsresol
    out = [shb, idb]
    for r in p.records:
        ts = r.ts_sec * per_sec + r.ts_frac
        body = struct.pack(e + "IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(r.data), r.orig_len) + pad4(r.data)
        out.append(block(e, 6, body))
    with open(path, "wb") as f:
        f.write(b"".join(out))


def pcapng_info(path: str, raw: bytes) -> str:
    endian = "<" if struct.unpack("<I", raw[8:12])[0] == PCAPNG_BOM else ">"
    off, idbs, packets, linktypes = 0, 0, 0, []
    while off + 12 <= len(raw):
        btype, blen = struct.unpack(endian + "II", raw[off:off + 8])
        if blen < 12 or off + blen > len(raw):
            raise ToolError(f"{path}: bad block length {blen} at offset {off}")
        if btype == 1:
            idbs += 1
            linktypes.append(struct.unpack(endian + "H", raw[off + 8:off + 10])[0])
        elif btype in (3, 6):
            packets += 1
        off += blen
    lt = ",".join(str(x) for x in linktypes)
    return f"pcapng {'big' if endian == '>' else 'little'}-endian idbs={idbs} linktypes={lt} packets={packets}"


def info(path: str) -> str:
    raw = read_bytes(path)
    if len(raw) >= 12 and struct.unpack("<I", raw[:4])[0] == PCAPNG_SHB:
        return pcapng_info(path, raw)
    p = read_pcap(path)
    return (f"pcap {'big' if p.endian == '>' else 'little'}-endian {'ns' if p.nanos else 'us'}"
            f"{' modified' if p.modified else ''} "
            f"version={p.version[0]}.{p.version[1]} snaplen={p.snaplen} linktype={p.linktype} "
            f"packets={len(p.records)}")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("info").add_argument("file")
    for name in ("pcap-be", "pcap-ns", "pcapng-be"):
        s = sub.add_parser(name)
        s.add_argument("input")
        s.add_argument("output")
    s = sub.add_parser("chdlc")
    s.add_argument("input")
    s.add_argument("output")
    s = sub.add_parser("wirelen-less")
    s.add_argument("input")
    s.add_argument("output")
    s.add_argument("n", type=int)
    for name, default_af6 in (("null", 30), ("loop", 24)):
        s = sub.add_parser(name)
        s.add_argument("input")
        s.add_argument("output")
        s.add_argument("--af6", type=int, default=default_af6, help="AF_INET6 value to write")
        s.add_argument("--ethertype", action="store_true",
                       help="write the EtherType (0x0800 / 0x86dd) instead of the address family")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "info":
            print(f"{a.file}: {info(a.file)}")
            return 0
        p = read_pcap(a.input)
        if a.cmd == "pcap-be":
            p.endian = ">"
            write_pcap(a.output, p)
        elif a.cmd == "pcap-ns":
            if p.modified:
                raise ToolError(f"{a.input}: a modified pcap has no nanosecond form")
            if not p.nanos:
                p.nanos = True
                for r in p.records:
                    r.ts_frac *= 1000
            write_pcap(a.output, p)
        elif a.cmd == "null":
            # NULL carries the family in the capturing host's order; this file says little-endian,
            # so the family is little-endian too (a reader must use the file's byte order for it).
            q = add_af_header(p, a.input, LINKTYPE_NULL, p.endian, a.af6, a.ethertype)
            write_pcap(a.output, q)
        elif a.cmd == "loop":
            q = add_af_header(p, a.input, LINKTYPE_LOOP, ">", a.af6, a.ethertype)
            write_pcap(a.output, q)
        elif a.cmd == "chdlc":
            write_pcap(a.output, add_chdlc_header(p, a.input))
        elif a.cmd == "wirelen-less":
            for i, r in enumerate(p.records):
                if r.orig_len - a.n < len(r.data):
                    raise ToolError(f"{a.input}: record {i + 1}: on-wire length {r.orig_len} minus {a.n} "
                                    f"is less than the {len(r.data)} bytes captured")
                r.orig_len -= a.n
            write_pcap(a.output, p)
        elif a.cmd == "pcapng-be":
            write_pcapng_be(a.output, p)
        return 0
    except (ToolError, OSError) as ex:
        print(f"pcaptool: {ex}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

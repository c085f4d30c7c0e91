#!/usr/bin/env python3
"""Compares what firewall decode or firewall check printed for a capture with tshark, frame by frame.

The same comparison as tests/Firewall.Capture.Tests/Decoding/TsharkCrossCheckTests.cs, for the command
line: run the command yourself, save its JSON Lines output, and hand both to this script. Standard
library only; needs tshark on PATH.

Usage:
  firewall decode CAPTURE --format jsonl > decode.jsonl
  scripts/tshark-compare.py decode CAPTURE decode.jsonl [--as-raw]
  firewall check CAPTURE --ruleset R --packets --format jsonl > check.jsonl
  scripts/tshark-compare.py check CAPTURE check.jsonl [--as-raw]

--as-raw compares with tshark reading a copy of a classic pcap relabelled LINKTYPE_RAW (101): for
LINKTYPE_IPV4/IPV6 captures holding the other IP version, which tcpdump (and firewall) decode by the
version nibble while tshark 4.0 stops at an IPv4 packet on LINKTYPE_IPV6.

Compared, where tshark has them: time, src, dst, proto (IPv6: after the extension headers), sport,
dport, icmp_type, icmp_code, tcp_flags, and for decode also icmp_id, frag_offset, more_fragments,
frag_id, the quoted header of ICMP errors, vlan (outermost), and the not-ip text of frames without IP;
for check also length and the not-ip reason. Conventions as in docs/decode-fields.md (fragment offsets
in bytes, decimal identifiers, QinQ's outer tag). Prints one line per difference and a summary; exits 1
on any difference.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tempfile

FIELDS = [
    "frame.number", "frame.time_epoch", "frame.len", "frame.protocols",
    "ip.src", "ip.dst", "ip.proto", "ip.id", "ip.frag_offset", "ip.flags.mf",
    "ipv6.src", "ipv6.dst", "ipv6.nxt", "ipv6.hopopts.nxt", "ipv6.dstopts.nxt", "ipv6.routing.nxt",
    "ah.next_header", "ipv6.fraghdr.nxt", "ipv6.fraghdr.offset", "ipv6.fraghdr.more", "ipv6.fraghdr.ident",
    "tcp.srcport", "tcp.dstport", "tcp.flags", "udp.srcport", "udp.dstport",
    "icmp.type", "icmp.code", "icmp.ident", "icmpv6.type", "icmpv6.code", "icmpv6.echo.identifier",
    "vlan.id", "ieee8021ad.id", "eth.type", "vlan.etype", "sll.etype", "null.family", "null.type",
]
EXTENSIONS = {"ipv6.hopopts": "ipv6.hopopts.nxt", "ipv6.dstopts": "ipv6.dstopts.nxt", "ipv6.routing": "ipv6.routing.nxt",
              "ipv6.fraghdr": "ipv6.fraghdr.nxt", "ah": "ah.next_header"}
PROTOCOL_NAMES = {1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6"}


def tcp_flag_text(flags: int) -> str:
    """As tcpdump prints them (docs/output-fields.md)."""
    if flags == 0:
        return "none"
    text = "".join(c for bit, c in ((1, "F"), (2, "S"), (4, "R"), (8, "P"), (32, "U"), (64, "E"), (128, "W")) if flags & bit)
    return text + ("." if flags & 16 else "")


def number(text: str | None) -> str | None:
    if text is None:
        return None
    return str(int(text, 16)) if text.startswith("0x") else text


class Row:
    def __init__(self, values: list[str]):
        self.values = {f: (values[i].split("|") if i < len(values) and values[i] else []) for i, f in enumerate(FIELDS)}
        self.tokens = (self.values["frame.protocols"] or [""])[0].split(":")

    def get(self, field: str, occurrence: int = 0) -> str | None:
        v = self.values[field]
        return v[occurrence] if occurrence < len(v) else None

    def ordinal(self, at: int) -> int:
        return self.tokens[:at].count(self.tokens[at])


def run_tshark(path: str) -> dict[int, Row]:
    args = ["tshark", "-r", path, "-n", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=|",
            "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE", "-o", "tcp.desegment_tcp_streams:FALSE"]
    for f in FIELDS:
        args += ["-e", f]
    out = subprocess.run(args, capture_output=True, text=True, check=False).stdout
    rows = {}
    for line in out.splitlines():
        row = Row(line.split("\t"))
        rows[int(row.get("frame.number"))] = row
    return rows


def raw_copy(path: str) -> str:
    with open(path, "rb") as f:
        data = bytearray(f.read())
    endian = ">" if data[0] == 0xA1 else "<"
    struct.pack_into(endian + "I", data, 20, 101)
    fd, copy = tempfile.mkstemp(suffix=".pcap")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return copy


def ip_layer(row: Row, at: int) -> tuple[str | None, str | None, str | None, int]:
    t, o = row.tokens, row.ordinal(at)
    if t[at] == "ip":
        return row.get("ip.src", o), row.get("ip.dst", o), row.get("ip.proto", o), at + 1
    proto, i = row.get("ipv6.nxt", o), at + 1
    while i < len(t) and t[i] in EXTENSIONS:
        proto = row.get(EXTENSIONS[t[i]], row.ordinal(i))
        i += 1
    return row.get("ipv6.src", o), row.get("ipv6.dst", o), proto, i


def expected_not_ip(row: Row) -> str:
    t = row.tokens
    for name in ("arp", "ipx", "llc"):
        if name in t:
            return f"not-ip: {name}"
    if "mpls" in t and "pwethcw" not in t:
        return "not-ip: mpls"
    if row.get("null.family") is not None:
        return f"not-ip: family {row.get('null.family')}"
    last = max((i for i, x in enumerate(t) if x in ("eth", "vlan", "sll")), default=-1)
    field = {"eth": "eth.type", "vlan": "vlan.etype", "sll": "sll.etype"}.get(t[last]) if last >= 0 else None
    values = row.values[field] if field else []
    return f"not-ip: ethertype {values[-1] if values else row.get('null.type')}"


def expected(row: Row, command: str) -> dict[str, str | None]:
    """Our columns as tshark's fields give them; absent keys are not compared."""
    e: dict[str, str | None] = {}
    sec, _, frac = row.get("frame.time_epoch").partition(".")
    e["epoch"] = f"{sec}.{frac.ljust(9, '0')}"
    if command == "check":
        e["length"] = row.get("frame.len")
    t = row.tokens
    ip_at = next((i for i, x in enumerate(t) if x in ("ip", "ipv6")), -1)
    vlan_at = next((i for i, x in enumerate(t) if x in ("vlan", "ieee8021ad")), -1)
    if command == "decode":
        e["vlan"] = (row.get("vlan.id" if t[vlan_at] == "vlan" else "ieee8021ad.id", row.ordinal(vlan_at))
                     if vlan_at >= 0 and (ip_at < 0 or vlan_at < ip_at) else None)
    if ip_at < 0:
        for k in ("src", "dst", "proto", "sport", "dport"):
            e[k] = None
        e["not-ip"] = expected_not_ip(row)
        return e
    if t[ip_at] == "ip" and ip_at + 1 < len(t) and t[ip_at + 1] == "ipv6" and row.get("ip.src", row.ordinal(ip_at)) is None:
        ip_at += 1  # tshark's IPv4 dissector handed a version-6 packet to IPv6
    e["not-ip"] = None
    src, dst, proto, after = ip_layer(row, ip_at)
    e["src"], e["dst"] = src, dst
    e["proto"] = proto if command == "decode" else PROTOCOL_NAMES.get(int(proto), proto)
    if command == "decode":
        o = row.ordinal(ip_at)
        if t[ip_at] == "ip":
            e["frag_offset"] = str(int(row.get("ip.frag_offset", o)) * 8)
            e["more_fragments"] = row.get("ip.flags.mf", o) == "1"
            e["frag_id"] = number(row.get("ip.id", o))
        elif "ipv6.fraghdr" in t[ip_at:after]:
            fo = row.ordinal(t.index("ipv6.fraghdr", ip_at))
            e["frag_offset"] = str(int(row.get("ipv6.fraghdr.offset", fo)) * 8)
            e["more_fragments"] = row.get("ipv6.fraghdr.more", fo) == "1"
            e["frag_id"] = number(row.get("ipv6.fraghdr.ident", fo))
    transport = t[after] if after < len(t) else ""
    later_fragment = e.get("frag_offset") not in (None, "0")
    if later_fragment or transport not in ("tcp", "udp", "icmp", "icmpv6"):
        e["sport"] = e["dport"] = None
        return e
    to = row.ordinal(after)
    if transport in ("tcp", "udp"):
        e["sport"], e["dport"] = row.get(f"{transport}.srcport", to), row.get(f"{transport}.dstport", to)
        if transport == "tcp":
            e["tcp_flags"] = tcp_flag_text(int(row.get("tcp.flags", to), 16) & 0xFF)
        return e
    e["sport"] = e["dport"] = None
    icmp_type = row.get(f"{transport}.type", to)
    e["icmp_type"], e["icmp_code"] = icmp_type, row.get(f"{transport}.code", to)
    if command == "decode":
        echo = icmp_type in (("0", "8") if transport == "icmp" else ("128", "129"))
        e["icmp_id"] = number(row.get("icmp.ident" if transport == "icmp" else "icmpv6.echo.identifier", to)) if echo else None
        inner = after + 1 if after + 1 < len(t) and t[after + 1] in ("ip", "ipv6") else -1
        if inner >= 0:
            e["inner_src"], e["inner_dst"], e["inner_proto"], after_inner = ip_layer(row, inner)
            it = t[after_inner] if after_inner < len(t) else ""
            if it in ("tcp", "udp"):
                e["inner_sport"] = row.get(f"{it}.srcport", row.ordinal(after_inner))
                e["inner_dport"] = row.get(f"{it}.dstport", row.ordinal(after_inner))
    return e


def ours(record: dict, command: str) -> dict:
    o = {k: (None if v is None else str(v).lower() if isinstance(v, bool) else str(v)) for k, v in record.items()}
    o["more_fragments"] = record.get("more_fragments")
    o["not-ip"] = record.get("error" if command == "decode" else "reason")
    if o["not-ip"] is not None and not o["not-ip"].startswith("not-ip"):
        o["not-ip"] = None if command == "check" else o["not-ip"]
    return o


def epoch(record: dict) -> str:
    """The record's ISO time as seconds.nanoseconds, to compare with frame.time_epoch."""
    from datetime import datetime, timezone
    text = record["time"].rstrip("Z")
    whole, _, frac = text.partition(".")
    seconds = int(datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp())
    return f"{seconds}.{frac.ljust(9, '0')}"


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] not in ("decode", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    command, capture, output = argv[0], argv[1], argv[2]
    reference = raw_copy(capture) if "--as-raw" in argv[3:] else capture
    try:
        rows = run_tshark(reference)
    finally:
        if reference != capture:
            os.unlink(reference)
    with open(output) as f:
        records = [json.loads(line) for line in f if line.strip()]
    if command == "check":
        records = [r for r in records if r.get("type") == "packet"]
    differences = compared = undecodable = 0
    for record in records:
        frame = int(record["frame"])
        row = rows.get(frame)
        if row is None:
            print(f"frame {frame}: tshark has no such frame")
            differences += 1
            continue
        got = ours(record, command)
        if record.get("error") and not str(record["error"]).startswith("not-ip"):
            undecodable += 1
            print(f"frame {frame}: undecodable ({record['error']}); tshark: {':'.join(row.tokens)}")
            continue
        want = expected(row, command)
        got["epoch"] = epoch(record)
        for key, value in want.items():
            mine = got.get(key)
            if key == "more_fragments":
                value = value if value is None else bool(value)
            compared += 1
            if value != mine:
                differences += 1
                print(f"frame {frame}: {key}: tshark {value!r}, firewall {mine!r}")
    print(f"{command} {capture}: {len(records)} frames (tshark {len(rows)}), {undecodable} undecodable, "
          f"{compared} fields compared, {differences} differences")
    return 1 if differences or len(records) != len(rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

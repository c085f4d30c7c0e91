#!/usr/bin/env bash
# Writes the captures in tests/captures/ that are crafted or derived rather than recorded: frames this
# machine cannot produce (MPLS: the kernel has no MPLS support) written by scapy with fixed timestamps,
# and container variants that libpcap, tcpdump and Wireshark read but no tool here records (modified
# pcap, NULL with an EtherType for a family, raw-IP link types holding the other IP version), made from
# the recorded captures with editcap and scripts/pcaptool.py. Each file is checked with tshark, and with
# tcpdump where tcpdump and tshark differ; its MANIFEST.tsv line is written (or replaced).
#
# Usage: scripts/craft-captures.sh [OUTDIR]     (default: tests/captures next to this script)
# Needs: tshark (editcap, capinfos), tcpdump, python3-scapy; OUTDIR must hold the recorded
#        lo-tcp-udp-icmp.pcap, rawip.pcap and null.pcap (record-captures.sh makes them, then runs this).
# Sends nothing and needs no root. Re-running gives the same bytes, as long as the recorded inputs stay.

set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=/usr/bin/python3 # the distribution's python3: python3-scapy is a Debian package
OUT="${1:-$HERE/../tests/captures}"
OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d /tmp/fwcraft.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

for t in tshark editcap capinfos tcpdump "$PY"; do
    command -v "$t" >/dev/null 2>&1 || { echo "$0: $t is not installed" >&2; exit 1; }
done
"$PY" -c 'import scapy' 2>/dev/null || { echo "$0: python3-scapy is not installed" >&2; exit 1; }
for f in lo-tcp-udp-icmp.pcap rawip.pcap null.pcap; do
    [[ -f $OUT/$f ]] || { echo "$0: $OUT/$f is missing: run record-captures.sh first" >&2; exit 1; }
done

cd "$WORK"
cp "$OUT/lo-tcp-udp-icmp.pcap" "$OUT/rawip.pcap" "$OUT/null.pcap" .

# ---------------------------------------------------------------------------------------------------
# Crafted: scapy writes the frames (scripts/netcraft.py).
"$PY" "$HERE/netcraft.py" write-mpls mpls.pcap
"$PY" "$HERE/netcraft.py" write-non-ip non-ip.pcap

# Derived: the recorded packets in other containers.
# Modified pcap (magic a1b2cd34, 24-byte record headers) as editcap writes it, and big-endian.
editcap -F modpcap lo-tcp-udp-icmp.pcap modified.pcap
"$PY" "$HERE/pcaptool.py" pcap-be modified.pcap modified-be.pcap
# NULL with the EtherType where the address family goes, written by a little- and a big-endian host;
# LOOP (network byte order) with the same values, which Wireshark takes for unknown families.
"$PY" "$HERE/pcaptool.py" null --ethertype rawip.pcap null-ethertype.pcap
"$PY" "$HERE/pcaptool.py" pcap-be rawip.pcap rawip-be.tmp
"$PY" "$HERE/pcaptool.py" null --ethertype rawip-be.tmp null-ethertype-be.pcap
"$PY" "$HERE/pcaptool.py" loop --ethertype rawip.pcap loop-ethertype.pcap
# Cisco HDLC (serial links on routers), the EtherType in its protocol field.
"$PY" "$HERE/pcaptool.py" chdlc rawip.pcap chdlc.pcap
# LINKTYPE_IPV4 / LINKTYPE_IPV6 on a capture that mixes both versions.
editcap -F pcap -T rawip4 rawip.pcap rawip4-mixed.pcap
editcap -F pcap -T rawip6 rawip.pcap rawip6-mixed.pcap

FILES=(
    mpls.pcap non-ip.pcap modified.pcap modified-be.pcap null-ethertype.pcap null-ethertype-be.pcap
    loop-ethertype.pcap rawip4-mixed.pcap rawip6-mixed.pcap chdlc.pcap
)

declare -A WHAT=(
    [mpls.pcap]="netcraft.py write-mpls: IPv4/IPv6 under 1-3 labels (entropy label), explicit null, 0x8848, MPLS in 802.1Q and QinQ, Ethernet pseudowire with control word (IPv4, ARP, 802.1Q), GAL/G-ACh"
    [non-ip.pcap]="netcraft.py write-non-ip: ARP request and reply, LLDP, IPX, 802.3/LLC STP BPDU, ARP in 802.1Q"
    [modified.pcap]="editcap -F modpcap of lo-tcp-udp-icmp.pcap (magic a1b2cd34, 24-byte record headers)"
    [modified-be.pcap]="pcaptool pcap-be of modified.pcap (big-endian modified pcap)"
    [null-ethertype.pcap]="pcaptool null --ethertype of rawip.pcap: EtherType 0x0800/0x86dd in place of the family, little-endian host"
    [null-ethertype-be.pcap]="pcaptool pcap-be then null --ethertype of rawip.pcap: the same from a big-endian host"
    [loop-ethertype.pcap]="pcaptool loop --ethertype of rawip.pcap: EtherTypes in the LOOP family field (Wireshark: unknown families)"
    [chdlc.pcap]="pcaptool chdlc of rawip.pcap: LINKTYPE_C_HDLC, unicast address, protocol 0x0800/0x86dd"
    [rawip4-mixed.pcap]="editcap -T rawip4 of rawip.pcap: LINKTYPE_IPV4 holding IPv4 and IPv6 frames"
    [rawip6-mixed.pcap]="editcap -T rawip6 of rawip.pcap: LINKTYPE_IPV6 holding IPv4 and IPv6 frames"
)

# ---------------------------------------------------------------------------------------------------
# Checks.
count() { # count FILE DISPLAY-FILTER
    tshark -r "$1" -Y "$2" 2>/dev/null | wc -l
}
expect() { # expect FILE DISPLAY-FILTER N: exactly N frames match
    local n
    n=$(count "$1" "$2")
    if ((n != $3)); then
        echo "$0: $1: expected $3 frames matching '$2', found $n" >&2
        exit 1
    fi
}
fields() { # the per-frame fields the decoder tests compare, for comparing two files' dissections
    tshark -r "$1" -n -T fields -e frame.time_epoch -e frame.len -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst \
        -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport -e icmp.type -e icmpv6.type 2>/dev/null
}
same_packets() { # same_packets FILE REFERENCE: tshark sees the same IP packets in both
    if ! diff <(fields "$1") <(fields "$2") >/dev/null; then
        echo "$0: $1: tshark does not see the packets of $2" >&2
        exit 1
    fi
}

v4=$(count rawip.pcap ip)
v6=$(count rawip.pcap ipv6)
all=$(count rawip.pcap frame)
((v4 > 0 && v6 > 0 && v4 + v6 == all)) || { echo "$0: rawip.pcap should hold IPv4 and IPv6 only" >&2; exit 1; }

for f in mpls.pcap non-ip.pcap modified.pcap modified-be.pcap null-ethertype.pcap null-ethertype-be.pcap \
    loop-ethertype.pcap rawip4-mixed.pcap chdlc.pcap; do
    expect "$f" '_ws.malformed or _ws.expert.severity == error' 0
done

expect mpls.pcap 'mpls && !pwethcw && ip' 7
expect mpls.pcap 'mpls && !pwethcw && ipv6' 4
expect mpls.pcap 'eth.type == 0x8848' 1
expect mpls.pcap 'vlan.id == 100 && mpls' 2
expect mpls.pcap 'ieee8021ad.id == 200 && mpls' 1
expect mpls.pcap 'pwethcw && ip' 3
expect mpls.pcap 'pwethcw && arp' 1
expect mpls.pcap 'pwethcw && vlan.id == 300' 1
expect mpls.pcap 'pwach' 1
expect non-ip.pcap 'ip or ipv6' 0
expect non-ip.pcap 'arp' 3
expect non-ip.pcap 'lldp' 1
expect non-ip.pcap 'ipx' 1
expect non-ip.pcap 'stp' 1

for f in modified.pcap modified-be.pcap; do
    capinfos -t "$f" | grep -q 'Modified tcpdump' || { echo "$0: $f: not read as a modified pcap" >&2; exit 1; }
    same_packets "$f" lo-tcp-udp-icmp.pcap
    # libpcap reads it too (its snapshot length line differs: libpcap adds 14 for Ethernet).
    if ! diff <(tcpdump -n -r "$f" 2>/dev/null) <(tcpdump -n -r lo-tcp-udp-icmp.pcap 2>/dev/null) >/dev/null; then
        echo "$0: $f: tcpdump reads other packets than from lo-tcp-udp-icmp.pcap" >&2
        exit 1
    fi
done
for f in null-ethertype.pcap null-ethertype-be.pcap; do
    expect "$f" 'null.type == 0x0800 && ip' "$v4"
    expect "$f" 'null.type == 0x86dd && ipv6' "$v6"
    same_packets "$f" null.pcap # the same 4-byte header, with the address family in it
done
expect chdlc.pcap 'chdlc.protocol == 0x0800 && ip' "$v4"
expect chdlc.pcap 'chdlc.protocol == 0x86dd && ipv6' "$v6"
# The same IP packets as rawip.pcap, each frame 4 bytes longer (the HDLC header): all fields but frame.len.
if ! diff <(fields chdlc.pcap | cut -f1,3-) <(fields rawip.pcap | cut -f1,3-) >/dev/null; then
    echo "$0: chdlc.pcap: tshark does not see the packets of rawip.pcap" >&2
    exit 1
fi
expect loop-ethertype.pcap 'null.family == 2048' "$v4"
expect loop-ethertype.pcap 'null.family == 34525' "$v6"
expect loop-ethertype.pcap 'ip or ipv6' 0
# tshark's IPv4 dissector hands a version-6 packet to IPv6; its IPv6 dissector stops at a version-4
# packet ("Bogus IPv6 version"). tcpdump decodes both by the version nibble.
same_packets rawip4-mixed.pcap rawip.pcap
expect rawip6-mixed.pcap 'ipv6.src' "$v6"
expect rawip6-mixed.pcap 'ip.src' 0
expect rawip6-mixed.pcap '_ws.expert.message == "Bogus IPv6 version"' "$v4"
if ! diff <(tcpdump -n -r rawip6-mixed.pcap 2>/dev/null) <(tcpdump -n -r rawip.pcap 2>/dev/null) >/dev/null; then
    echo "$0: rawip6-mixed.pcap: tcpdump reads other packets than from rawip.pcap" >&2
    exit 1
fi

# ---------------------------------------------------------------------------------------------------
# Publish, and replace these files' lines in the manifest.
manifest="$OUT/MANIFEST.tsv"
[[ -f $manifest ]] || printf 'file\tlinktype\tframes\tnotes\n' >"$manifest"
pattern="^($(IFS='|'; echo "${FILES[*]//./\\.}"))"$'\t'
grep -Ev "$pattern" "$manifest" >manifest.tmp || true
for f in "${FILES[@]}"; do
    cp "$f" "$OUT/$f"
    chmod 644 "$OUT/$f"
    frames=$(capinfos -c -M "$f" | awk -F': *' '/Number of packets/ {print $2}')
    info=$("$PY" "$HERE/pcaptool.py" info "$f")
    linktype=$(sed -E 's/.*linktypes?=([0-9,]+).*/\1/' <<<"$info")
    notes="${WHAT[$f]}; $(sed -E 's/^[^:]*: //; s/ (packets|linktypes?)=[0-9,]+//g' <<<"$info")"
    printf '%s\t%s\t%s\t%s\n' "$f" "$linktype" "$frames" "$notes" >>manifest.tmp
done
cp manifest.tmp "$manifest"
echo "crafted ${#FILES[@]} captures in $OUT"

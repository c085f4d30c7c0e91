#!/usr/bin/env bash
# Records the captures in tests/captures/ that the capture reader and decoder tests replay.
#
# Every packet is real: made by the kernel, ping, curl, socat, python3 http.server, or (for what this
# kernel cannot send: VLAN tags, chosen IPv6 extension headers) by scapy (scripts/netcraft.py), on veth
# links between network namespaces created here, and recorded by tcpdump or dumpcap. Format variants are
# made from those recordings by editcap and scripts/pcaptool.py. Each file is checked with tshark.
# Last, scripts/craft-captures.sh writes the crafted captures and the variants derived from these
# recordings that no tool here records (MPLS, modified pcap, NULL with EtherTypes, mixed raw IP).
#
# Usage: sudo scripts/record-captures.sh [OUTDIR]     (default: tests/captures next to this script)
# Needs: root, iproute2, tcpdump, tshark (dumpcap, editcap, capinfos), iputils-ping, curl, socat,
#        dnsutils, python3-scapy. Re-runnable: it deletes its own namespaces (fwcap-*) first and last.
#
# Topology (documentation addresses, RFC 5737 / RFC 3849):
#
#   a  a0 ======== r0  r  r1 ======== c0  c        r forwards between the two links
#      192.0.2.1       192.0.2.254               198.51.100.2
#      2001:db8:a::1   2001:db8:a::fe            2001:db8:c::2
#                      198.51.100.254
#                      2001:db8:c::fe
#   a  a1 ======== r2  r                           no addresses: scapy plays VLAN-tagged hosts here
#   a  vx0 (VXLAN 42 over a0) ==== vx0 r           overlay 203.0.113.1 / 203.0.113.2
#   l  lo only                                     loopback recordings

set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=netns-lib.sh
source "$HERE/netns-lib.sh"

OUT="${1:-$HERE/../tests/captures}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d /tmp/fwcap.XXXXXX)"

finish() {
    cleanup_namespaces
    [[ -n ${KEEP_WORK:-} ]] && echo "work files kept in $WORK" >&2 || rm -rf "$WORK"
}
trap finish EXIT

require_root
require_tools ip tcpdump tshark dumpcap editcap capinfos ping curl socat "$PY"
"$PY" -c 'import scapy' 2>/dev/null || { echo "$0: python3-scapy is not installed" >&2; exit 1; }

cleanup_namespaces

# ---------------------------------------------------------------------------------------------------
# Hosts
ns_add a
ns_add r
ns_add c
ns_add l
link a a0 02:00:00:00:00:a0 r r0 02:00:00:00:00:f0
link r r1 02:00:00:00:00:f1 c c0 02:00:00:00:00:c0
addr a a0 192.0.2.1/24 2001:db8:a::1/64
addr r r0 192.0.2.254/24 2001:db8:a::fe/64
addr r r1 198.51.100.254/24 2001:db8:c::fe/64
addr c c0 198.51.100.2/24 2001:db8:c::2/64
ip -n "${NS_PREFIX}a" route add default via 192.0.2.254
ip -n "${NS_PREFIX}a" -6 route add default via 2001:db8:a::fe
ip -n "${NS_PREFIX}c" route add default via 198.51.100.254
ip -n "${NS_PREFIX}c" -6 route add default via 2001:db8:c::fe
nsx r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
# c accepts segment routing headers (RFC 8754), so it answers the SRH probe in ipv6-ext-headers.
nsx c sysctl -qw net.ipv6.conf.all.seg6_enabled=1 net.ipv6.conf.c0.seg6_enabled=1

# The VLAN link: IPv6 off before it comes up, so the kernel sends nothing on it (no MLD, no ND).
ip link add a1 address 02:00:00:00:01:a1 type veth peer name r2 address 02:00:00:00:01:f2
ip link set a1 netns "${NS_PREFIX}a"
ip link set r2 netns "${NS_PREFIX}r"
nsx a sysctl -qw net.ipv6.conf.a1.disable_ipv6=1
nsx r sysctl -qw net.ipv6.conf.r2.disable_ipv6=1
ip -n "${NS_PREFIX}a" link set a1 up
ip -n "${NS_PREFIX}r" link set r2 up

# VXLAN overlay between a and r, over the a0-r0 link (RFC 7348, IANA port 4789).
ip -n "${NS_PREFIX}a" link add vx0 address 02:00:00:00:42:a0 type vxlan id 42 dstport 4789 \
    local 192.0.2.1 remote 192.0.2.254 dev a0
ip -n "${NS_PREFIX}r" link add vx0 address 02:00:00:00:42:f0 type vxlan id 42 dstport 4789 \
    local 192.0.2.254 remote 192.0.2.1 dev r0
nsx a sysctl -qw net.ipv6.conf.vx0.disable_ipv6=1
nsx r sysctl -qw net.ipv6.conf.vx0.disable_ipv6=1
addr a vx0 203.0.113.1/24
addr r vx0 203.0.113.2/24
ip -n "${NS_PREFIX}a" link set vx0 up
ip -n "${NS_PREFIX}r" link set vx0 up

# Servers. Fixed content, so that the bodies are the same on every run.
mkdir -p "$WORK/www"
printf '<!doctype html><title>fw test</title><p>hello from the test web server</p>\n' >"$WORK/www/index.html"
for host in c r l; do
    (cd "$WORK/www" && exec ip netns exec "$NS_PREFIX$host" "$PY" -m http.server 80 --bind :: \
        >"$WORK/http-$host.log" 2>&1) &
    # UDP echo (port 7, RFC 862), IPv4 and IPv6.
    nsx "$host" socat UDP4-RECVFROM:7,fork,reuseaddr PIPE >/dev/null 2>&1 &
    nsx "$host" socat UDP6-RECVFROM:7,fork,reuseaddr,ipv6only=1 PIPE >/dev/null 2>&1 &
done
# A slow TCP talker for the mid-stream recording: 30 lines, 0.1 s apart, then close.
nsx c socat TCP-LISTEN:5001,reuseaddr,fork \
    SYSTEM:'for i in $(seq 1 30); do echo "line $i of a slow stream"; sleep 0.1; done' >/dev/null 2>&1 &

for host in c r l; do
    for i in $(seq 1 50); do
        nsx "$host" bash -c 'exec 3<>/dev/tcp/127.0.0.1/80' 2>/dev/null && break
        sleep 0.1
    done
done
settle

# Each recording starts with empty neighbour caches, so it holds its own ARP / neighbour discovery
# exchange at the start and the same frames on every run (otherwise what is resolved, stale or being
# re-probed depends on how long the script has been running: RFC 4861 section 7.3, Linux base_reachable).
fresh_neighbours() {
    local h
    for h in a r c; do
        ip -n "$NS_PREFIX$h" -4 neigh flush all
        ip -n "$NS_PREFIX$h" -6 neigh flush all
    done
}

udp_echo() { # udp_echo HOST ADDRESS-FOR-SOCAT TEXT
    echo "$3" | nsx "$1" socat -t 1 - "$2" >/dev/null
}

# ---------------------------------------------------------------------------------------------------
# Recordings. Each writes $WORK/<name>; the checks at the end copy the good ones to $OUT.

# 1. Loopback (Linux lo is Ethernet with zero MACs: LINKTYPE_ETHERNET).
fresh_neighbours
start_tcpdump l "$WORK/lo-tcp-udp-icmp.pcap" -i lo
nsx l curl -sS -o /dev/null http://127.0.0.1/index.html
udp_echo l UDP4:127.0.0.1:7 "udp over loopback 1"
udp_echo l UDP4:127.0.0.1:7 "udp over loopback 2"
nsx l ping -n -q -c 2 -i 0.2 127.0.0.1 >/dev/null
nsx l ping -n -q -c 1 ::1 >/dev/null
stop_capture

# 2. The 'any' pseudo-interface: LINUX_SLL2 (276, tcpdump's default) and LINUX_SLL (113).
for variant in sll2 sll; do
    ytype=LINUX_SLL2
    [[ $variant == sll ]] && ytype=LINUX_SLL
    fresh_neighbours
    start_tcpdump a "$WORK/any-$variant.pcap" -i any -y "$ytype"
    nsx a ping -n -q -c 2 -i 0.2 198.51.100.2 >/dev/null
    nsx a curl -sS -o /dev/null http://198.51.100.2/index.html
    nsx a ping -n -q -c 1 127.0.0.1 >/dev/null
    stop_capture
done

# 3. Two interfaces at once (dumpcap pcapng, two IDBs): every forwarded packet is seen on both.
fresh_neighbours
start_dumpcap r "$WORK/two-interfaces.pcapng" -i r0 -i r1
sleep 1 # dumpcap reports "Capturing on" a little before its second interface is live
nsx a ping -n -q -c 2 -i 0.2 198.51.100.2 >/dev/null
nsx a curl -sS -o /dev/null http://198.51.100.2/index.html
nsx a ping -n -q -c 1 2001:db8:c::2 >/dev/null
stop_capture 1.5

# 4. Ethernet IPv4+IPv6 base recording (IP only, so the raw-IP conversions below are clean).
fresh_neighbours
start_tcpdump a "$WORK/eth-ipv4-ipv6.pcap" -i a0 'ip or ip6'
nsx a ping -n -q -c 2 -i 0.2 198.51.100.2 >/dev/null
nsx a ping -n -q -c 2 -i 0.2 2001:db8:c::2 >/dev/null
nsx a curl -sS -o /dev/null http://198.51.100.2/index.html
nsx a curl -sS -o /dev/null 'http://[2001:db8:c::2]/index.html'
udp_echo a UDP4:198.51.100.2:7 "udp over ipv4"
udp_echo a 'UDP6:[2001:db8:c::2]:7' "udp over ipv6"
stop_capture

# 6. IPv6 extension headers: scapy-crafted hop-by-hop, destination options, SRH, atomic fragment, and
#    the kernel's answers; then real fragments from ping -6 -s 3000.
fresh_neighbours
start_tcpdump a "$WORK/ipv6-ext-headers.pcap" -i a0 ip6
nsx a "$PY" "$HERE/netcraft.py" ipv6-ext 2001:db8:a::1 2001:db8:c::2
nsx a ping -n -q -c 1 -s 3000 2001:db8:c::2 >/dev/null
stop_capture

# 7. VLAN tags: 802.1Q (VLAN 100) and QinQ (802.1ad S-tag 200 over 802.1Q C-tag 100).
for variant in vlan-8021q qinq-8021ad; do
    outer=()
    [[ $variant == qinq-8021ad ]] && outer=(200)
    fresh_neighbours
    start_tcpdump r "$WORK/$variant.pcap" -i r2
    # Directly, not through nsx: $! must be the responder itself, so that it can be stopped below.
    ip netns exec "${NS_PREFIX}r" "$PY" "$HERE/netcraft.py" vlan-responder r2 8 &
    responder=$!
    sleep 1.5 # scapy's sniffer needs a moment before it listens
    nsx a "$PY" "$HERE/netcraft.py" vlan-client a1 10.100.0.1 10.100.0.2 100 "${outer[@]}"
    stop_capture
    kill "$responder" 2>/dev/null || true
    wait "$responder" 2>/dev/null || true
done

# 8. Fragments: 3000-byte pings over a 1500-byte MTU (IPv4 by the sender, IPv6 fragment header).
fresh_neighbours
start_tcpdump a "$WORK/frag-ipv4.pcap" -i a0 ip
nsx a ping -n -q -c 2 -i 0.2 -s 3000 198.51.100.2 >/dev/null
stop_capture
fresh_neighbours
start_tcpdump a "$WORK/frag-ipv6.pcap" -i a0 ip6
nsx a ping -n -q -c 2 -i 0.2 -s 3000 2001:db8:c::2 >/dev/null
stop_capture

# 9. ICMP errors: port unreachable (v4, v6), TTL / hop limit exceeded at r, and, with r1's MTU cut to
#    1280, fragmentation needed (v4, DF set) and packet too big (v6). ICMP error rate limits (1 s per
#    destination by default) are why the steps are spaced.
ip -n "${NS_PREFIX}r" link set r1 mtu 1280
fresh_neighbours
start_tcpdump a "$WORK/icmp-errors.pcap" -i a0 'ip or ip6'
udp_echo a UDP4:198.51.100.2:9 "to a closed port" || true
udp_echo a 'UDP6:[2001:db8:c::2]:9' "to a closed port" || true
nsx a ping -n -q -c 1 -t 1 198.51.100.2 >/dev/null || true
nsx a ping -n -q -c 1 -t 1 2001:db8:c::2 >/dev/null || true
sleep 1
nsx a ping -n -q -c 1 -M do -s 1400 198.51.100.2 >/dev/null || true
nsx a ping -n -q -c 1 -s 1400 2001:db8:c::2 >/dev/null || true
stop_capture
ip -n "${NS_PREFIX}r" link set r1 mtu 1500
# Forget the learned path MTUs so later recordings see full-size packets again.
nsx a ip route flush cache
nsx a ip -6 route flush cache

# 10. TCP with and without the handshake: the same slow stream recorded twice on a0, once from before
#     the connection opens and once from after it is established.
fresh_neighbours
start_tcpdump a "$WORK/tcp-handshake.pcap" -i a0 'tcp port 5001'
full_pid=$CAP_PID
nsx a socat -u TCP4:198.51.100.2:5001 - >/dev/null &
client=$!
sleep 1
start_tcpdump a "$WORK/tcp-midstream.pcap" -i a0 'tcp port 5001'
wait "$client"
stop_capture
CAP_PID=$full_pid
stop_capture

# 11. Small snaplen: 60 bytes cut the TCP options (MSS, SACK-permitted, timestamps, window scale).
fresh_neighbours
start_tcpdump a "$WORK/snaplen60-tcp.pcap" -i a0 -s 60 tcp
nsx a curl -sS -o /dev/null http://198.51.100.2/index.html
stop_capture

# 12. VXLAN: overlay ping and HTTP, recorded on the underlay (outer Ethernet/IPv4/UDP 4789).
fresh_neighbours
start_tcpdump a "$WORK/vxlan.pcap" -i a0 'udp port 4789'
nsx a ping -n -q -c 2 -i 0.2 203.0.113.2 >/dev/null
nsx a curl -sS -o /dev/null http://203.0.113.2/index.html
stop_capture

# ---------------------------------------------------------------------------------------------------
# Container variants of the Ethernet base recording.
cd "$WORK"
editcap -F nsecpcap eth-ipv4-ipv6.pcap eth-ipv4-ipv6-nsec.pcap
editcap -F pcapng eth-ipv4-ipv6.pcap eth-ipv4-ipv6.pcapng
# editcap -C cuts the captured bytes but keeps each frame's on-wire length, which would make every
# frame look truncated by 14 bytes; pcaptool's wirelen-less takes the header off the wire length too.
tshark -r eth-ipv4-ipv6.pcap -Y 'eth.type == 0x0800' -F pcap -w ipv4-only.tmp
tshark -r eth-ipv4-ipv6.pcap -Y 'eth.type == 0x86dd' -F pcap -w ipv6-only.tmp
editcap -F pcap -C 14 -T rawip eth-ipv4-ipv6.pcap rawip.tmp
editcap -F pcap -C 14 -T rawip4 ipv4-only.tmp rawip4.tmp
editcap -F pcap -C 14 -T rawip6 ipv6-only.tmp rawip6.tmp
for f in rawip rawip4 rawip6; do
    "$PY" "$HERE/pcaptool.py" wirelen-less "$f.tmp" "$f.pcap" 14
done
"$PY" "$HERE/pcaptool.py" pcap-be lo-tcp-udp-icmp.pcap be-usec.pcap
"$PY" "$HERE/pcaptool.py" pcap-be eth-ipv4-ipv6-nsec.pcap be-nsec.pcap
"$PY" "$HERE/pcaptool.py" null rawip.pcap null.pcap
"$PY" "$HERE/pcaptool.py" loop rawip.pcap loop.pcap
"$PY" "$HERE/pcaptool.py" pcapng-be eth-ipv4-ipv6.pcap be.pcapng
gzip -9 -n -c eth-ipv4-ipv6.pcap >eth-ipv4-ipv6.pcap.gz

# ---------------------------------------------------------------------------------------------------
# Checks: tshark must decode every frame without a malformed-packet or expert error, the counts must
# not be empty, and the expected protocols must be there.
FILES=(
    lo-tcp-udp-icmp.pcap any-sll2.pcap any-sll.pcap two-interfaces.pcapng
    eth-ipv4-ipv6.pcap eth-ipv4-ipv6-nsec.pcap eth-ipv4-ipv6.pcapng eth-ipv4-ipv6.pcap.gz
    rawip.pcap rawip4.pcap rawip6.pcap be-usec.pcap be-nsec.pcap null.pcap loop.pcap be.pcapng
    ipv6-ext-headers.pcap vlan-8021q.pcap qinq-8021ad.pcap frag-ipv4.pcap frag-ipv6.pcap
    icmp-errors.pcap tcp-handshake.pcap tcp-midstream.pcap snaplen60-tcp.pcap vxlan.pcap
)

declare -A WHAT=(
    [lo-tcp-udp-icmp.pcap]="tcpdump -i lo: HTTP over TCP (handshake, data, FIN close), UDP echo x2, ping 127.0.0.1 x2, ping ::1"
    [any-sll2.pcap]="tcpdump -i any (default LINUX_SLL2): ARP, ping, HTTP to 198.51.100.2, ping on lo"
    [any-sll.pcap]="tcpdump -i any -y LINUX_SLL: same traffic as any-sll2"
    [two-interfaces.pcapng]="dumpcap -i r0 -i r1 on a router: ping, HTTP, ping6 seen on both interfaces (IDB 0 and 1)"
    [eth-ipv4-ipv6.pcap]="tcpdump -i a0 'ip or ip6': ping, ping6, HTTP over v4 and v6, UDP echo over v4 and v6, ND"
    [eth-ipv4-ipv6-nsec.pcap]="editcap -F nsecpcap of eth-ipv4-ipv6.pcap"
    [eth-ipv4-ipv6.pcapng]="editcap -F pcapng of eth-ipv4-ipv6.pcap"
    [eth-ipv4-ipv6.pcap.gz]="gzip -n of eth-ipv4-ipv6.pcap"
    [rawip.pcap]="editcap -C 14 -T rawip of eth-ipv4-ipv6.pcap, wire length fixed by pcaptool wirelen-less"
    [rawip4.pcap]="IPv4 frames of eth-ipv4-ipv6.pcap, editcap -C 14 -T rawip4"
    [rawip6.pcap]="IPv6 frames of eth-ipv4-ipv6.pcap, editcap -C 14 -T rawip6"
    [be-usec.pcap]="pcaptool pcap-be of lo-tcp-udp-icmp.pcap (big-endian, us magic)"
    [be-nsec.pcap]="pcaptool pcap-be of eth-ipv4-ipv6-nsec.pcap (big-endian, ns magic)"
    [null.pcap]="pcaptool null of rawip.pcap: 4-byte little-endian AF header, AF_INET 2, AF_INET6 30"
    [loop.pcap]="pcaptool loop of rawip.pcap: 4-byte big-endian AF header, AF_INET 2, AF_INET6 24"
    [be.pcapng]="pcaptool pcapng-be of eth-ipv4-ipv6.pcap (big-endian SHB, if_tsresol 6)"
    [ipv6-ext-headers.pcap]="scapy: echo behind HBH, DestOpt, HBH+DestOpt+SRH, atomic fragment; UDP behind DestOpt (port unreachable); ping6 -s 3000 fragments"
    [vlan-8021q.pcap]="scapy on a veth: 802.1Q VLAN 100 ARP, 3 pings, 2 UDP echo, with replies"
    [qinq-8021ad.pcap]="scapy on a veth: 802.1ad S-tag 200 over 802.1Q C-tag 100, same exchange as vlan-8021q"
    [frag-ipv4.pcap]="ping -s 3000 x2 over MTU 1500: IPv4 fragments both ways"
    [frag-ipv6.pcap]="ping -6 -s 3000 x2: IPv6 fragment headers both ways, ND"
    [icmp-errors.pcap]="port unreachable v4/v6, TTL/hop limit exceeded from the router, frag needed (v4 DF) and packet too big (v6) at MTU 1280"
    [tcp-handshake.pcap]="slow TCP stream (30 lines) recorded from before the SYN to the close"
    [tcp-midstream.pcap]="the same stream recorded from 1 s after the handshake: no SYN"
    [snaplen60-tcp.pcap]="tcpdump -s 60 of HTTP over TCP: frames cut to 58 bytes by libpcap, TCP options truncated"
    [vxlan.pcap]="underlay of VXLAN VNI 42 (UDP 4789): overlay ARP, ping, HTTP between 203.0.113.1 and .2"
)

expect() { # expect FILE DISPLAY-FILTER MIN-COUNT
    local n
    n=$(tshark -r "$1" -Y "$2" 2>/dev/null | wc -l)
    if ((n < $3)); then
        echo "$0: $1: expected at least $3 frames matching '$2', found $n" >&2
        exit 1
    fi
}

for f in "${FILES[@]}"; do
    frames=$(capinfos -c -M "$f" | awk -F': *' '/Number of packets/ {print $2}')
    if [[ -z $frames || $frames -eq 0 ]]; then
        echo "$0: $f: no packets" >&2
        exit 1
    fi
    # Nothing but snaplen60 may hold a frame shorter than it was on the wire.
    cut=$(tshark -r "$f" -Y 'frame.cap_len < frame.len' 2>/dev/null | wc -l)
    if [[ $f != snaplen60-tcp.pcap && $cut -ne 0 ]]; then
        echo "$0: $f: $cut frames are shorter than their wire length" >&2
        exit 1
    fi
    # snaplen60 is truncated on purpose: tshark says so per frame, which is not an error here.
    bad=$(tshark -r "$f" -Y '_ws.malformed or _ws.expert.severity == error' 2>/dev/null | wc -l)
    if [[ $f != snaplen60-tcp.pcap && $bad -ne 0 ]]; then
        echo "$0: $f: tshark reports $bad malformed or erroneous frames" >&2
        tshark -r "$f" -Y '_ws.malformed or _ws.expert.severity == error' >&2
        exit 1
    fi
done
expect lo-tcp-udp-icmp.pcap 'tcp.flags.syn == 1 && tcp.flags.ack == 0' 1
expect lo-tcp-udp-icmp.pcap 'tcp.flags.fin == 1' 2
expect lo-tcp-udp-icmp.pcap 'udp.port == 7' 4
expect lo-tcp-udp-icmp.pcap 'icmp.type == 0' 2
expect lo-tcp-udp-icmp.pcap 'icmpv6.type == 129' 1
expect any-sll2.pcap 'sll.ifindex' 4
expect any-sll.pcap 'sll.pkttype' 4
expect two-interfaces.pcapng 'frame.interface_id == 1' 4
expect two-interfaces.pcapng 'frame.interface_id == 0' 4
expect rawip.pcap 'ipv6' 4
expect rawip.pcap 'ip' 4
expect null.pcap 'null.family == 30' 4
expect loop.pcap 'null.family == 24' 4
expect ipv6-ext-headers.pcap 'ipv6.hopopts' 2
expect ipv6-ext-headers.pcap 'ipv6.dstopts' 3
expect ipv6-ext-headers.pcap 'ipv6.routing.type == 4' 1
expect ipv6-ext-headers.pcap 'ipv6.fraghdr' 5
expect ipv6-ext-headers.pcap 'icmpv6.type == 129 && icmpv6.echo.sequence_number == 3' 1
expect ipv6-ext-headers.pcap 'icmpv6.type == 129' 4
expect vlan-8021q.pcap 'vlan.id == 100' 12
expect qinq-8021ad.pcap 'ieee8021ad.id == 200 && vlan.id == 100' 12
expect frag-ipv4.pcap 'ip.flags.mf == 1' 4
expect frag-ipv6.pcap 'ipv6.fraghdr.more == 1' 4
expect icmp-errors.pcap 'icmp.type == 3 && icmp.code == 3' 1
expect icmp-errors.pcap 'icmp.type == 11' 1
expect icmp-errors.pcap 'icmp.type == 3 && icmp.code == 4' 1
expect icmp-errors.pcap 'icmpv6.type == 1 && icmpv6.code == 4' 1
expect icmp-errors.pcap 'icmpv6.type == 3' 1
expect icmp-errors.pcap 'icmpv6.type == 2' 1
expect tcp-handshake.pcap 'tcp.flags.syn == 1' 2
expect tcp-midstream.pcap 'tcp.flags.fin == 1' 2
expect snaplen60-tcp.pcap 'frame.cap_len < frame.len && frame.cap_len <= 60' 10
expect vxlan.pcap 'vxlan.vni == 42 && icmp' 4
expect vxlan.pcap 'vxlan.vni == 42 && tcp' 6
if [[ $(tshark -r tcp-midstream.pcap -Y 'tcp.flags.syn == 1' | wc -l) -ne 0 ]]; then
    echo "$0: tcp-midstream.pcap holds a SYN: the capture started too early" >&2
    exit 1
fi

# ---------------------------------------------------------------------------------------------------
# Publish, with a manifest the tests can assert against.
rm -f "$OUT"/*.pcap "$OUT"/*.pcapng "$OUT"/*.pcap.gz
{
    printf 'file\tlinktype\tframes\tnotes\n'
    for f in "${FILES[@]}"; do
        cp "$f" "$OUT/$f"
        chmod 644 "$OUT/$f" # dumpcap creates its files 0600
        frames=$(capinfos -c -M "$f" | awk -F': *' '/Number of packets/ {print $2}')
        info=$("$PY" "$HERE/pcaptool.py" info "$f")
        linktype=$(sed -E 's/.*linktypes?=([0-9,]+).*/\1/' <<<"$info")
        notes="${WHAT[$f]}; $(sed -E 's/^[^:]*: //; s/ (packets|linktypes?)=[0-9,]+//g' <<<"$info")"
        printf '%s\t%s\t%s\t%s\n' "$f" "$linktype" "$frames" "$notes"
    done
} >"$OUT/MANIFEST.tsv"
echo "recorded ${#FILES[@]} captures in $OUT"
"$HERE/craft-captures.sh" "$OUT"

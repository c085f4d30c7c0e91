#!/usr/bin/env bash
# Records samples/web-tier.pcapng, the capture shipped to pair with rulesets/web-tier.yaml.
#
# All traffic is real (curl, python3 http.server, ping, dig, socat, the kernel's TCP resets), sent
# between two network namespaces made here, and recorded by dumpcap on web-1's interface.
#
# Usage: sudo scripts/record-samples.sh [OUTDIR]     (default: samples/ next to this script)
# Needs: root, iproute2, dumpcap/tshark, curl, iputils-ping, dnsutils (dig), socat, python3-scapy.
# Re-runnable: it deletes its own namespaces (fwsmp-*) first and last.
#
# Address plan (rulesets/web-tier.yaml):
#   web   web0  10.0.1.10/24, 2001:db8:1::10/64            web-1, in subnet "public"
#   inet  inet0 198.51.100.7, 198.51.100.8 (/24)           internet clients
#               2001:db8:ffff::7/64                        an IPv6 internet client
#               192.0.2.53/24                              a DNS server
# One veth joins them; each side has on-link routes to the other's prefixes (no router).

set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS_PREFIX=fwsmp-
# shellcheck source=netns-lib.sh
source "$HERE/netns-lib.sh"

OUT="${1:-$HERE/../samples}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d /tmp/fwsmp.XXXXXX)"

finish() {
    cleanup_namespaces
    [[ -n ${KEEP_WORK:-} ]] && echo "work files kept in $WORK" >&2 || rm -rf "$WORK"
}
trap finish EXIT

require_root
require_tools ip dumpcap tshark capinfos curl ping dig socat "$PY"
"$PY" -c 'import scapy' 2>/dev/null || { echo "$0: python3-scapy is not installed" >&2; exit 1; }

cleanup_namespaces

ns_add web
ns_add inet
link web web0 02:00:00:01:00:10 inet inet0 02:00:00:ff:00:07
addr web web0 10.0.1.10/24 2001:db8:1::10/64
addr inet inet0 198.51.100.7/24 198.51.100.8/24 192.0.2.53/24 2001:db8:ffff::7/64
for p in 198.51.100.0/24 192.0.2.0/24; do ip -n "${NS_PREFIX}web" route add "$p" dev web0; done
ip -n "${NS_PREFIX}web" -6 route add 2001:db8:ffff::/64 dev web0
ip -n "${NS_PREFIX}inet" route add 10.0.1.0/24 dev inet0
ip -n "${NS_PREFIX}inet" -6 route add 2001:db8:1::/64 dev inet0

mkdir -p "$WORK/www"
printf '<!doctype html><title>web-1</title><p>web-1 of the web-tier sample</p>\n' >"$WORK/www/index.html"
# web-1 serves HTTP on 80 and (plain HTTP on) the HTTPS port 443, IPv4 and IPv6.
for port in 80 443; do
    (cd "$WORK/www" && exec ip netns exec "${NS_PREFIX}web" "$PY" -m http.server "$port" --bind :: \
        >"$WORK/http-$port.log" 2>&1) &
done
# An internet server on 443 for web-1's own outbound call.
(cd "$WORK/www" && exec ip netns exec "${NS_PREFIX}inet" "$PY" -m http.server 443 --bind 198.51.100.7 \
    >"$WORK/http-inet.log" 2>&1) &
# UDP echo on web-1 (port 7, RFC 862).
nsx web socat UDP4-RECVFROM:7,fork,reuseaddr PIPE >/dev/null 2>&1 &
nsx inet "$PY" "$HERE/netcraft.py" dns-responder 192.0.2.53 120 >"$WORK/dns.log" 2>&1 &

# Wait for the servers, each probed on its own host (no traffic crosses the link before the capture).
for spec in web:127.0.0.1:80 web:127.0.0.1:443 inet:198.51.100.7:443; do
    IFS=: read -r host address port <<<"$spec"
    for i in $(seq 1 50); do
        nsx "$host" bash -c "exec 3<>/dev/tcp/$address/$port" 2>/dev/null && break
        sleep 0.1
    done
done
settle
# Empty neighbour caches: the sample shows each first contact's ARP / neighbour discovery.
for h in web inet; do
    ip -n "$NS_PREFIX$h" -4 neigh flush all
    ip -n "$NS_PREFIX$h" -6 neigh flush all
done

start_dumpcap web "$WORK/web-tier.pcapng" -i web0
sleep 1 # dumpcap announces itself a little before it captures

inet() { nsx inet "$@"; }

# 1. HTTP and HTTPS-port requests from a Linux client (ephemeral ports 32768-60999): allowed both ways.
inet curl -sS -o /dev/null --interface 198.51.100.7 http://10.0.1.10/
inet curl -sS -o /dev/null --interface 198.51.100.7 http://10.0.1.10:443/
# 2. The same from a client whose ports are above 60999: requests pass, the NACL drops the replies.
inet curl -sS -o /dev/null --max-time 5 --interface 198.51.100.8 --local-port 61000-65000 http://10.0.1.10/
inet curl -sS -o /dev/null --max-time 5 --interface 198.51.100.8 --local-port 61000-65000 http://10.0.1.10:443/
# 3. HTTPS port over IPv6.
inet curl -sS -o /dev/null --interface 2001:db8:ffff::7 'http://[2001:db8:1::10]:443/'
# 4. SSH attempts from outside the office range: nothing listens, web-1 answers with RST; the
#    security group admits port 22 only from 203.0.113.0/24.
for _ in 1 2; do
    inet curl -sS -o /dev/null --max-time 2 --interface 198.51.100.7 telnet://10.0.1.10:22 2>/dev/null || true
done
# 5. Pings from the internet.
inet ping -n -q -c 3 -i 0.2 -I 198.51.100.7 10.0.1.10 >/dev/null
# 6. web-1's own DNS queries (answers come back; the NACL has no inbound UDP rule for them).
nsx web dig +tries=1 +time=2 @192.0.2.53 www.example.com A >/dev/null
nsx web dig +tries=1 +time=2 @192.0.2.53 www.example.com AAAA >/dev/null
# 7. A UDP exchange of three datagrams on one socket (a UDP stream) from a client to web-1's port 7.
inet "$PY" -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.51.100.7", 40007))
s.settimeout(2)
for i in range(1, 4):
    s.sendto(b"datagram %d" % i, ("10.0.1.10", 7))
    s.recvfrom(100)
'
# 8. web-1's own HTTPS-port call to the internet (outbound SG 443; replies by NACL inbound rule 140).
nsx web curl -sS -o /dev/null http://198.51.100.7:443/

stop_capture 1.5

# ---------------------------------------------------------------------------------------------------
# Checks: what the sample is meant to show must be in it, and tshark must decode it cleanly.
F="$WORK/web-tier.pcapng"
expect() { # expect DISPLAY-FILTER MIN-COUNT WHAT
    local n
    n=$(tshark -r "$F" -Y "$1" 2>/dev/null | wc -l)
    if ((n < $2)); then
        echo "$0: expected at least $2 frames of $3 ('$1'), found $n" >&2
        exit 1
    fi
}
expect 'ip.src == 198.51.100.7 && tcp.dstport == 80 && tcp.flags.syn == 1 && tcp.srcport >= 32768 && tcp.srcport <= 60999' 1 'HTTP from a Linux client'
expect 'ip.src == 198.51.100.7 && tcp.dstport == 443 && tcp.flags.syn == 1' 1 'HTTPS-port from a Linux client'
expect 'ip.src == 198.51.100.8 && tcp.flags.syn == 1 && tcp.srcport > 60999' 2 'requests from high ports'
expect 'ip.dst == 198.51.100.8 && tcp.dstport > 60999 && tcp.len > 0' 2 'replies to high ports'
expect 'ipv6.src == 2001:db8:ffff::7 && tcp.dstport == 443 && tcp.flags.syn == 1' 1 'HTTPS-port over IPv6'
expect 'tcp.dstport == 22 && tcp.flags.syn == 1' 2 'SSH attempts'
expect 'tcp.srcport == 22 && tcp.flags.reset == 1' 2 'RSTs from port 22'
expect 'icmp.type == 8 && ip.src == 198.51.100.7' 3 'pings'
expect 'icmp.type == 0' 3 'echo replies'
expect 'dns.flags.response == 0 && ip.dst == 192.0.2.53' 2 'DNS queries'
expect 'dns.flags.response == 1 && ip.src == 192.0.2.53' 2 'DNS answers'
expect 'udp.port == 7' 6 'UDP echo datagrams'
expect 'ip.src == 10.0.1.10 && tcp.dstport == 443 && tcp.flags.syn == 1' 1 "web-1's outbound call"
bad=$(tshark -r "$F" -Y '_ws.malformed or _ws.expert.severity == error' 2>/dev/null | wc -l)
if [[ $bad -ne 0 ]]; then
    echo "$0: tshark reports $bad malformed or erroneous frames" >&2
    exit 1
fi

cp "$F" "$OUT/web-tier.pcapng"
chmod 644 "$OUT/web-tier.pcapng" # dumpcap creates its files 0600
echo "recorded $OUT/web-tier.pcapng: $(capinfos -c -M "$F" | awk -F': *' '/Number of packets/ {print $2}') frames"

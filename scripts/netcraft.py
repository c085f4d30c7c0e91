#!/usr/bin/python3
"""Sends the crafted frames that this kernel cannot produce by itself, for record-captures.sh.

Needs python3-scapy (Debian) and root; run only inside the script's own network namespaces.

  vlan-responder IFACE SECONDS
      Answers 802.1Q / 802.1ad-over-802.1Q tagged ARP requests, ICMP echo requests and UDP datagrams
      to port 7 (echo) on IFACE, with the same tag stack, for SECONDS. The test kernel has no 8021q
      support (no VLAN devices, no bridge VLAN filtering, no tc vlan action), so tagged hosts are played
      by scapy on both ends of a veth, while tcpdump records the real wire.
  vlan-client IFACE MY_IP PEER_IP VLAN [OUTER_VLAN]
      ARP for PEER_IP, then 3 pings and 2 UDP echo datagrams inside the tag stack (802.1Q VLAN, or
      802.1ad OUTER_VLAN carrying 802.1Q VLAN: QinQ, IEEE 802.1ad).
  dns-responder ADDRESS SECONDS
      A minimal authoritative DNS server on ADDRESS:53 (UDP) for SECONDS: every A query is answered
      with 192.0.2.80, every AAAA query with 2001:db8:ffff::80, anything else with NOTIMP (RFC 1035).
      Lets dig run against a host in a namespace without a DNS server package.
  ipv6-ext SRC DST
      IPv6 packets with extension headers (RFC 8200 section 4) that the kernel answers:
      hop-by-hop + echo, destination options + echo, hop-by-hop + destination options + segment routing
      header with segments left 0 (RFC 8754 section 4.3.1: processed as if absent) + echo, an atomic
      fragment (RFC 6946) + echo, and a UDP datagram behind destination options to a closed port.
"""

import socket
import sys
import time

from scapy.all import (  # noqa: E402  (scapy is slow to import; keep the names explicit)
    ARP, DNS, DNSRR, Dot1AD, Dot1Q, Ether, ICMP, ICMPv6EchoRequest, IP, IPv6, IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrSegmentRouting, PadN, Raw, UDP, conf,
    get_if_hwaddr, sendp, send, sniff, srp1,
)

conf.verb = 0


def tag_stack(pkt):
    """Returns the list of (layer class, vlan id) outermost first, and the payload under the tags."""
    tags = []
    layer = pkt.payload
    while isinstance(layer, (Dot1Q, Dot1AD)):
        tags.append((type(layer), layer.vlan))
        layer = layer.payload
    return tags, layer


def wrap(src_mac, dst_mac, tags, inner):
    frame = Ether(src=src_mac, dst=dst_mac)
    for cls, vid in tags:
        frame = frame / cls(vlan=vid)
    return frame / inner


def vlan_responder(iface, seconds):
    my_mac = get_if_hwaddr(iface)

    def answer(pkt):
        if Ether not in pkt or pkt[Ether].src == my_mac:
            return
        tags, inner = tag_stack(pkt[Ether])
        if not tags:
            return
        reply = None
        if isinstance(inner, ARP) and inner.op == 1:
            # Whoever asks gets our MAC: this host owns every address it is asked about on the tag.
            reply = ARP(op=2, hwsrc=my_mac, psrc=inner.pdst, hwdst=inner.hwsrc, pdst=inner.psrc)
        elif isinstance(inner, IP) and ICMP in inner and inner[ICMP].type == 8:
            ip = inner
            reply = IP(src=ip.dst, dst=ip.src, ttl=64) / ICMP(type=0, id=ip[ICMP].id, seq=ip[ICMP].seq) / \
                Raw(bytes(ip[ICMP].payload))
        elif isinstance(inner, IP) and UDP in inner and inner[UDP].dport == 7:
            ip = inner
            reply = IP(src=ip.dst, dst=ip.src, ttl=64) / UDP(sport=7, dport=ip[UDP].sport) / \
                Raw(bytes(ip[UDP].payload))
        if reply is not None:
            sendp(wrap(my_mac, pkt[Ether].src, tags, reply), iface=iface)

    sniff(iface=iface, prn=answer, store=False, timeout=seconds)


def vlan_client(iface, my_ip, peer_ip, vlan, outer=None):
    my_mac = get_if_hwaddr(iface)
    tags = ([(Dot1AD, outer)] if outer is not None else []) + [(Dot1Q, vlan)]
    arp = wrap(my_mac, "ff:ff:ff:ff:ff:ff", tags, ARP(op=1, hwsrc=my_mac, psrc=my_ip, pdst=peer_ip))
    ans = srp1(arp, iface=iface, timeout=2)
    if ans is None or ARP not in ans:
        sys.exit(f"netcraft: no ARP reply from {peer_ip} on VLAN {vlan}")
    peer_mac = ans[ARP].hwsrc
    for seq in range(1, 4):
        req = IP(src=my_ip, dst=peer_ip, ttl=64) / ICMP(type=8, id=0x5151, seq=seq) / Raw(b"vlan-ping-%d" % seq)
        if srp1(wrap(my_mac, peer_mac, tags, req), iface=iface, timeout=2) is None:
            sys.exit(f"netcraft: no echo reply for seq {seq}")
        time.sleep(0.1)
    for n in range(1, 3):
        dgram = IP(src=my_ip, dst=peer_ip, ttl=64) / UDP(sport=40000 + n, dport=7) / Raw(b"vlan-udp-%d" % n)
        if srp1(wrap(my_mac, peer_mac, tags, dgram), iface=iface, timeout=2) is None:
            sys.exit(f"netcraft: no UDP echo for datagram {n}")
        time.sleep(0.1)


def dns_responder(address, seconds):
    sock = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((address, 53))
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            data, peer = sock.recvfrom(4096)
        except socket.timeout:
            break
        try:
            q = DNS(data)
        except Exception:  # scapy raises assorted errors on junk; a server drops junk silently
            continue
        if q.qr != 0 or q.qd is None:
            continue
        qtype, name = q.qd.qtype, q.qd.qname
        if qtype == 1:
            an, rcode = DNSRR(rrname=name, type="A", ttl=300, rdata="192.0.2.80"), 0
        elif qtype == 28:
            an, rcode = DNSRR(rrname=name, type="AAAA", ttl=300, rdata="2001:db8:ffff::80"), 0
        else:
            an, rcode = None, 4  # NOTIMP
        reply = DNS(id=q.id, qr=1, aa=1, rd=q.rd, ra=0, rcode=rcode, qd=q.qd, an=an)
        sock.sendto(bytes(reply), peer)


def ipv6_ext(src, dst):
    pad = PadN(optdata=b"\0\0\0\0")
    packets = [
        IPv6(src=src, dst=dst) / IPv6ExtHdrHopByHop(options=[pad]) /
        ICMPv6EchoRequest(id=0x6601, seq=1, data=b"hop-by-hop"),
        IPv6(src=src, dst=dst) / IPv6ExtHdrDestOpt(options=[pad]) /
        ICMPv6EchoRequest(id=0x6601, seq=2, data=b"destination-options"),
        IPv6(src=src, dst=dst) / IPv6ExtHdrHopByHop(options=[pad]) / IPv6ExtHdrDestOpt(options=[pad]) /
        IPv6ExtHdrSegmentRouting(addresses=[dst], segleft=0, lastentry=0) /
        ICMPv6EchoRequest(id=0x6601, seq=3, data=b"hbh+dst+srh"),
        IPv6(src=src, dst=dst) / IPv6ExtHdrFragment(offset=0, m=0, id=0x4242) /
        ICMPv6EchoRequest(id=0x6601, seq=4, data=b"atomic-fragment"),
        IPv6(src=src, dst=dst) / IPv6ExtHdrDestOpt(options=[pad]) / UDP(sport=40100, dport=9) /
        Raw(b"udp-behind-destopt"),
    ]
    for p in packets:
        send(p)
        time.sleep(0.2)


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "vlan-responder" and len(args) == 2:
        vlan_responder(args[0], float(args[1]))
    elif cmd == "vlan-client" and len(args) in (4, 5):
        vlan_client(args[0], args[1], args[2], int(args[3]), int(args[4]) if len(args) == 5 else None)
    elif cmd == "dns-responder" and len(args) == 2:
        dns_responder(args[0], float(args[1]))
    elif cmd == "ipv6-ext" and len(args) == 2:
        ipv6_ext(args[0], args[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)

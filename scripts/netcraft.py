#!/usr/bin/python3
"""Sends (or writes) the crafted frames that this kernel cannot produce by itself, for
record-captures.sh and craft-captures.sh.

Needs python3-scapy (Debian). The sending commands need root; run them only inside the scripts' own
network namespaces. The write-* commands only write a file, with fixed timestamps, so that they give
the same bytes on every run.

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
  write-mpls OUT
      MPLS (RFC 3032) as an LSR's interface would see it, written to the pcap OUT: IPv4 and IPv6 under
      one to three labels (with an entropy label, RFC 6790), under the explicit-null labels, multicast
      MPLS (EtherType 0x8848), MPLS under 802.1Q and under QinQ, an Ethernet pseudowire with the control
      word (RFC 4448, RFC 4385) carrying IPv4, ARP and an 802.1Q-tagged frame, and a G-ACh packet behind
      the GAL label (RFC 5586). This kernel has no MPLS (no /proc/sys/net/mpls), so nothing real exists
      to record.
  write-non-ip OUT
      Frames that carry no IP packet, written to the pcap OUT: ARP request and reply, LLDP, IPX, an
      IEEE 802.3 / LLC spanning-tree BPDU, and ARP under an 802.1Q tag.
"""

import socket
import sys
import time

from scapy.all import (  # noqa: E402  (scapy is slow to import; keep the names explicit)
    ARP, DNS, DNSQR, DNSRR, LLC, STP, TCP, Dot1AD, Dot1Q, Dot3, Ether, ICMP, ICMPv6EchoReply,
    ICMPv6EchoRequest, IP, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
    IPv6ExtHdrSegmentRouting, PadN, Padding, Raw, UDP, conf, get_if_hwaddr, sendp, send, sniff, srp1,
    wrpcap,
)
from scapy.contrib.lldp import (  # noqa: E402
    LLDPDUChassisID, LLDPDUEndOfLLDPDU, LLDPDUPortID, LLDPDUTimeToLive,
)
from scapy.contrib.mpls import MPLS  # noqa: E402

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


# RFC 7042 section 2.1.2: 00-00-5E-00-53-00 to 00-00-5E-00-53-FF are unicast MAC addresses for
# documentation. Registered under the IANA OUI, so Wireshark's pseudowire heuristic (which looks the
# OUIs up) takes them for the Ethernet frame they are.
PE1, PE2, CE1, CE2 = "00:00:5e:00:53:10", "00:00:5e:00:53:20", "00:00:5e:00:53:01", "00:00:5e:00:53:02"
# 2026-01-01T10:00:00Z, then a tenth of a second per frame.
T0 = 1_767_261_600


def write_frames(path, frames):
    for i, f in enumerate(frames):
        f.time = T0 + i / 10
    wrpcap(path, frames)


def pad60(frame):
    """Ethernet's minimum frame (60 bytes without FCS), as a receiving NIC delivers it."""
    short = 60 - len(frame)
    return frame / Padding(b"\0" * short) if short > 0 else frame


def write_mpls(path):
    def lsp(*labels, src=PE1, dst=PE2, ethertype=0x8847, tags=()):
        """Ethernet (optionally tagged) and a label stack; the last label is the bottom of the stack."""
        frame = Ether(src=src, dst=dst)
        for cls, vid in tags:
            frame = frame / cls(vlan=vid)
        if tags:
            frame[type(frame.lastlayer())].type = ethertype
        else:
            frame.type = ethertype
        for i, label in enumerate(labels):
            frame = frame / MPLS(label=label, s=int(i == len(labels) - 1), ttl=64 - i)
        return frame

    def back(*labels, **kw):
        return lsp(*labels, src=PE2, dst=PE1, **kw)

    v4a, v4c = "192.0.2.1", "198.51.100.2"
    v6a, v6c = "2001:db8:a::1", "2001:db8:c::2"
    pw_a, pw_b = "203.0.113.1", "203.0.113.2"
    control_word = Raw(b"\0\0\0\0")                     # RFC 4385: first nibble 0, no flags, sequence 0
    control_word_seq = Raw(b"\0\0\0\x01")              # the same, sequence number 1
    frames = [
        # IPv4 and IPv6 under one and two labels (transport label, then a service label).
        lsp(16001) / IP(src=v4a, dst=v4c) / ICMP(id=0x4d01, seq=1) / Raw(b"mpls ping"),
        pad60(back(16002) / IP(src=v4c, dst=v4a) / ICMP(type=0, id=0x4d01, seq=1) / Raw(b"mpls ping")),
        lsp(16001, 24001) / IPv6(src=v6a, dst=v6c) / ICMPv6EchoRequest(id=0x4d02, seq=1, data=b"mpls ping6"),
        back(16002, 24002) / IPv6(src=v6c, dst=v6a) / ICMPv6EchoReply(id=0x4d02, seq=1, data=b"mpls ping6"),
        # Three labels: transport, entropy label indicator (7), entropy label (RFC 6790).
        lsp(16001, 7, 500001) / IP(src=v4a, dst=v4c) / TCP(sport=40001, dport=80, flags="S", seq=1000),
        pad60(back(16002, 7, 500002) / IP(src=v4c, dst=v4a) / TCP(sport=80, dport=40001, flags="SA", seq=5000, ack=1001)),
        # Explicit-null labels: 0 for IPv4, 2 for IPv6 (RFC 3032 section 2.1).
        lsp(0) / IP(src=v4a, dst=v4c) / UDP(sport=40002, dport=53) / DNS(id=0x1234, rd=1, qd=DNSQR(qname="example.org")),
        lsp(2) / IPv6(src=v6a, dst=v6c) / UDP(sport=40003, dport=53) /
        DNS(id=0x1235, rd=1, qd=DNSQR(qname="example.org", qtype="AAAA")),
        # Multicast MPLS (EtherType 0x8848, RFC 5332) carrying source-specific multicast.
        lsp(17000, dst="01:00:5e:01:01:01", ethertype=0x8848) / IP(src=v4a, dst="232.1.1.1", ttl=16) /
        UDP(sport=40004, dport=5004) / Raw(b"mpls multicast"),
        # MPLS under an 802.1Q tag, and under QinQ (802.1ad S-tag 200 over 802.1Q C-tag 100).
        lsp(16001, tags=[(Dot1Q, 100)]) / IP(src=v4a, dst=v4c) / ICMP(id=0x4d03, seq=1) / Raw(b"tagged mpls"),
        lsp(16001, 24001, tags=[(Dot1AD, 200), (Dot1Q, 100)]) / IPv6(src=v6a, dst=v6c) /
        UDP(sport=40005, dport=7) / Raw(b"qinq mpls"),
        # Ethernet pseudowire (RFC 4448) with the control word: the customer's frames, whole.
        lsp(16001, 30001) / control_word / Ether(src=CE1, dst=CE2) / IP(src=pw_a, dst=pw_b) /
        TCP(sport=40006, dport=22, flags="S", seq=7000),
        back(16002, 30002) / control_word_seq / Ether(src=CE2, dst=CE1) / IP(src=pw_b, dst=pw_a) /
        TCP(sport=22, dport=40006, flags="SA", seq=9000, ack=7001),
        lsp(16001, 30001) / control_word / Ether(src=CE1, dst="ff:ff:ff:ff:ff:ff") /
        ARP(hwsrc=CE1, psrc=pw_a, pdst=pw_b),
        lsp(16001, 30001) / control_word / Ether(src=CE1, dst=CE2) / Dot1Q(vlan=300) / IP(src=pw_a, dst=pw_b) /
        UDP(sport=40007, dport=514) / Raw(b"<14>pseudowire"),
        # G-ACh behind the GAL (label 13, RFC 5586): associated channel header, channel 7 (BFD control).
        lsp(16001, 13) / Raw(b"\x10\x00\x00\x07" + bytes([0x20, 0xc0, 3, 24]) + bytes(20)),
    ]
    write_frames(path, frames)


def write_non_ip(path):
    sw = "00:00:5e:00:53:30"
    lldp = (LLDPDUChassisID(subtype=4, id=sw) / LLDPDUPortID(subtype=5, id=b"eth0") / LLDPDUTimeToLive(ttl=120) /
            LLDPDUEndOfLLDPDU())
    # IPX (Novell): checksum ffff, length, transport control, type 4 (PEP), destination and source
    # network, node, socket; then a SAP-style payload.
    ipx = (b"\xff\xff\x00\x28\x00\x04" + b"\x00\x00\x00\x01" + bytes.fromhex("00005e005302") + b"\x04\x52" +
           b"\x00\x00\x00\x01" + bytes.fromhex("00005e005301") + b"\x40\x00" + b"\x00\x01" + bytes(8))
    frames = [
        Ether(src=CE1, dst="ff:ff:ff:ff:ff:ff") / ARP(hwsrc=CE1, psrc="192.0.2.1", pdst="192.0.2.2"),
        pad60(Ether(src=CE2, dst=CE1) / ARP(op=2, hwsrc=CE2, psrc="192.0.2.2", hwdst=CE1, pdst="192.0.2.1")),
        Ether(src=sw, dst="01:80:c2:00:00:0e", type=0x88cc) / lldp,
        Ether(src=CE1, dst=CE2, type=0x8137) / Raw(ipx),
        pad60(Dot3(src=sw, dst="01:80:c2:00:00:00") / LLC(dsap=0x42, ssap=0x42, ctrl=3) /
              STP(rootid=32768, rootmac=sw, bridgeid=32768, bridgemac=sw, portid=0x8001)),
        Ether(src=CE1, dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=10) / ARP(hwsrc=CE1, psrc="10.100.0.1", pdst="10.100.0.2"),
    ]
    write_frames(path, frames)


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
    elif cmd == "write-mpls" and len(args) == 1:
        write_mpls(args[0])
    elif cmd == "write-non-ip" and len(args) == 1:
        write_non_ip(args[0])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)

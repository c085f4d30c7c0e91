# Shared helpers for record-captures.sh and record-samples.sh (sourced, not run).
#
# Every host is a network namespace whose name starts with $NS_PREFIX, joined to the others by veth
# pairs; no traffic ever leaves this machine. Interfaces get fixed MAC addresses and IPv6 duplicate
# address detection and router solicitation are switched off, so that a recording holds the traffic the
# script made and little else, in the same order on every run.

NS_PREFIX="${NS_PREFIX:-fwcap-}"
# The distribution's python3: python3-scapy is a Debian package and lives there, whatever else is on PATH.
PY=/usr/bin/python3
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

require_root() {
    if [[ $(id -u) -ne 0 ]]; then
        echo "$0: must run as root (it creates network namespaces and captures packets)" >&2
        exit 1
    fi
}

require_tools() {
    local missing=() t
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 || missing+=("$t")
    done
    if ((${#missing[@]})); then
        echo "$0: missing tools: ${missing[*]}" >&2
        echo "  apt-get install tcpdump tshark iputils-ping dnsutils socat curl python3-scapy iproute2" >&2
        exit 1
    fi
}

# Kills the processes left inside our own namespaces (only ours: the namespace names carry our prefix),
# then deletes the namespaces, which takes their veths with them.
cleanup_namespaces() {
    local ns pid
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^${NS_PREFIX}" || true); do
        for pid in $(ip netns pids "$ns" 2>/dev/null || true); do
            kill "$pid" 2>/dev/null || true
        done
        sleep 0.2
        for pid in $(ip netns pids "$ns" 2>/dev/null || true); do
            kill -9 "$pid" 2>/dev/null || true
        done
        ip netns del "$ns" 2>/dev/null || true
    done
}

# ns_add NAME [ipv6:on|off]: a quiet host with only loopback.
ns_add() {
    local ns="$NS_PREFIX$1" v6="${2:-on}"
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    nsx "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
        net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.router_solicitations=0
    if [[ $v6 == off ]]; then
        nsx "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    fi
}

# nsx NAME CMD...: run CMD inside host NAME.
nsx() {
    local ns="$NS_PREFIX$1"
    shift
    ip netns exec "$ns" "$@"
}

# link NS_A IF_A MAC_A NS_B IF_B MAC_B: a veth pair between two hosts, both ends up.
link() {
    ip link add "$2" address "$3" type veth peer name "$5" address "$6"
    ip link set "$2" netns "$NS_PREFIX$1"
    ip link set "$5" netns "$NS_PREFIX$4"
    ip -n "$NS_PREFIX$1" link set "$2" up
    ip -n "$NS_PREFIX$4" link set "$5" up
}

# addr NS IF CIDR...: assign addresses (IPv6 ones 'nodad', so they are usable at once).
addr() {
    local ns="$NS_PREFIX$1" ifname="$2" a
    shift 2
    for a in "$@"; do
        if [[ $a == *:* ]]; then
            ip -n "$ns" addr add "$a" dev "$ifname" nodad
        else
            ip -n "$ns" addr add "$a" dev "$ifname"
        fi
    done
}

# wait_for_text FILE TEXT: block (at most 10 s) until a capture tool has announced that it listens.
wait_for_text() {
    local i
    for i in $(seq 1 100); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "$0: timed out waiting for '$2' in $1" >&2
    cat "$1" >&2 || true
    return 1
}

# start_tcpdump NS OUTFILE TCPDUMP-ARGS...: capture in the background; sets CAP_PID.
start_tcpdump() {
    local ns="$1" out="$2"
    shift 2
    rm -f "$out" "$out.log"
    # 'ip netns exec' execs the tool, so $! is the capture tool's own pid.
    ip netns exec "$NS_PREFIX$ns" tcpdump --immediate-mode -U -n -w "$out" "$@" >"$out.log" 2>&1 &
    CAP_PID=$!
    wait_for_text "$out.log" "listening on"
}

# start_dumpcap NS OUTFILE DUMPCAP-ARGS...: like start_tcpdump, for pcapng from dumpcap.
start_dumpcap() {
    local ns="$1" out="$2"
    shift 2
    rm -f "$out" "$out.log"
    ip netns exec "$NS_PREFIX$ns" dumpcap -q -w "$out" "$@" >"$out.log" 2>&1 &
    CAP_PID=$!
    wait_for_text "$out.log" "Capturing on"
}

# stop_capture: give the last packets time to land, then stop the capture started last. SIGTERM, not
# SIGINT: a non-interactive shell starts background jobs with SIGINT ignored; tcpdump and dumpcap both
# flush and close their file on SIGTERM.
# tcpdump runs with --immediate-mode, because packets still waiting in libpcap's TPACKET_V3 ring block
# when the signal comes are lost; dumpcap has no such switch and gets a longer grace period instead.
stop_capture() {
    sleep "${1:-0.5}"
    kill -TERM "$CAP_PID" 2>/dev/null || true
    wait "$CAP_PID" || true
}

# settle: let the kernel's own start-up traffic (MLD reports when an interface comes up) pass before a
# capture starts, so captures hold only the traffic made on purpose.
settle() {
    sleep "${1:-2.5}"
}

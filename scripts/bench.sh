#!/usr/bin/env bash
# End-to-end benchmark (issue 7): generates its own ruleset and capture, then times `firewall check`
# against `tcpdump -r F -w /dev/null` and `cat F > /dev/null` on the same file, in the same run,
# alternating the commands round by round, and prints medians and ratios.
#
#   scripts/bench.sh [PACKETS] [ROUNDS]      (defaults: 5000000 packets, 5 rounds)
#
# FLOW_RATE=R (default 1000) starts R conversations per second of capture time: the same packet mix, but
# a higher rate keeps more flows in progress at once (about 270 per 1,000/s), as on a busy subnet.
# SEED=S picks another capture. `check-start` is `check` on a 1,000-packet capture of the same ruleset: the
# fixed cost of a run. At the end the script times, in one process, reading and decoding alone, then with
# one flow probe per packet, then full evaluation (FLOORS=0 leaves this out).
#
# Needs the .NET SDK; tcpdump is timed when installed, alone and writing into a pipe that `check -` reads.
# argus (Debian's argus-server: flow tracking only, no rules) is the flow-tracking yardstick; the script
# installs it with apt-get when it can (root, Debian), and leaves it out otherwise. CI does not run this. Files go to $BENCH_DIR (default /tmp/firewall-bench);
# the capture is reused when it already exists with the same packet count and seed.
set -euo pipefail

PACKETS=${1:-5000000}
ROUNDS=${2:-5}
SEED=${SEED:-1}
FLOW_RATE=${FLOW_RATE:-1000}
DIR=${BENCH_DIR:-/tmp/firewall-bench}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$DIR"

echo "bench: building (Release)" >&2
dotnet publish "$ROOT/src/Firewall.Cli" -c Release -o "$DIR/bin" -nologo -v q >/dev/null
dotnet build "$ROOT/tests/Firewall.Benchmarks" -c Release -nologo -v q >/dev/null
FW="$DIR/bin/firewall"
RULESET="$DIR/bench.yaml"
if [ "$FLOW_RATE" = 1000 ]; then
    CAPTURE="$DIR/bench-$PACKETS-$SEED.pcap"
else
    CAPTURE="$DIR/bench-$PACKETS-$SEED-rate$FLOW_RATE.pcap"
fi

dotnet "$ROOT/tests/Firewall.Benchmarks/bin/Release/net10.0/Firewall.Benchmarks.dll" ruleset "$RULESET"
if [ ! -s "$CAPTURE" ]; then
    "$FW" synth --random "$PACKETS" --seed "$SEED" --flow-rate "$FLOW_RATE" --ruleset "$RULESET" -o "$CAPTURE"
fi
SIZE=$(stat -L -c %s "$CAPTURE")
# a thousand packets: what a run costs before and after its packets (start-up, ruleset, report)
TINY="$DIR/bench-1000-$SEED.pcap"
[ -s "$TINY" ] || "$FW" synth --random 1000 --seed "$SEED" --ruleset "$RULESET" -o "$TINY" >/dev/null
cat "$CAPTURE" > /dev/null # into the page cache

# seconds of one run of "$@" (stdout discarded)
seconds() {
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s%N)
    echo "scale=4; ($end - $start) / 1000000000" | bc
}

declare -A RESULTS
NAMES=(check check-threads1 check-jsonl check-start cat)
command -v tcpdump >/dev/null && NAMES+=(tcpdump check-pipe)
if ! command -v argus >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench: installing argus-server" >&2
    { apt-get install -y argus-server || { apt-get update && apt-get install -y argus-server; }; } >/dev/null 2>&1 || true
fi
command -v argus >/dev/null && NAMES+=(argus)
run() {
    case "$1" in
        check) seconds "$FW" check "$CAPTURE" --ruleset "$RULESET" --quiet ;;
        check-threads1) seconds "$FW" check "$CAPTURE" --ruleset "$RULESET" --quiet --threads 1 ;;
        check-jsonl) seconds "$FW" check "$CAPTURE" --ruleset "$RULESET" --quiet --packets --format jsonl ;;
        check-start) seconds "$FW" check "$TINY" --ruleset "$RULESET" --quiet --threads 1 ;;
        cat) seconds cat "$CAPTURE" ;;
        tcpdump) seconds tcpdump -r "$CAPTURE" -w /dev/null ;;
        # flow records of every packet, no rules: what a flow-tracking tool does with the same file
        argus) rm -f "$DIR/argus.out"; seconds argus -r "$CAPTURE" -w "$DIR/argus.out" ;;
        # a live capture's path: tcpdump writing into a pipe that check reads (microsecond timestamps, same packets)
        check-pipe) seconds sh -c 'tcpdump -r "$1" -w - 2>/dev/null | "$2" check - --ruleset "$3" --quiet' _ "$CAPTURE" "$FW" "$RULESET" ;;
    esac
}
# --threads exists only once multi-core evaluation has landed; fall back to the default run.
if ! "$FW" check --help 2>/dev/null | grep -q -- '--threads'; then
    NAMES=("${NAMES[@]/check-threads1}")
fi

for ((r = 1; r <= ROUNDS; r++)); do
    for name in "${NAMES[@]}"; do
        [ -n "$name" ] || continue
        RESULTS[$name]+="$(run "$name") "
    done
    echo "bench: round $r/$ROUNDS done" >&2
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "capture: $CAPTURE ($PACKETS packets, $SIZE bytes, $FLOW_RATE flows/s); ruleset: $RULESET; rounds: $ROUNDS"
printf '%-16s %10s %14s\n' command "median s" "packets/s"
declare -A MED
for name in "${NAMES[@]}"; do
    [ -n "$name" ] || continue
    MED[$name]=$(echo "${RESULTS[$name]}" | median)
    if [ "$name" = check-start ]; then
        printf '%-16s %10.3f %14s\n' "$name" "${MED[$name]}" "(1,000 packets)"
    else
        printf '%-16s %10.3f %14.0f\n' "$name" "${MED[$name]}" "$(echo "$PACKETS / ${MED[$name]}" | bc -l)"
    fi
done
ratio() { printf '%-34s %8.2f\n' "$1" "$(echo "$2 / $3" | bc -l)"; }
echo
ratio "check wall / cat wall" "${MED[check]}" "${MED[cat]}"
[ -n "${MED[tcpdump]:-}" ] && ratio "check packet rate / tcpdump's" "${MED[tcpdump]}" "${MED[check]}"
if [ -n "${MED[check-threads1]:-}" ]; then
    ratio "one core: check wall / cat wall" "${MED[check-threads1]}" "${MED[cat]}"
    [ -n "${MED[tcpdump]:-}" ] && ratio "one core: rate / tcpdump's" "${MED[tcpdump]}" "${MED[check-threads1]}"
fi
if [ -n "${MED[argus]:-}" ]; then
    ratio "check packet rate / argus's" "${MED[argus]}" "${MED[check]}"
    [ -n "${MED[check-threads1]:-}" ] && ratio "one core: rate / argus's" "${MED[argus]}" "${MED[check-threads1]}"
fi
[ -n "${MED[check-threads1]:-}" ] && ratio "all cores rate / one core's" "${MED[check-threads1]}" "${MED[check]}"
ratio "jsonl per-packet rate / check's" "${MED[check]}" "${MED[check-jsonl]}"
[ -n "${MED[check-pipe]:-}" ] && ratio "tcpdump | check -: wall / check's" "${MED[check-pipe]}" "${MED[check]}"
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "peak RSS of check: %M KiB" "$FW" check "$CAPTURE" --ruleset "$RULESET" --quiet > /dev/null
fi

# What one thread pays before any rule is looked at, in one process (tests/Firewall.Benchmarks, Floors.cs):
# reading and decoding alone, then with one flow probe per packet, then the full evaluation.
if [ "${FLOORS:-1}" != 0 ]; then
    echo
    dotnet "$ROOT/tests/Firewall.Benchmarks/bin/Release/net10.0/Firewall.Benchmarks.dll" floor "$CAPTURE" "$RULESET" --rounds 3 | tail -4
fi

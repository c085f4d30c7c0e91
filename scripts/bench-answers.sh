#!/usr/bin/env bash
# Benchmark of the answers about all packets (docs/answers.md): `firewall query` and the static
# `firewall diff`, whole processes, timed with /usr/bin/time in alternating rounds; medians, peak RSS,
# and each figure's ratio to the same command asked about one packet (load, compile and start-up only).
#
#   scripts/bench-answers.sh [ROUNDS]      (default 5)
#
# Rulesets come from tests/Firewall.Benchmarks (3 subnets, 10 interfaces, 5 groups, NACLs of 40 rules per
# direction); eni-0 carries two groups, so --sg-rules N gives it 2N group rules per direction. The diff
# compares the N=500 ruleset with a copy whose first group rule names a /23 instead of a /24. Then it
# prints how many classes `query "* * -> eni-0"` finds as N grows. Needs the .NET SDK and /usr/bin/time
# (Debian: apt-get install time). Files go to $BENCH_DIR (default /tmp/firewall-bench-answers).
set -euo pipefail

ROUNDS=${1:-5}
DIR=${BENCH_DIR:-/tmp/firewall-bench-answers}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$DIR"

echo "bench: building (Release)" >&2
dotnet publish "$ROOT/src/Firewall.Cli" -c Release -o "$DIR/bin" -nologo -v q >/dev/null
dotnet build "$ROOT/tests/Firewall.Benchmarks" -c Release -nologo -v q >/dev/null
FW="$DIR/bin/firewall"
GEN="$ROOT/tests/Firewall.Benchmarks/bin/Release/net10.0/Firewall.Benchmarks.dll"
for n in 50 125 250 500 1000; do
    dotnet "$GEN" ruleset "$DIR/sg$n.yaml" --sg-rules "$n" --nacl-rules 40 2>/dev/null
done
# One rule changed: the first group rule's source widens from a /24 to a /23.
sed '0,/ports: 1000, source: 198.18.0.0\/24/s//ports: 1000, source: 198.18.0.0\/23/' "$DIR/sg500.yaml" > "$DIR/sg500-changed.yaml"
THREE="$ROOT/rulesets/three-tier.yaml"

# "seconds peak-KiB" of one run of "$@" (stdout discarded)
measure() {
    /usr/bin/time -f "%e %M" -o "$DIR/time.out" "$@" > /dev/null 2>&1 || true
    cat "$DIR/time.out"
}

NAMES=(three-tier three-tier-one iface iface-one diff diff-one)
run() {
    case "$1" in
        three-tier) measure "$FW" query "* * -> *" -r "$THREE" ;;
        three-tier-one) measure "$FW" query "tcp 198.51.100.7 -> lb-1:443" -r "$THREE" ;;
        iface) measure "$FW" query "* * -> eni-0" -r "$DIR/sg500.yaml" ;;
        iface-one) measure "$FW" query "tcp 198.51.100.7 -> eni-0:443" -r "$DIR/sg500.yaml" ;;
        diff) measure "$FW" diff -r "$DIR/sg500.yaml" --against "$DIR/sg500-changed.yaml" ;;
        diff-one) measure "$FW" diff -r "$DIR/sg500.yaml" --against "$DIR/sg500-changed.yaml" --set "tcp 198.51.100.7 -> eni-0:443" ;;
    esac
}
declare -A WALL RSS
for ((r = 1; r <= ROUNDS; r++)); do
    for name in "${NAMES[@]}"; do
        read -r s kib < <(run "$name")
        WALL[$name]+="$s "
        RSS[$name]+="$kib "
    done
    echo "bench: round $r/$ROUNDS done" >&2
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
maximum() { tr ' ' '\n' | grep -v '^$' | sort -g | tail -1; }

echo "rounds: $ROUNDS; rulesets in $DIR"
printf '%-16s %10s %14s %s\n' run "median s" "peak RSS MiB" command
describe() {
    case "$1" in
        three-tier) echo "query \"* * -> *\" on rulesets/three-tier.yaml" ;;
        three-tier-one) echo "query one packet on rulesets/three-tier.yaml (baseline)" ;;
        iface) echo "query \"* * -> eni-0\", 1,000 group rules per direction on eni-0, NACLs of 40" ;;
        iface-one) echo "query one packet on the same ruleset (baseline)" ;;
        diff) echo "diff of that ruleset and a copy with one rule changed, every packet" ;;
        diff-one) echo "the same diff on one packet (baseline)" ;;
    esac
}
declare -A MED
for name in "${NAMES[@]}"; do
    MED[$name]=$(echo "${WALL[$name]}" | median)
    printf '%-16s %10.3f %14.0f %s\n' "$name" "${MED[$name]}" "$(echo "$(echo "${RSS[$name]}" | maximum) / 1024" | bc -l)" "$(describe "$name")"
done
ratio() { printf '%-44s %8.2f\n' "$1" "$(echo "$2 / $3" | bc -l)"; }
echo
ratio "three-tier: every packet / one packet" "${MED[three-tier]}" "${MED[three-tier-one]}"
ratio "eni-0: every packet / one packet" "${MED[iface]}" "${MED[iface-one]}"
ratio "diff: every packet / one packet" "${MED[diff]}" "${MED[diff-one]}"

echo
echo "classes of query \"* * -> eni-0\" as the group rules grow (one run each):"
printf '%-22s %10s %10s %12s\n' "group rules on eni-0" classes "wall s" "peak MiB"
for n in 50 125 250 500 1000; do
    /usr/bin/time -f "%e %M" -o "$DIR/time.out" "$FW" query "* * -> eni-0" -r "$DIR/sg$n.yaml" -f json -o "$DIR/sg$n.json" 2>/dev/null
    read -r s kib < "$DIR/time.out"
    classes=$(grep -c '"outcome"' "$DIR/sg$n.json")
    printf '%-22s %10d %10.2f %12.0f\n' "$((2 * n)) per direction" "$classes" "$s" "$(echo "$kib / 1024" | bc -l)"
done

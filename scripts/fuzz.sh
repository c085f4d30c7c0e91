#!/usr/bin/env bash
# Coverage-guided fuzzing of one Firewall input reader with AFL++ and SharpFuzz.
#
#   scripts/fuzz.sh TARGET SECONDS [WORKDIR]
#
# TARGET is one of capture, ruleset, flows, testfile (tests/Firewall.Fuzz/FuzzTargets.cs). The script
# publishes tests/Firewall.Fuzz in Release, instruments the Firewall assemblies (and YamlDotNet) with the
# SharpFuzz.CommandLine tool so that afl-fuzz sees their branch coverage, then runs afl-fuzz for SECONDS
# seconds seeded with tests/fuzz-corpus/TARGET. Findings go to WORKDIR (default /tmp/firewall-fuzz/TARGET):
# out/default/crashes/ holds every crashing input, out/default/queue/ the corpus it grew.
# At the end it prints executions, coverage and crashes, and replays each crash to show its stack trace.
#
# Needs: the .NET SDK, afl++ (apt-get install afl++), and the SharpFuzz.CommandLine tool 2.3.0
# (dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0); the script installs the last two
# when they are missing. It takes /tmp/fw-build.lock around the build, as every build on this machine must.
set -euo pipefail

usage() { echo "usage: scripts/fuzz.sh capture|ruleset|flows|testfile SECONDS [WORKDIR]" >&2; exit 2; }
[ $# -ge 2 ] || usage
TARGET=$1
SECONDS_TO_RUN=$2
case "$TARGET" in capture|ruleset|flows|testfile) ;; *) usage ;; esac
[[ "$SECONDS_TO_RUN" =~ ^[0-9]+$ ]] || usage

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${3:-/tmp/firewall-fuzz/$TARGET}
BIN=$WORK/bin
SEEDS=$REPO/tests/fuzz-corpus/$TARGET
mkdir -p "$WORK"

if ! command -v afl-fuzz >/dev/null 2>&1; then
    echo "fuzz: installing afl++" >&2
    apt-get install -y -qq afl++ >/dev/null
fi
export PATH="$PATH:$HOME/.dotnet/tools"
if ! command -v sharpfuzz >/dev/null 2>&1; then
    echo "fuzz: installing SharpFuzz.CommandLine 2.3.0" >&2
    dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

echo "fuzz: publishing tests/Firewall.Fuzz to $BIN" >&2
rm -rf "$BIN"
flock /tmp/fw-build.lock dotnet publish "$REPO/tests/Firewall.Fuzz/Firewall.Fuzz.csproj" -c Release -o "$BIN" -nologo -v quiet >/dev/null

# Instrument what reads hostile input (and the YAML parser under the loaders); never the fuzz driver
# itself, SharpFuzz, or the framework.
for dll in "$BIN"/Firewall.Capture.dll "$BIN"/Firewall.Engine.dll "$BIN"/Firewall.Rulesets.dll \
           "$BIN"/Firewall.Flows.dll "$BIN"/Firewall.Analysis.dll "$BIN"/Firewall.Reporting.dll "$BIN"/YamlDotNet.dll; do
    sharpfuzz "$dll" >/dev/null
done

DICT=()
case "$TARGET" in
    ruleset|flows|testfile) DICT=(-x "$REPO/tests/Firewall.Fuzz/dictionaries/firewall-yaml.dict") ;;
esac

# Each afl-fuzz run starts from the committed seeds; a previous run's output is moved aside, not merged.
if [ -d "$WORK/out" ]; then rm -rf "$WORK/out.previous"; mv "$WORK/out" "$WORK/out.previous"; fi

echo "fuzz: afl-fuzz $TARGET for ${SECONDS_TO_RUN}s (seeds: $SEEDS, $(ls "$SEEDS" | wc -l) files)" >&2
# AFL_SKIP_BIN_CHECK: the target is `dotnet`, not an AFL-instrumented ELF; SharpFuzz speaks the forkserver protocol.
# -t: .NET starts slowly and the first execution JITs everything, so a generous timeout per execution.
# -m none: the CLR reserves far more virtual memory than it uses.
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
AFL_NO_AFFINITY=1 FIREWALL_REPO="$REPO" \
    afl-fuzz -V "$SECONDS_TO_RUN" -i "$SEEDS" -o "$WORK/out" -t 5000 -m none "${DICT[@]}" \
    -- dotnet "$BIN/Firewall.Fuzz.dll" "$TARGET" > "$WORK/afl.log" 2>&1 || {
        echo "fuzz: afl-fuzz failed; last lines of $WORK/afl.log:" >&2
        tail -n 30 "$WORK/afl.log" >&2
        exit 1
    }

STATS=$WORK/out/default/fuzzer_stats
stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$STATS"; }
CRASHES=$(find "$WORK/out/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
HANGS=$(find "$WORK/out/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
echo "fuzz: $TARGET: run_time=$(stat run_time)s execs_done=$(stat execs_done) execs_per_sec=$(stat execs_per_sec)" \
     "corpus_count=$(stat corpus_count) edges_found=$(stat edges_found) bitmap_cvg=$(stat bitmap_cvg)" \
     "crashes=$CRASHES hangs=$HANGS"
if [ "$CRASHES" -gt 0 ]; then
    echo "fuzz: replaying the crashes (copy each into tests/fuzz-corpus/$TARGET once fixed):" >&2
    FIREWALL_REPO="$REPO" dotnet "$BIN/Firewall.Fuzz.dll" "$TARGET" --replay "$WORK"/out/default/crashes/id:* >&2 || true
    exit 1
fi

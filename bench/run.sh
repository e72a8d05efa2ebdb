#!/usr/bin/env bash
# Runs coppice's benchmarks next to the anchors (Erlang/OTP, Apache Pekko, the raw JDK) in one
# run, prints the goals table and writes it, with the machine, JDK, date and command, to
# BENCHMARKS.md at the repo root.
#
#   bench/run.sh            up to RUNS=3 fresh runtimes per suite, within BUDGET_MIN=24 minutes
#   QUICK=1 bench/run.sh    one run of each suite, anchors limited to the figures coppice has
#
# The anchors' suites (shared/anchors, found as ../shared/anchors from the repo root) run here
# with run-anchors.sh's own commands and flags, interleaved with coppice's suites (each suite a
# fresh runtime per run, alternating which side goes first), so that drifts of the machine hit
# both sides alike. Every line, GC log and spread lands in OUT.
#
# Env: RUNS (3; QUICK=1 makes it 1), BUDGET_MIN (24: no new run starts that would end past it),
#      ANCHORS (../shared/anchors), OUT (benchmarks/target/results/<utc stamp>),
#      ANCHORS_WORK (${TMPDIR:-/tmp}/coppice-anchors, where the anchors are built).
# Needs: a JDK 21+ (found as bin/jdk.sh finds it; the raw anchors need 25), Maven, python3, and
#        Erlang (installed here from Debian's packages when `erl` is missing).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. bin/jdk.sh
coppice_setup

QUICK="${QUICK:-0}"
if [ "$QUICK" = 1 ]; then RUNS="${RUNS:-1}"; else RUNS="${RUNS:-3}"; fi
BUDGET_MIN="${BUDGET_MIN:-24}"
ANCHORS="$(cd "${ANCHORS:-$ROOT/../shared/anchors}" 2>/dev/null && pwd || true)"
OUT="${OUT:-$ROOT/benchmarks/target/results/$(date -u +%Y%m%dT%H%M%SZ)}"
AW="${ANCHORS_WORK:-${TMPDIR:-/tmp}/coppice-anchors}"
# run-anchors.sh's flags, for coppice and the Java anchors alike (fixed heap, G1), plus
# AlwaysPreTouch: without it the kernel maps each page of the fresh 8 GB heap on first use, and a
# benchmark that allocates measures those page faults (~100k/s, for ~15 s of kills, seen with
# `perf stat -e page-faults`) instead of the steady state a long-running server reaches once
# its heap has been used; the latency figures were bimodal from it.
JVM_FLAGS=(-Xms8g -Xmx8g -XX:+UseG1GC -XX:+AlwaysPreTouch --sun-misc-unsafe-memory-access=allow)
ERL_FLAGS=(+P 2000000)
COMMAND="bench/run.sh"
if [ "$QUICK" = 1 ]; then COMMAND="QUICK=1 $COMMAND"; fi
START=$SECONDS

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
die() { log "$*"; exit 1; }

[ -n "$ANCHORS" ] && [ -f "$ANCHORS/run-anchors.sh" ] \
    || die "no anchors: shared/anchors must sit beside the repo (../shared/anchors), or set ANCHORS"
command -v python3 >/dev/null || die "python3 is missing"
if ! command -v erl >/dev/null; then
    log "installing Erlang from Debian's packages"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update && $SUDO apt-get install -y erlang
fi
JDK25="$JAVA_HOME"
if [ "$(coppice_java_major "$JAVA_HOME")" -lt 25 ]; then JDK25="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"; fi
JAVA="$JAVA_HOME/bin/java"
mkdir -p "$OUT"

# Which parts of the anchors run. A full run: all of them. QUICK: those with a coppice row that
# exists (ETS and the raw maps once the table module is there).
ERL_PARTS="" RAW_PARTS=""
if [ "$QUICK" = 1 ]; then
    ERL_PARTS="call, cast, spawn, sup, seed" RAW_PARTS="memlat pingpong mpsc"
    if [ -f "$ROOT/table/pom.xml" ]; then ERL_PARTS="$ERL_PARTS, ets"; RAW_PARTS="$RAW_PARTS maps"; fi
fi

build() {
    log "building coppice's benchmarks"
    mvn -B -ntp -q -Pbench -pl benchmarks -am package -DskipTests > "$OUT/build.log" 2>&1 \
        || { cat "$OUT/build.log" >&2; die "coppice build failed"; }
    log "building the anchors in $AW"
    mkdir -p "$AW" && cp -r "$ANCHORS"/. "$AW"/ && chmod -R u+w "$AW"
    (cd "$AW/erlang" && mkdir -p ebin && erlc -o ebin ./*.erl) >> "$OUT/build.log" 2>&1 \
        || { cat "$OUT/build.log" >&2; die "erlc failed"; }
    local p
    for p in raw pekko; do
        (cd "$AW/$p" \
            && JAVA_HOME="$JDK25" mvn -q -B package -DskipTests \
            && JAVA_HOME="$JDK25" mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt) \
            >> "$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; die "anchors build ($p) failed"; }
    done
}

env_info() {
    {
        echo "date: $(date -u +%FT%TZ)"
        echo "host: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $(free -g | awk '/Mem:/{print $2}') GiB"
        echo "kernel: $(uname -r)"
        echo "loadavg before: $(cat /proc/loadavg)"
        echo "coppice java: $("$JAVA" -version 2>&1 | head -2 | tail -1) ($JAVA_HOME)"
        echo "anchors java: $("$JDK25/bin/java" -version 2>&1 | head -2 | tail -1)"
        echo "erlang: OTP $(erl -noshell -eval 'io:format("~s erts ~s schedulers ~p", [erlang:system_info(otp_release), erlang:system_info(version), erlang:system_info(schedulers)]), halt().')"
        echo "jvm flags: ${JVM_FLAGS[*]}"
        echo "erl flags: ${ERL_FLAGS[*]}"
        echo "command: $COMMAND (RUNS=$RUNS)"
    } > "$OUT/env.txt"
}

# One suite, one run: the same commands as run-anchors.sh's run_suite, plus coppice's suites.
run_suite() { # suite run
    local s=$1 i=$2 rawcp pekcp
    rawcp="$AW/raw/target/classes:$(cat "$AW/raw/target/cp.txt")"
    pekcp="$AW/pekko/target/classes:$(cat "$AW/pekko/target/cp.txt")"
    log "run $i: $s"
    case $s in
        erl)   (cd "$AW/erlang" && timeout 600 erl "${ERL_FLAGS[@]}" -noshell -pa ebin \
                    -eval "anchors:main(${ERL_PARTS:+[$ERL_PARTS]}), halt().") ;;
        pekko) timeout 600 "$JDK25/bin/java" "${JVM_FLAGS[@]}" "-Xlog:gc:file=$OUT/$s.$i.gc.log" -cp "$pekcp" \
                    anchors.pekko.PekkoAnchors ;;
        raw)   # shellcheck disable=SC2086 # RAW_PARTS is a word list
               timeout 600 "$JDK25/bin/java" "${JVM_FLAGS[@]}" "-Xlog:gc:file=$OUT/$s.$i.gc.log" -cp "$rawcp" \
                    anchors.raw.RawAnchors $RAW_PARTS ;;
        vtmem) timeout 600 "$JDK25/bin/java" "${JVM_FLAGS[@]}" "-Xlog:gc:file=$OUT/$s.$i.gc.log" \
                    -XX:NativeMemoryTracking=summary -cp "$rawcp" anchors.raw.VtMemory ;;
        coppice|coppicemem)
               timeout 900 "$JAVA" "${JVM_FLAGS[@]}" "-Xlog:gc:file=$OUT/$s.$i.gc.log" \
                    -jar "$ROOT/benchmarks/target/benchmarks.jar" "$([ "$s" = coppice ] && echo core || echo mem)" ;;
        *) log "unknown suite $s"; return 1 ;;
    esac > "$OUT/$s.$i.out" 2> "$OUT/$s.$i.err"
}

build
env_info
log "results in $OUT"
done_runs=0
for i in $(seq 1 "$RUNS"); do
    elapsed=$((SECONDS - START))
    if [ "$done_runs" -gt 0 ] && [ $((elapsed + elapsed / done_runs)) -gt $((BUDGET_MIN * 60)) ]; then
        log "stopping after $done_runs run(s): another would end past BUDGET_MIN=$BUDGET_MIN minutes"
        echo "runs: stopped after $done_runs of $RUNS to stay within $BUDGET_MIN minutes" >> "$OUT/env.txt"
        break
    fi
    # interleave coppice with the anchors; alternate which side goes first
    if [ $((i % 2)) = 1 ]; then order="coppice erl pekko coppicemem raw vtmem"
    else order="erl coppice pekko raw coppicemem vtmem"; fi
    for s in $order; do
        run_suite "$s" "$i" || log "run $i: $s failed (rc $?), see $OUT/$s.$i.err"
    done
    done_runs=$i
done
echo "loadavg after: $(cat /proc/loadavg)" >> "$OUT/env.txt"
echo "took: $(( (SECONDS - START) / 60 )) min $(( (SECONDS - START) % 60 )) s" >> "$OUT/env.txt"

python3 "$ANCHORS/aggregate.py" "$OUT" > "$OUT/figures.txt" 2> "$OUT/spreads.txt" || log "aggregate.py failed"
# a full run keeps its table next to the two full runs before it (bench/results), for the
# "which rows changed verdict" section; a quick run keeps none
HISTORY=()
if [ "$QUICK" != 1 ] && [ "$RUNS" -ge 3 ]; then HISTORY=(--history "$ROOT/bench/results"); fi
python3 "$ROOT/bench/table.py" "$OUT" --md "$ROOT/BENCHMARKS.md" --command "$COMMAND" --root "$ROOT" \
    "${HISTORY[@]}" | tee "$OUT/table.txt"
log "wrote $ROOT/BENCHMARKS.md; every figure with its spread: $OUT/spreads.txt"

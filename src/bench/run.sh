#!/usr/bin/env bash
# The benchmark command: builds the jar and the harness, runs P9 (cold start), P7 (process starts
# over REST against a stock engine in the same run), P1 (heartbeat ingestion), P2 (heartbeat
# detector pass over N servers), P3 (post-clone check over N agents), P4 (timer punctuality), P5
# (sync run against the raw COPY pipe in the same run), P6 (database failover, approval to every
# consumer verified), P6b (unattended failover, primary's postmaster killed to every consumer verified),
# P8 (heap under -Xmx512m through the P1 load and a post-clone check over 100,000 agents) and Nodes
# (P1 and P7 on one, then two orchestrator processes sharing one orchestrator database, with that
# database's cost per operation), and rewrites docs/benchmarks.md.
#
#   src/bench/run.sh
#   BENCH_ONLY=P3,P4 src/bench/run.sh    only these; the other sections of the old report are kept, marked as carried over
#
# Sizes (defaults are the documented ones; anything else is marked as a smoke run):
#   BENCH_ONLY=P9,P7,P1,P2,P3,P4,P5,P6,P6b,P8,Nodes  which benchmarks run (comma-separated, any order, any case;
#                                   they run in this order)
#   BENCH_P9_RUNS=3                 cold starts on fresh data directories, then as many on a reused one
#   BENCH_P7_SIZES=1000,5000,20000  process starts per batch, each batch on both engines
#   BENCH_CONCURRENCY=16            client threads (P7, the P4 starts, the P1 single heartbeats)
#   BENCH_WARMUP=10000              uncounted starts on each engine before the P7 batches (the JIT compiles
#                                   the hot path in the first thousands; both engines get the same)
#   BENCH_P1_SIZES=1000,10000,50000 registered servers (the heartbeats of a size cycle over them)
#   BENCH_P1_BEATS=200000           heartbeats per size through POST /api/heartbeats (batches of 1,000, 4 threads)
#   BENCH_P1_SINGLES=50000          heartbeats per size through POST /api/servers/{name}/heartbeat
#   BENCH_P2_SIZES=1000,10000,100000  servers per detector pass (10 of them Down)
#   BENCH_P2_RUNS=5                 passes measured per size
#   BENCH_P3_SIZES=1000,10000,100000  pre-clone agents per instance (half of them Down)
#   BENCH_P3_RUNS=5                 clones (snapshot, check 1, check 2) measured per size
#   BENCH_P4_SIZES=200,1000,3000    timers per batch, one batch after the other on one orchestrator
#   BENCH_P4_SPREAD_SECONDS=30      the due dates of a batch spread over this window
#   BENCH_P4_LEAD_SECONDS=10        the window begins this long after the batch begins
#   BENCH_P5_SIZES=50000,500000,2000000  sample events on the demo primary per size (with alerts, parameters, samples)
#   BENCH_P5_ROUNDS=7,3,3           rounds per size (one count for all, or one per size), alternating which goes first
#   BENCH_P6_RUNS=3                 database failovers, each on a fresh orchestrator
#   BENCH_P6B_RUNS=3                unattended failovers (postmaster killed), each on a fresh orchestrator
#   BENCH_P8_SERVERS=10000          P8: servers of the P1 load (with BENCH_P1_BEATS and BENCH_P1_SINGLES heartbeats)
#   BENCH_P8_AGENTS=100000          P8: agents of the cloned instance
#   BENCH_P8_DOWN=1000              P8: of them Down (each an issue with an operator task)
#   BENCH_NODE_SERVERS=10000        Nodes: registered servers
#   BENCH_NODE_BEATS=100000         Nodes: batched heartbeats per node and phase (batches of 1,000, 4 threads)
#   BENCH_NODE_SINGLES=20000        Nodes: single heartbeats per node and phase (BENCH_CONCURRENCY threads)
#   BENCH_NODE_STARTS=5000          Nodes: process starts per node and phase (BENCH_CONCURRENCY threads)
#   BENCH_NODE_WARM_UP=20000        Nodes: uncounted single heartbeats per node (and BENCH_WARMUP starts)
#   BENCH_OUT=docs/benchmarks.md
# Everything listens on 127.0.0.1 only; every loop is bounded in count and time.
set -euo pipefail
cd "$(dirname "$0")/../.."

command_line="src/bench/run.sh"
for name in BENCH_ONLY BENCH_P9_RUNS BENCH_P7_SIZES BENCH_CONCURRENCY BENCH_WARMUP BENCH_P1_SIZES BENCH_P1_BEATS \
    BENCH_P1_SINGLES BENCH_P2_SIZES BENCH_P2_RUNS BENCH_P3_SIZES BENCH_P3_RUNS BENCH_P4_SIZES BENCH_P4_SPREAD_SECONDS \
    BENCH_P4_LEAD_SECONDS BENCH_P5_SIZES BENCH_P5_ROUNDS BENCH_P6_RUNS \
    BENCH_P6B_RUNS BENCH_P8_SERVERS BENCH_P8_AGENTS BENCH_P8_DOWN BENCH_NODE_SERVERS BENCH_NODE_BEATS BENCH_NODE_SINGLES \
    BENCH_NODE_STARTS BENCH_NODE_WARM_UP BENCH_OUT; do
  if [ -n "${!name:-}" ]; then
    command_line="$name=${!name} $command_line"
  fi
done

./mvnw -B -q -Pbench -DskipTests package

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain 2>/dev/null | grep -v '^?? ' | grep -v ' docs/benchmarks.md$' || true)" ]; then
  commit="$commit (with uncommitted changes)"
fi

# P2 and P3 run in the harness's JVM on the orchestrator's classes (package-private repository, migrations).
BENCH_COMMAND="$command_line" BENCH_COMMIT="$commit" \
BENCH_RUNTIME_CLASSPATH=target/bench/runtime-classpath.txt \
  java -cp "target/test-classes:target/classes:$(cat target/bench/runtime-classpath.txt)" dev.sco.bench.Benchmarks

if pgrep -f "sco-bench-" >/dev/null; then
  echo "PostgreSQL processes of the benchmark are still running:" >&2
  pgrep -af "sco-bench-" >&2
  exit 1
fi

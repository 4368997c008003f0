#!/usr/bin/env bash
# The benchmark command: builds the jar and the harness, runs P9 (cold start) and P7 (process
# starts over REST against a stock engine in the same run), and rewrites docs/benchmarks.md.
#
#   src/bench/run.sh
#
# Sizes (defaults are the documented ones; anything else is marked as a smoke run):
#   BENCH_P9_RUNS=3                 cold starts on fresh data directories, then as many on a reused one
#   BENCH_P7_SIZES=1000,5000,20000  process starts per batch, each batch on both engines
#   BENCH_CONCURRENCY=16            client threads
#   BENCH_WARMUP=500                uncounted starts on each engine before the batches
#   BENCH_OUT=docs/benchmarks.md
# Everything listens on 127.0.0.1 only; every loop is bounded in count and time.
set -euo pipefail
cd "$(dirname "$0")/../.."

command_line="src/bench/run.sh"
for name in BENCH_P9_RUNS BENCH_P7_SIZES BENCH_CONCURRENCY BENCH_WARMUP BENCH_OUT; do
  if [ -n "${!name:-}" ]; then
    command_line="$name=${!name} $command_line"
  fi
done

./mvnw -B -q -Pbench -DskipTests package

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain 2>/dev/null | grep -v '^?? ' | grep -v ' docs/benchmarks.md$' || true)" ]; then
  commit="$commit (with uncommitted changes)"
fi

BENCH_COMMAND="$command_line" BENCH_COMMIT="$commit" \
BENCH_RUNTIME_CLASSPATH=target/bench/runtime-classpath.txt \
  java -cp target/test-classes dev.sco.bench.Benchmarks

if pgrep -f "sco-bench-" >/dev/null; then
  echo "PostgreSQL processes of the benchmark are still running:" >&2
  pgrep -af "sco-bench-" >&2
  exit 1
fi

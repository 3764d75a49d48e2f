#!/usr/bin/env bash
# Times one sweep on a cluster of N fresh compute nodes, all on this machine, each its own JVM:
#   scripts/cluster-sweep-timing.sh N SPEC [RUNS_DIR]
# NODE_OPTS adds options to every `lab node`, e.g. NODE_OPTS="--compute-threads 1".
# Prints the sweep's wall time from the coordinator's start to its exit (the nodes are already up).
set -euo pipefail
cd "$(dirname "$0")/.."
n="$1"; spec="$2"; runs="${3:-$(mktemp -d)}"
logs=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for i in $(seq 1 "$n"); do
  port=$((2551 + i))
  LAB_CONSOLE_LEVEL=INFO ./lab node --join 127.0.0.1:2552 --port "$port" --runs-dir "$runs" ${NODE_OPTS:-} > "$logs/node$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq 1 "$n"); do
  until grep -q 'ready:' "$logs/node$i.log"; do sleep 0.5; done
done
start=$(date +%s.%N)
LAB_CONSOLE_LEVEL=WARN ./lab sweep "$spec" --cluster 127.0.0.1:2552 --runs-dir "$runs" > "$logs/sweep.log" 2>&1
end=$(date +%s.%N)
grep -c completed "$logs/sweep.log" | xargs printf '%s experiments completed, '
awk -v s="$start" -v e="$end" -v n="$n" 'BEGIN { printf "%d compute node(s): %.1f s\n", n, e - s }'

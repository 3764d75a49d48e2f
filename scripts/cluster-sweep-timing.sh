#!/usr/bin/env bash
# Times one sweep on a cluster of N fresh compute nodes, all on this machine, each its own JVM:
#   scripts/cluster-sweep-timing.sh N SPEC [RUNS_DIR]
# NODE_OPTS adds options to every `lab node`, e.g. NODE_OPTS="--compute-threads 1".
# TLS=1: every node and the coordinator speak TLS with mutual authentication (certificates made
#        for this run by lab cluster init-ca and issue-cert).
# STREAM=1: the nodes share no directory with the coordinator: each keeps its runs in a directory
#        of its own (lab node --local-runs) and streams their files to the coordinator's RUNS_DIR.
# BASE_PORT (default 2552) is the seed node's port; node i listens on BASE_PORT + i - 1.
# Prints the sweep's wall time from the coordinator's start to its exit (the nodes are already up).
set -euo pipefail
cd "$(dirname "$0")/.."
n="$1"; spec="$2"; runs="${3:-$(mktemp -d)}"
logs=$(mktemp -d)
pids=()
# on exit the nodes leave, and the script waits until they are gone, so the next run can bind their ports
trap 'kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true' EXIT
node_tls=(); sweep_tls=()
if [ "${TLS:-0}" = 1 ]; then
  ./lab cluster init-ca "$logs/certs" > /dev/null
  ./lab cluster issue-cert "$logs/certs" coordinator > /dev/null
fi
for i in $(seq 1 "$n"); do
  port=$((${BASE_PORT:-2552} + i - 1))
  if [ "${TLS:-0}" = 1 ]; then
    ./lab cluster issue-cert "$logs/certs" "node$i" > /dev/null
    node_tls=(--tls "$logs/certs/node$i.p12"); sweep_tls=(--tls "$logs/certs/coordinator.p12")
  fi
  if [ "${STREAM:-0}" = 1 ]; then where=(--local-runs "$logs/node$i-runs"); else where=(--runs-dir "$runs"); fi
  LAB_CONSOLE_LEVEL=INFO ./lab node --join "127.0.0.1:${BASE_PORT:-2552}" --port "$port" "${where[@]}" "${node_tls[@]}" ${NODE_OPTS:-} > "$logs/node$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq 1 "$n"); do
  until grep -q 'ready:' "$logs/node$i.log"; do
    kill -0 "${pids[$((i - 1))]}" 2>/dev/null || { echo "node $i did not start:" >&2; tail -5 "$logs/node$i.log" >&2; exit 1; }
    sleep 0.5
  done
done
start=$(date +%s.%N)
LAB_CONSOLE_LEVEL=WARN ./lab sweep "$spec" --cluster "127.0.0.1:${BASE_PORT:-2552}" --runs-dir "$runs" "${sweep_tls[@]}" > "$logs/sweep.log" 2>&1
end=$(date +%s.%N)
grep -c completed "$logs/sweep.log" | xargs printf '%s experiments completed, '
awk -v s="$start" -v e="$end" -v n="$n" 'BEGIN { printf "%d compute node(s): %.1f s\n", n, e - s }'

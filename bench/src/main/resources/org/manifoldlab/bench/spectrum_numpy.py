"""numpy's side of SpectrumBenchmark: the same analysis of the same activations.

Usage: python3 spectrum_numpy.py FILE ROWS WIDTH LO HI WARMUPS REPEATS
FILE holds ROWS x WIDTH float32, row-major, little-endian. Prints "key value" lines.
Covariance in float64 from the whole matrix at once (numpy's fastest form: X^T X of a centred
array runs as one BLAS syrk), eigvalsh, then polyfit of log lambda_n on log n over LO..HI.
"""
import sys
import time

import numpy as np


def analyse(x32, lo, hi):
    t0 = time.perf_counter()
    x = x32.astype(np.float64)
    x -= x.mean(axis=0)
    cov = (x.T @ x) / (x.shape[0] - 1)
    t1 = time.perf_counter()
    lam = np.linalg.eigvalsh(cov)[::-1]
    t2 = time.perf_counter()
    tol = lam.size * np.finfo(np.float64).eps * np.abs(lam).max()
    rank = int(np.count_nonzero(lam > tol))
    n = np.arange(lo, min(hi, rank) + 1)
    slope, intercept = np.polyfit(np.log(n), np.log(lam[n - 1]), 1)
    t3 = time.perf_counter()
    return (t1 - t0, t2 - t1, t3 - t2, t3 - t0), lam, -slope, intercept


def main():
    path, rows, width, lo, hi, warmups, repeats = sys.argv[1], *map(int, sys.argv[2:8])
    x32 = np.fromfile(path, dtype="<f4").reshape(rows, width)
    for _ in range(warmups):
        analyse(x32, lo, hi)
    runs = []
    for _ in range(repeats):
        times, lam, alpha, intercept = analyse(x32, lo, hi)
        runs.append(times)
    runs = np.array(runs) * 1000.0
    for i, name in enumerate(["covariance", "eigenvalues", "fit", "total"]):
        print(f"{name}_ms {np.min(runs[:, i]):.3f} {np.median(runs[:, i]):.3f} {np.max(runs[:, i]):.3f}")
    print(f"alpha {alpha:.15g}")
    print(f"intercept {intercept:.15g}")
    print(f"lambda1 {lam[0]:.15g}")
    print(f"lambda{hi} {lam[min(hi, lam.size) - 1]:.15g}")
    print(f"numpy {np.__version__}")
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        print(f"blas {cfg.get('name')} {cfg.get('version')}")
    except Exception:  # older numpy: no dict mode
        print("blas unknown")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the `lab analyze` test fixtures, and numpy's own answers for them.

Run from this directory: python3 make_fixture.py   (numpy 2.x; made with numpy 2.4.6)

power-f4-c.npy   300 x 40 float32, C order: Gaussian with lambda_n = n^-1.5 over 32 units, 8 units dead (zero)
power-f8-f.npy   the same values as float64, Fortran order
power.csv        the same values, with a header line
nan.npy          a 5 x 3 float32 array with one NaN
vector.npy       a 1-D float32 array (not a matrix)
int.npy          a 5 x 3 int32 array (not float)
expected.json    numpy's rank, alpha (least squares over ranks 10 .. rank // 2), R^2 and participation ratio
"""
import json
import numpy as np

rng = np.random.default_rng(17)
n, live, dead = 300, 32, 8
lam = np.arange(1, live + 1, dtype=np.float64) ** -1.5
x = np.zeros((n, live + dead), dtype=np.float32)
x[:, :live] = (rng.standard_normal((n, live)) * np.sqrt(lam)).astype(np.float32)
np.save("power-f4-c.npy", x)
np.save("power-f8-f.npy", np.asfortranarray(x.astype(np.float64)))
np.savetxt("power.csv", x, delimiter=",", fmt="%.9g", header=",".join(f"u{i}" for i in range(x.shape[1])), comments="")
bad = np.ones((5, 3), dtype=np.float32)
bad[2, 1] = np.nan
np.save("nan.npy", bad)
np.save("vector.npy", np.ones(7, dtype=np.float32))
np.save("int.npy", np.ones((5, 3), dtype=np.int32))

ev = np.sort(np.linalg.eigvalsh(np.cov(x.astype(np.float64), rowvar=False)))[::-1]
rank = int((ev > ev.size * np.finfo(float).eps * np.abs(ev).max()).sum())
lo, hi = 10, rank // 2
k = np.arange(lo, hi + 1)
slope, intercept = np.polyfit(np.log(k), np.log(ev[lo - 1:hi]), 1)
r = np.corrcoef(np.log(k), np.log(ev[lo - 1:hi]))[0, 1]
pos = ev[:rank]
json.dump({"rank": rank, "window": [lo, hi], "alpha": -slope, "r2": r * r,
           "participationRatio": pos.sum() ** 2 / (pos ** 2).sum()}, open("expected.json", "w"), indent=1)
print(open("expected.json").read())

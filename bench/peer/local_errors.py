#!/usr/bin/env python3
"""The peer: the project's local-error network, loss, optimizer and data in PyTorch.

Every hidden layer h_l = relu(h_{l-1} W_l + b_l) (W_l ~ N(0, 2 / fan-in), b_l = 0) has a fixed
random readout B_l ~ N(0, 1 / width) and its own loss, the mean cross-entropy of
softmax(h_l B_l); its input is detached, so each layer learns from its own error only (the
project's "local" mode). Adam, learning rate 1e-3, betas (0.9, 0.999), eps 1e-8, on every W_l
and b_l. The data is the project's own training split, written by the caller as raw float32
images [n, 784] and int32 labels [n]; each epoch visits it in a fresh seeded order, in batches.

Prints one JSON object: samples/s of each measured epoch (after one warm-up epoch) and their
median, the thread count, the peak RSS, and the settings used. Run by `lab bench` (the bench
module's Peer class); alone:
  python3 local_errors.py --images X.f32 --labels Y.i32 --batch 64 --threads 1
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time


def keep_freed_memory():
    """glibc serves allocations above 128 kB to 32 MB with fresh mmaps and returns freed heap to the
    system, so every step's gradients and Adam temporaries cost page faults and zero-filling: about
    5x the step at batch 64 on this machine. Raising both thresholds keeps the memory for reuse."""
    import ctypes
    libc = ctypes.CDLL("libc.so.6")
    m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
    libc.mallopt(m_mmap_threshold, 32 * 1024 * 1024)
    libc.mallopt(m_trim_threshold, 2 ** 31 - 1)
    libc.mallopt(m_top_pad, 256 * 1024 * 1024)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--images", required=True)
    p.add_argument("--labels", required=True)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--widths", default="1000,1000,1000,1000,1000")
    p.add_argument("--epochs", type=int, default=3, help="measured epochs, after one warm-up")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--foreach", choices=["on", "off"], default="off",
                   help="Adam's multi-tensor (foreach) update, or one tensor at a time")
    p.add_argument("--malloc", choices=["keep", "default"], default="keep",
                   help="keep: glibc keeps freed memory for reuse (mallopt), so the step's tensors of several MB are "
                        "not mapped, zero-filled and unmapped anew each step; default: glibc's own thresholds")
    a = p.parse_args()
    if a.malloc == "keep":
        keep_freed_memory()
    # Thread counts before torch loads: its OpenMP pool and OpenBLAS read them at start.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(a.threads)
    import numpy as np
    import torch

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x_all = torch.from_numpy(np.fromfile(a.images, dtype=np.float32).reshape(-1, 784))
    y_all = torch.from_numpy(np.fromfile(a.labels, dtype=np.int32).astype(np.int64))
    widths = [int(w) for w in a.widths.split(",")]

    layers, readouts, fan_in = [], [], 784
    for w in widths:
        lin = torch.nn.Linear(fan_in, w)
        with torch.no_grad():
            lin.weight.normal_(0.0, (2.0 / fan_in) ** 0.5)
            lin.bias.zero_()
        layers.append(lin)
        readouts.append(torch.randn(w, 10) / w ** 0.5)  # fixed: never trained
        fan_in = w
    params = [q for lin in layers for q in lin.parameters()]
    adam = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, foreach=a.foreach == "on")
    ce = torch.nn.functional.cross_entropy

    losses = []

    def epoch():
        losses.clear()
        order = torch.randperm(x_all.shape[0])
        n = x_all.shape[0] - x_all.shape[0] % a.batch  # whole batches, as the project's loop
        t0 = time.perf_counter()
        for s in range(0, n, a.batch):
            idx = order[s:s + a.batch]
            h, y = x_all[idx], y_all[idx]
            adam.zero_grad(set_to_none=True)
            total = 0
            for lin, b in zip(layers, readouts):
                h = torch.relu(lin(h.detach()))
                total = total + ce(h @ b, y)
            total.backward()  # the inputs are detached: each layer's gradient is its own loss's
            adam.step()
            losses.append(total.item() / len(layers))
        return n / (time.perf_counter() - t0)

    epoch()  # warm-up
    rates = [epoch() for _ in range(a.epochs)]
    print(json.dumps({
        "peer": "pytorch", "torch": torch.__version__, "threads": a.threads, "batch": a.batch,
        "widths": widths, "samples": int(x_all.shape[0]), "samplesPerSecond": rates,
        "median": statistics.median(rates), "meanLocalLossLastEpoch": statistics.fmean(losses),
        "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "settings": {"adamForeach": a.foreach == "on", "malloc": a.malloc, "mkldnnAvailable": torch.backends.mkldnn.is_available(),
                     "openblasCoretype": os.environ.get("OPENBLAS_CORETYPE", "")}}))


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""numpy reference for workload (d): GFLOP/s of float32 matrix products; prints one JSON line.

    OPENBLAS_NUM_THREADS=1 python3 bench/numpy_gemm.py NT 128 100 784

The form (NN, NT, TN) says which operands enter transposed, as `netrun-bench gemm` names them:
NT is A (m×k) · Bᵀ with B stored n×k, as a dense layer's forward multiplies. Timed as netrun-bench
times its own products: one warm-up, then --repeat samples of at least 20 ms each, the median
counting. The thread count is the BLAS's, set by the caller through the environment
(OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS) before numpy starts.
"""
import argparse
import json
import statistics
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("form", choices=["NN", "NT", "TN", "TT"])
    parser.add_argument("m", type=int)
    parser.add_argument("n", type=int)
    parser.add_argument("k", type=int)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    m, n, k = args.m, args.n, args.k
    rng = np.random.default_rng(0)
    a = rng.uniform(-0.5, 0.5, (k, m) if args.form[0] == "T" else (m, k)).astype(np.float32)
    b = rng.uniform(-0.5, 0.5, (n, k) if args.form[1] == "T" else (k, n)).astype(np.float32)
    # Transposed views: numpy hands them to sgemm as transposes, without copying.
    left = a.T if args.form[0] == "T" else a
    right = b.T if args.form[1] == "T" else b
    out = np.empty((m, n), np.float32)

    def once():
        np.matmul(left, right, out=out)

    once()
    start = time.perf_counter()
    once()
    single = time.perf_counter() - start
    inner = max(1, int(0.02 / max(single, 1e-9)))
    samples = []
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        for _ in range(inner):
            once()
        samples.append((time.perf_counter() - start) / inner)
    seconds = statistics.median(samples)
    print(json.dumps({"form": args.form, "m": m, "n": n, "k": k, "seconds": seconds,
                      "gflops": 2 * m * n * k / seconds / 1e9}))


if __name__ == "__main__":
    main()

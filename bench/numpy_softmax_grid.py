#!/usr/bin/env python3
"""numpy reference for workload (b), bench/configs/softmax-grid.yaml; prints one JSON line.

cs231n's softmax_loss_vectorized and LinearClassifier.train, fully vectorised, float32 throughout.
W (3072, 10) and b (10,) are cs231n's 3073-dimensional bias trick written out, so the bias is not
regularised, as in netrun. Loss: mean cross-entropy + 0.5·reg·ΣW², gradient reg·W (netrun's
convention; cs231n writes reg·ΣW², the same with its reg half of ours). Batches drawn with
replacement, as cs231n does. After each trial, accuracy on the training and validation rows
(netrun measures both at its final log point). Timed: the whole grid, excluding loading and preprocessing.
"""
import argparse
import json
import os
import re
import time

import numpy as np

CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs", "softmax-grid.yaml")


def grid(path):
    # Read from the netrun config so the two sides cannot drift apart.
    with open(path) as f:
        text = f.read()
    values = {}
    for key in ("learning_rate", "reg"):
        match = re.search(rf"^\s*training\.{key}:\s*\[([^\]]*)\]", text, re.M)
        values[key] = [float(v) for v in match.group(1).split(",")]
    return values["learning_rate"], values["reg"]


def load(folder):
    records = np.concatenate([np.fromfile(os.path.join(folder, f"data_batch_{i}.bin"), np.uint8).reshape(-1, 3073)
                              for i in range(1, 6)])
    return records[:, 1:].astype(np.float32) / np.float32(255), records[:, 0].astype(np.int64)


def train(x, y, rate, reg, rng, iterations=1500, batch=200):
    w = (rng.standard_normal((x.shape[1], 10)) * 1e-4).astype(np.float32)
    b = np.zeros(10, np.float32)
    rate, reg = np.float32(rate), np.float32(reg)
    rows = np.arange(batch)
    for _ in range(iterations):
        pick = rng.choice(len(x), batch)
        xb, yb = x[pick], y[pick]
        scores = xb @ w + b
        scores -= scores.max(1, keepdims=True)
        p = np.exp(scores)
        p /= p.sum(1, keepdims=True)
        # The loss value itself is not needed for the update; cs231n computes it for its history.
        p[rows, yb] -= 1
        p /= batch
        w -= rate * (xb.T @ p + reg * w)
        b -= rate * p.sum(0)
    return w, b


def accuracy(x, y, w, b):
    return float(((x @ w + b).argmax(1) == y).mean())


def blas_description():
    try:
        from threadpoolctl import threadpool_info
        return ", ".join(f"{i['internal_api']} {i.get('version')} ({i['num_threads']} threads)"
                         for i in threadpool_info())
    except ImportError:
        blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
        return " ".join(str(blas[k]) for k in ("name", "version") if k in blas) or "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="the cifar-teacher folder")
    parser.add_argument("--config", default=CONFIG, help="the netrun config whose sweep grid to run")
    args = parser.parse_args()
    rates, regs = grid(args.config)
    x, y = load(args.data)
    # Same sizes as netrun's split {val: 1000, train: 49000}; the rows differ (each side shuffles
    # with its own generator), which does not matter for identically distributed samples.
    rng = np.random.default_rng(1)
    order = rng.permutation(len(x))
    val, tr = order[:1000], order[1000:50000]
    x_train, y_train, x_val, y_val = x[tr], y[tr], x[val], y[val]
    # The mean of the training part only, summed in float64 then rounded, as netrun fits it.
    mean = x_train.mean(0, dtype=np.float64).astype(np.float32)
    x_train -= mean
    x_val -= mean

    start = time.perf_counter()
    results = []
    for rate in rates:
        for reg in regs:
            w, b = train(x_train, y_train, rate, reg, rng)
            results.append({"learning_rate": rate, "reg": reg, "train_accuracy": accuracy(x_train, y_train, w, b),
                            "val_accuracy": accuracy(x_val, y_val, w, b)})
    seconds = time.perf_counter() - start
    best = max(results, key=lambda r: r["val_accuracy"])
    print(json.dumps({"seconds_grid": seconds, "trials": len(results), "best_val_accuracy": best["val_accuracy"],
                      "best": {"learning_rate": best["learning_rate"], "reg": best["reg"]}, "results": results,
                      "numpy_version": np.__version__, "blas": blas_description()}))


if __name__ == "__main__":
    main()

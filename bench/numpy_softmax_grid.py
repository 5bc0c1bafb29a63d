#!/usr/bin/env python3
"""numpy reference for workload (b), cs231n style (softmax_loss_vectorized and
LinearClassifier.train, fully vectorised); prints one JSON line.

float32 throughout; W (3072, 10) and b (10,) are cs231n's 3073-dimensional bias trick written
out. Loss: mean cross-entropy + 0.5·reg·ΣW² (netrun's convention; cs231n's reg·ΣW² is the same
with reg doubled). Batches drawn with replacement, as cs231n does. After each trial, accuracy on
the training and validation rows. Timed: the whole grid, excluding loading and preprocessing.
"""
import argparse
import json
import os
import time

import numpy as np

RATES = [1e-4, 3e-4, 1e-3, 3e-3]
REGS = [1e-4, 1e-3, 1e-2]


def load(folder):
    records = np.concatenate([np.fromfile(os.path.join(folder, f"data_batch_{i}.bin"), np.uint8).reshape(-1, 3073)
                              for i in range(1, 6)])
    return records[:, 1:].astype(np.float32) / 255, records[:, 0].astype(np.int64)


def train(x, y, rate, reg, rng, iterations=1500, batch=200):
    w = (rng.standard_normal((x.shape[1], 10)) * 1e-4).astype(np.float32)
    b = np.zeros(10, np.float32)
    rows = np.arange(batch)
    for _ in range(iterations):
        pick = rng.choice(len(x), batch)
        xb, yb = x[pick], y[pick]
        scores = xb @ w + b
        scores -= scores.max(1, keepdims=True)
        p = np.exp(scores)
        p /= p.sum(1, keepdims=True)
        p[rows, yb] -= 1
        p /= batch
        w -= rate * (xb.T @ p + reg * w)
        b -= rate * p.sum(0)
    return w, b


def accuracy(x, y, w, b):
    return float(((x @ w + b).argmax(1) == y).mean())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data", help="the cifar-teacher folder")
    args = parser.parse_args()
    x, y = load(args.data)
    rng = np.random.default_rng(1)
    order = rng.permutation(len(x))
    val, tr = order[:1000], order[1000:50000]
    x_train, y_train, x_val, y_val = x[tr], y[tr], x[val], y[val]
    mean = x_train.mean(0)
    x_train -= mean
    x_val -= mean

    start = time.perf_counter()
    results = []
    for rate in RATES:
        for reg in REGS:
            w, b = train(x_train, y_train, rate, reg, rng)
            results.append({"learning_rate": rate, "reg": reg, "train_accuracy": accuracy(x_train, y_train, w, b),
                            "val_accuracy": accuracy(x_val, y_val, w, b)})
    seconds = time.perf_counter() - start
    best = max(results, key=lambda r: r["val_accuracy"])
    blas = "unknown"
    try:
        from threadpoolctl import threadpool_info
        blas = ", ".join(f"{i['internal_api']} {i.get('version')} ({i['num_threads']} threads)" for i in threadpool_info())
    except ImportError:
        config = np.show_config(mode="dicts") if hasattr(np, "show_config") else {}
        blas = str(config.get("Build Dependencies", {}).get("blas", {}).get("name", "unknown"))
    print(json.dumps({"seconds_grid": seconds, "trials": len(results), "best_val_accuracy": best["val_accuracy"],
                      "best": best, "numpy_version": np.__version__, "blas": blas}))


if __name__ == "__main__":
    main()

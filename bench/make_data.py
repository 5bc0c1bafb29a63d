#!/usr/bin/env python3
"""Writes the benchmark's data sets, the same bytes for netrun and the references.

mnist-teacher/  60 000 MNIST-shaped images (IDX, 28×28 uint8) labelled by a fixed random
                784-64-10 ReLU teacher, so a student MLP's loss falls.
cifar-teacher/  50 000 + 10 000 CIFAR-10-shaped records (binary batches, 1 label byte + 3072
                pixel bytes) labelled by a fixed random linear teacher.

Deterministic and idempotent: files of the right size are left alone, so after changing this
script delete the output folder to regenerate.
"""
import argparse
import os
import struct
import sys

import numpy as np


def write(path, data):
    if os.path.exists(path) and os.path.getsize(path) == len(data):
        return
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def teacher_labels(pixels, layers, rng):
    # Centre each class score over the data set before the argmax so no class starves.
    x = pixels.astype(np.float32) / 255 - 0.5
    for i, (fan_in, fan_out) in enumerate(layers):
        x = x @ rng.normal(0, 1 / np.sqrt(fan_in), (fan_in, fan_out)).astype(np.float32)
        if i < len(layers) - 1:
            x = np.maximum(x, 0)
    return (x - x.mean(0)).argmax(1).astype(np.uint8)


def mnist(out):
    folder = os.path.join(out, "mnist-teacher")
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(20261123)
    n = 60000
    pixels = rng.integers(0, 256, (n, 784), dtype=np.uint8)
    labels = teacher_labels(pixels, [(784, 64), (64, 10)], rng)
    write(os.path.join(folder, "train-images-idx3-ubyte"), struct.pack(">BBBBIII", 0, 0, 8, 3, n, 28, 28) + pixels.tobytes())
    write(os.path.join(folder, "train-labels-idx1-ubyte"), struct.pack(">BBBBI", 0, 0, 8, 1, n) + labels.tobytes())
    return np.bincount(labels, minlength=10)


def cifar(out):
    folder = os.path.join(out, "cifar-teacher")
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(20261124)
    weights = rng.normal(0, 1 / np.sqrt(3072), (3072, 10)).astype(np.float32)
    counts = np.zeros(10, dtype=int)
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]
    for name in names:
        pixels = rng.integers(0, 256, (10000, 3072), dtype=np.uint8)
        scores = (pixels.astype(np.float32) / 255 - 0.5) @ weights
        labels = (scores - scores.mean(0)).argmax(1).astype(np.uint8)
        counts += np.bincount(labels, minlength=10)
        write(os.path.join(folder, name), np.concatenate([labels[:, None], pixels], 1).tobytes())
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
    args = parser.parse_args()
    for name, make in [("mnist-teacher", mnist), ("cifar-teacher", cifar)]:
        counts = make(args.out)
        print(f"{name}: class counts {counts.tolist()}")
        # A starved class would make accuracy a poor check that both sides learned the same thing.
        if counts.min() < 0.03 * counts.sum():
            sys.exit(f"make_data.py: {name} is unbalanced, smallest class {counts.min()} of {counts.sum()}")


if __name__ == "__main__":
    main()

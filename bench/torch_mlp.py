#!/usr/bin/env python3
"""PyTorch CPU reference for workload (a); prints one JSON line.

The same work netrun does for bench/configs/mlp.yaml: the training loss over all 60 000 samples
at the start and after each epoch, 3 epochs of batch-128 SGD (lr 0.1) over a fresh permutation,
the last partial batch included. Initialisation as netrun's defaults: He normal before the ReLU,
Xavier uniform for the output layer, zero biases. Timed from the first loss measurement to the
last, excluding import and data loading.
"""
import argparse
import json
import os
import time

import numpy as np
import torch


def load(folder):
    with open(os.path.join(folder, "train-images-idx3-ubyte"), "rb") as f:
        images = np.frombuffer(f.read()[16:], np.uint8).reshape(-1, 784)
    with open(os.path.join(folder, "train-labels-idx1-ubyte"), "rb") as f:
        labels = np.frombuffer(f.read()[8:], np.uint8)
    return torch.from_numpy(images.astype(np.float32) / 255), torch.from_numpy(labels.astype(np.int64))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data", help="the mnist-teacher folder")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x, y = load(args.data)

    model = torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
    torch.nn.init.kaiming_normal_(model[0].weight, nonlinearity="relu")
    torch.nn.init.xavier_uniform_(model[2].weight)
    torch.nn.init.zeros_(model[0].bias)
    torch.nn.init.zeros_(model[2].bias)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()

    def train_loss():
        with torch.no_grad():
            return loss_fn(model(x), y).item()

    start = time.perf_counter()
    losses = [train_loss()]
    epoch_seconds = []
    steps = 0
    for _ in range(args.epochs):
        epoch_start = time.perf_counter()
        order = torch.randperm(len(x))
        for i in range(0, len(x), 128):
            batch = order[i:i + 128]
            optimizer.zero_grad()
            loss_fn(model(x[batch]), y[batch]).backward()
            optimizer.step()
            steps += 1
        losses.append(train_loss())
        epoch_seconds.append(time.perf_counter() - epoch_start)
    total = time.perf_counter() - start
    print(json.dumps({"seconds_training": total, "seconds_per_epoch": total / args.epochs,
                      "epoch_seconds": epoch_seconds, "losses": losses, "final_train_loss": losses[-1],
                      "steps": steps, "threads": args.threads, "torch_version": torch.__version__}))


if __name__ == "__main__":
    main()

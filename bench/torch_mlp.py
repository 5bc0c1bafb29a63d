#!/usr/bin/env python3
"""PyTorch CPU reference for workload (a), bench/configs/mlp.yaml; prints one JSON line.

MLP 784-100-10 (ReLU), softmax cross-entropy (batch mean), plain SGD lr 0.1, batch 128, a fresh
permutation every epoch, the last partial batch included (469 steps per epoch). Initialised as
netrun's defaults: He normal before the ReLU, Xavier uniform for the output layer, zero biases.

Timed, excluding import and loading:
  seconds_per_epoch   each epoch's training loop alone (forward, backward, step);
  seconds_evaluation  the loss over all 60 000 samples at the start and after every epoch;
  seconds_training    from the first full-set loss to the last. netrun logs the training loss over
                      all 60 000 samples at the start and after every epoch (log_every: 1) and its
                      seconds_training includes that, so this is the number to compare with it.
"""
import argparse
import json
import os
import statistics
import time

import numpy as np
import torch

LEARNING_RATE = 0.1
BATCH = 128


def load(folder):
    with open(os.path.join(folder, "train-images-idx3-ubyte"), "rb") as f:
        images = np.frombuffer(f.read()[16:], np.uint8).reshape(-1, 784)
    with open(os.path.join(folder, "train-labels-idx1-ubyte"), "rb") as f:
        labels = np.frombuffer(f.read()[8:], np.uint8)
    # x / 255 in float32, as netrun's preprocess {scale: 1/255} (no mean subtraction on either side).
    return torch.from_numpy(images.astype(np.float32) / 255), torch.from_numpy(labels.astype(np.int64))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="the mnist-teacher folder")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x, y = load(args.data)

    model = torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
    # kaiming_normal_ with fan_in and gain √2 is N(0, 2/fanIn), netrun's He normal.
    torch.nn.init.kaiming_normal_(model[0].weight, nonlinearity="relu")
    torch.nn.init.xavier_uniform_(model[2].weight)
    torch.nn.init.zeros_(model[0].bias)
    torch.nn.init.zeros_(model[2].bias)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    loss_fn = torch.nn.CrossEntropyLoss()

    evaluation = 0.0

    def train_loss():
        nonlocal evaluation
        start = time.perf_counter()
        with torch.no_grad():
            value = loss_fn(model(x), y).item()
        evaluation += time.perf_counter() - start
        return value

    start = time.perf_counter()
    losses = [train_loss()]
    epoch_seconds = []
    steps = 0
    for _ in range(args.epochs):
        epoch_start = time.perf_counter()
        order = torch.randperm(len(x))
        for i in range(0, len(x), BATCH):
            batch = order[i:i + BATCH]
            optimizer.zero_grad()
            loss_fn(model(x[batch]), y[batch]).backward()
            optimizer.step()
            steps += 1
        epoch_seconds.append(time.perf_counter() - epoch_start)
        losses.append(train_loss())
    total = time.perf_counter() - start
    print(json.dumps({"seconds_per_epoch": epoch_seconds, "median_epoch_seconds": statistics.median(epoch_seconds),
                      "seconds_evaluation": evaluation, "seconds_training": total, "epochs": args.epochs, "losses": losses,
                      "final_train_loss": losses[-1], "steps": steps, "torch_version": torch.__version__,
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""numpy reference for workload (a), bench/configs/mlp.yaml; prints one JSON line.

The same MLP 784-100-10 (ReLU), softmax cross-entropy (batch mean), plain SGD lr 0.1, batch 128,
a fresh permutation every epoch with the last partial batch included (469 steps per epoch),
written the standard cs231n way (`TwoLayerNet.loss`: affine, ReLU, affine, softmax loss with the
max subtracted, then the backward pass by hand) in float32 throughout, on numpy's BLAS with
every core. Initialised as netrun's defaults: He normal before the ReLU, Xavier uniform for the
output layer, zero biases (from numpy's generator, so the draws differ from netrun's).

Timed, excluding import and loading, as torch_mlp.py times it:
  seconds_per_epoch   each epoch's training loop alone (forward, backward, step);
  seconds_evaluation  the loss over all 60 000 samples at the start and after every epoch;
  seconds_training    from the first full-set loss to the last (both of the above).
"""
import argparse
import json
import os
import statistics
import time

import numpy as np

LEARNING_RATE = np.float32(0.1)
BATCH = 128


def load(folder):
    with open(os.path.join(folder, "train-images-idx3-ubyte"), "rb") as f:
        images = np.frombuffer(f.read()[16:], np.uint8).reshape(-1, 784)
    with open(os.path.join(folder, "train-labels-idx1-ubyte"), "rb") as f:
        labels = np.frombuffer(f.read()[8:], np.uint8)
    # x / 255 in float32, as netrun's preprocess {scale: 1/255}.
    return images.astype(np.float32) / np.float32(255), labels.astype(np.int64)


def init(rng):
    fan_in, hidden, classes = 784, 100, 10
    limit = np.sqrt(6 / (hidden + classes))
    return {"W1": rng.normal(0, np.sqrt(2 / fan_in), (fan_in, hidden)).astype(np.float32),
            "b1": np.zeros(hidden, np.float32),
            "W2": rng.uniform(-limit, limit, (hidden, classes)).astype(np.float32),
            "b2": np.zeros(classes, np.float32)}


def loss(params, X, y, backward=True):
    """cs231n's TwoLayerNet.loss: the mean softmax loss and (when `backward`) the gradients."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    hidden = np.maximum(0, X @ W1 + b1)
    scores = hidden @ W2 + b2
    scores -= scores.max(axis=1, keepdims=True)
    exp_scores = np.exp(scores)
    probs = exp_scores / exp_scores.sum(axis=1, keepdims=True)
    data_loss = -np.log(probs[np.arange(N), y]).mean()
    if not backward:
        return data_loss
    dscores = probs
    dscores[np.arange(N), y] -= 1
    dscores /= N
    grads = {"W2": hidden.T @ dscores, "b2": dscores.sum(axis=0)}
    dhidden = dscores @ W2.T
    dhidden[hidden <= 0] = 0
    grads["W1"] = X.T @ dhidden
    grads["b1"] = dhidden.sum(axis=0)
    return data_loss, grads


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="the mnist-teacher folder")
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    x, y = load(args.data)
    rng = np.random.default_rng(1)
    params = init(rng)

    evaluation = 0.0

    def train_loss():
        nonlocal evaluation
        start = time.perf_counter()
        value = float(loss(params, x, y, backward=False))
        evaluation += time.perf_counter() - start
        return value

    start = time.perf_counter()
    losses = [train_loss()]
    epoch_seconds = []
    steps = 0
    for _ in range(args.epochs):
        epoch_start = time.perf_counter()
        order = rng.permutation(len(x))
        for i in range(0, len(x), BATCH):
            batch = order[i:i + BATCH]
            _, grads = loss(params, x[batch], y[batch])
            for name, grad in grads.items():
                params[name] -= LEARNING_RATE * grad
            steps += 1
        epoch_seconds.append(time.perf_counter() - epoch_start)
        losses.append(train_loss())
    total = time.perf_counter() - start
    assert all(p.dtype == np.float32 for p in params.values()), "the parameters left float32"
    print(json.dumps({"seconds_per_epoch": epoch_seconds, "median_epoch_seconds": statistics.median(epoch_seconds),
                      "seconds_evaluation": evaluation, "seconds_training": total, "epochs": args.epochs,
                      "losses": losses, "final_train_loss": losses[-1], "steps": steps,
                      "numpy_version": np.__version__}))


if __name__ == "__main__":
    main()

"""Writes PyTorch's reference loss traces for netrun's optimizers and schedules.

Run from anywhere:  python3 Tests/Fixtures/trajectories/make_trajectories.py
                    (add --check to compare with the committed files instead of writing them,
                    --netrun .build/debug/netrun to also train today's netrun on the cases it reads)
Needs torch and numpy (any recent CPU build); runs in a few seconds. The Swift test reads the
files this writes, so it runs without PyTorch.

What it writes, beside this script:
  data.csv              24 samples x 4 features, label (0, 1, 2) last; every value a multiple of
                        1/64 in [-2, 2], so float32 and float64 hold it exactly.
  init.safetensors      the initial weights in F64 under netrun export's names ("0.weight" (8, 4),
                        "0.bias" (8,), "2.weight" (3, 8), "2.bias" (3,)): nn.Sequential(Linear(4, 8),
                        Tanh(), Linear(8, 3)). Every value is a float32 value, so a float32 model
                        starts from the very same weights.
  cases/NAME.yaml       one netrun config per case: 4 -> dense 8 tanh -> dense 3,
                        softmax_cross_entropy, full batch (no batch_size), 50 epochs, log_every 1,
                        no validation, training.dtype float64, model.init_from ../init.safetensors.
  expected.json         per case: `train_loss`, the 51 logged training losses (step 0, before any
                        update, then after each of the 50 updates), and `learning_rates`, the rate
                        each of the 50 updates used; floats written with repr (round-trip exact).

The training loop, in PyTorch terms (float64, one step = one epoch = the whole training set):

    losses = [CE(model(X), y)]                      # step 0: the data loss before any update
    for epoch in range(50):
        opt.zero_grad()
        (CE(model(X), y) + 0.5 * reg * sum(W**2 for the two weight matrices)).backward()
        opt.step()
        loss = CE(model(X), y)                       # logged: the DATA loss, after the update
        losses.append(loss)
        scheduler.step()  /  plateau.step(loss)      # the rate for the next update

CE is nn.CrossEntropyLoss() (mean over the batch). `reg` is netrun's: the objective adds
0.5 * reg * sum W^2 over weights only (not biases) and the logged loss leaves it out. An
optimizer's `weight_decay` is torch's: applied to every parameter, biases included
(torch.optim.X(model.parameters(), weight_decay=...)).

Config keys and their PyTorch counterparts (PyTorch's defaults for every key not written):
  optimizer: sgd  (+ training.momentum)     torch.optim.SGD(lr, momentum)
  optimizer: {sgd: {momentum, nesterov, dampening, weight_decay}}   torch.optim.SGD(...)
  optimizer: adam / {adam: {betas, eps, amsgrad, weight_decay}}     torch.optim.Adam(...)
  optimizer: adamw / {adamw: {...}}          torch.optim.AdamW(...) (weight_decay default 0.01)
  learning_rate_decay: g                     ExponentialLR(gamma=g)
  schedule: {exponential: {factor: g}}       ExponentialLR(gamma=g):          lr_e = lr * g^e
  schedule: {step: {every: N, factor: g}}    StepLR(step_size=N, gamma=g):    lr_e = lr * g^(e // N)
  schedule: {cosine: {min_lr: m}}            CosineAnnealingLR(T_max=E, eta_min=m):
                                             lr_e = m + (lr - m) * (1 + cos(pi * e / E)) / 2
  schedule: {cosine: {min_lr: m}, warmup: {steps: k}}
        netrun's warmup multiplies whichever main schedule runs (over the whole run, from epoch 0):
            lr_e = min(1, (e + 1) / k) * main_e                    (lr/k at the first update)
        In PyTorch: ChainedScheduler([LinearLR(opt, start_factor=1/k, end_factor=1,
        total_iters=k - 1), main]); written here as the LambdaLR of that closed form, which is
        exact (the chained form repeats the product step by step). With min_lr = 0, as here, the
        cosine's factor is (1 + cos(pi * e / E)) / 2.
  schedule: {plateau: {metric: train_loss, patience: P, factor: f}}
        ReduceLROnPlateau(opt, mode='min', factor=f, patience=P, threshold=1e-4,
                          threshold_mode='rel', cooldown=0, min_lr=0, eps=1e-8),
        stepped with the logged train loss after each update (at each log point after step 0;
        the step-0 loss is not shown to it): best starts at +inf; a loss < best * (1 - 1e-4) is
        an improvement (best = loss, bad = 0), else bad += 1; when bad > P the rate becomes
        rate * f (unless that changes it by at most 1e-8) and bad = 0. The new rate is used from
        the next update on.
Here e is the number of epochs finished before the update (0 for the first update), E = 50 the
run's epochs, and lr_e the rate the update after epoch e uses.

Self-checks, run every time (the script exits non-zero if one fails):
  * an independent numpy re-implementation of netrun's semantics (forward, fused softmax
    cross-entropy gradient (p - t) / N, reg on weights only, the optimizers' update rules and the
    schedules' closed forms above, the logged data loss after each update) agrees with PyTorch
    on every case to 1e-11 relative, and so does its learning rate sequence;
  * PyTorch in float32 from the same weights stays within 1e-6 relative of the float64 trace on
    every case, a tenfold margin under the float32 test's 1e-5;
  * every plateau decision is at least 1e-5 (relative) away from the threshold, so float32 and
    float64 runs decide alike;
  * every two cases' traces are at least 1e-4 apart (relative), so an ignored option fails even
    the float32 test; learning_rate_decay and the exponential schedule give one trace;
  * the written files read back to the same data and weights.
With --check, expected.json may differ from the committed one by 1e-12 (another torch build).
With --netrun BINARY, today's netrun trains the cases whose keys it already reads (sgd,
sgd_momentum, sgd_reg, learning_rate_decay) from its own seeded weights in float32, and each
logged loss must be within 1e-5 of PyTorch's float64 trace from those weights (see
check_against_netrun; it needs neither init_from nor float64).
"""
import argparse
import itertools
import json
import math
import os
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES, FEATURES, HIDDEN, CLASSES, EPOCHS = 24, 4, 8, 3, 50

# ---------------------------------------------------------------------------------------------
# The cases. Each is the `training:` mapping of its config (dtype, epochs, log_every and
# checkpoint_every are added for all), read by both the PyTorch and the numpy side.

CASES = [
    ("sgd", "Plain SGD: torch.optim.SGD(lr=0.5).",
     dict(learning_rate=0.5)),
    ("sgd_momentum", "SGD with momentum, today's key: torch.optim.SGD(lr=0.1, momentum=0.9).",
     dict(learning_rate=0.1, momentum=0.9)),
    ("sgd_nesterov", "torch.optim.SGD(lr=0.1, momentum=0.9, nesterov=True).",
     dict(optimizer={"sgd": {"momentum": 0.9, "nesterov": True}}, learning_rate=0.1)),
    ("sgd_dampening", "torch.optim.SGD(lr=0.1, momentum=0.9, dampening=0.5).",
     dict(optimizer={"sgd": {"momentum": 0.9, "dampening": 0.5}}, learning_rate=0.1)),
    ("sgd_weight_decay", "torch.optim.SGD(lr=0.1, momentum=0.9, weight_decay=0.001): the decay reaches "
     "every parameter, biases included.",
     dict(optimizer={"sgd": {"momentum": 0.9, "weight_decay": 0.001}}, learning_rate=0.1)),
    ("sgd_reg", "netrun's reg with momentum: objective + 0.5 * 0.01 * sum W^2 over weights (not biases); "
     "the logged loss is the data loss alone.",
     dict(learning_rate=0.1, momentum=0.9, reg=0.01)),
    ("adam", "torch.optim.Adam(lr=0.01).",
     dict(optimizer="adam", learning_rate=0.01)),
    # beta2 = 0.99 forgets fast enough for the running maximum to matter (1e-3 from plain Adam's trace).
    ("adam_amsgrad", "torch.optim.Adam(lr=0.01, betas=(0.9, 0.99), eps=1e-8, amsgrad=True).",
     dict(optimizer={"adam": {"betas": [0.9, 0.99], "eps": 1.0e-8, "amsgrad": True}}, learning_rate=0.01)),
    ("adam_weight_decay", "torch.optim.Adam(lr=0.01, betas=(0.8, 0.99), weight_decay=0.01): L2 in the gradient, "
     "every parameter.",
     dict(optimizer={"adam": {"betas": [0.8, 0.99], "weight_decay": 0.01}}, learning_rate=0.01)),
    ("adamw", "torch.optim.AdamW(lr=0.01, weight_decay=0.01): decoupled decay, every parameter.",
     dict(optimizer={"adamw": {"weight_decay": 0.01}}, learning_rate=0.01)),
    ("learning_rate_decay", "Today's per-epoch decay: SGD(lr=0.5) with ExponentialLR(gamma=0.95); the same trace "
     "as exponential.",
     dict(learning_rate=0.5, learning_rate_decay=0.95)),
    ("exponential", "SGD(lr=0.5) with ExponentialLR(gamma=0.95).",
     dict(learning_rate=0.5, schedule={"exponential": {"factor": 0.95}})),
    ("step", "SGD(lr=0.1, momentum=0.9) with StepLR(step_size=10, gamma=0.5).",
     dict(learning_rate=0.1, momentum=0.9, schedule={"step": {"every": 10, "factor": 0.5}})),
    ("cosine", "Adam(lr=0.02) with CosineAnnealingLR(T_max=50, eta_min=0.001).",
     dict(optimizer="adam", learning_rate=0.02, schedule={"cosine": {"min_lr": 0.001}})),
    ("warmup_cosine", "SGD(lr=0.2, momentum=0.9) with ChainedScheduler([LinearLR(start_factor=1/5, total_iters=4), "
     "CosineAnnealingLR(T_max=50, eta_min=0)]) (as its closed-form LambdaLR).",
     dict(learning_rate=0.2, momentum=0.9, schedule={"cosine": {"min_lr": 0}, "warmup": {"steps": 5}})),
    # A rate high enough to make the loss jump, so the plateau rule cuts it (after updates 6 and 14).
    ("plateau", "SGD(lr=5.0) with ReduceLROnPlateau(factor=0.5, patience=3) stepped with the logged train loss.",
     dict(learning_rate=5.0,
          schedule={"plateau": {"metric": "train_loss", "patience": 3, "factor": 0.5}})),
]

PLATEAU_THRESHOLD = 1e-4  # ReduceLROnPlateau's default, relative
PLATEAU_EPS = 1e-8        # ReduceLROnPlateau's default: smaller rate changes are skipped

# ---------------------------------------------------------------------------------------------
# Data and initial weights, from a SplitMix64 stream, so they depend on no library's generator.


class SplitMix64:
    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.state = seed & self.MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def unit(self):
        """Uniform in [0, 1), 53 bits."""
        return (self.next() >> 11) * 2.0 ** -53

    def uniform(self, a):
        """Uniform in [-a, a)."""
        return (2 * self.unit() - 1) * a


def make_data():
    """24 samples, 8 per class around three centres, overlapping; values are multiples of 1/64."""
    rng = SplitMix64(14)
    centres = [(1.0, 0.5, -0.5, 0.0), (-0.5, 1.0, 0.5, -1.0), (0.0, -1.0, 0.25, 1.0)]
    x = np.zeros((SAMPLES, FEATURES))
    y = np.zeros(SAMPLES, dtype=np.int64)
    for i in range(SAMPLES):
        label = i % CLASSES
        y[i] = label
        for j in range(FEATURES):
            value = centres[label][j] + rng.uniform(1.5)
            x[i, j] = min(max(round(value * 64) / 64, -2.0), 2.0)
    # The last three samples repeat the first three under other labels, so no model fits every
    # sample: the loss keeps a floor (3 pairs -> at least 6 ln 2 / 24), stays well above zero (the
    # float32 loss of nearly certain samples loses its relative precision), and flattens out.
    for c in range(CLASSES):
        x[SAMPLES - CLASSES + c] = x[(c + 1) % CLASSES]
    return x, y


def make_init():
    """Xavier-uniform weights and small biases, rounded to float32 values, kept as float64."""
    rng = SplitMix64(2026)
    tensors = {}
    for name, (fan_out, fan_in) in [("0", (HIDDEN, FEATURES)), ("2", (CLASSES, HIDDEN))]:
        a = math.sqrt(6 / (fan_in + fan_out))
        weight = [[rng.uniform(a) for _ in range(fan_in)] for _ in range(fan_out)]
        bias = [rng.uniform(0.1) for _ in range(fan_out)]
        tensors[name + ".weight"] = np.array(weight, dtype=np.float32).astype(np.float64)
        tensors[name + ".bias"] = np.array(bias, dtype=np.float32).astype(np.float64)
    return tensors


# ---------------------------------------------------------------------------------------------
# PyTorch side.

def torch_optimizer(training, params):
    lr = training["learning_rate"]
    spec = training.get("optimizer", "sgd")
    name, options = (spec, {}) if isinstance(spec, str) else next(iter(spec.items()))
    options = dict(options)
    if "betas" in options:
        options["betas"] = tuple(options["betas"])
    if name == "sgd":
        options.setdefault("momentum", training.get("momentum", 0.0))
        return torch.optim.SGD(params, lr=lr, **options)
    return {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[name](params, lr=lr, **options)


def torch_scheduler(training, opt):
    """The scheduler, and whether it steps with the logged loss (plateau)."""
    if "learning_rate_decay" in training:
        return torch.optim.lr_scheduler.ExponentialLR(opt, gamma=training["learning_rate_decay"]), False
    schedule = dict(training.get("schedule", {}))
    warmup = schedule.pop("warmup", None)
    if not schedule:
        assert warmup is None
        return None, False
    (name, options), = schedule.items()
    sched = torch.optim.lr_scheduler
    epochs_after_warmup = EPOCHS
    if name == "exponential":
        main = sched.ExponentialLR(opt, gamma=options["factor"])
    elif name == "step":
        main = sched.StepLR(opt, step_size=options["every"], gamma=options["factor"])
    elif name == "cosine":
        main = sched.CosineAnnealingLR(opt, T_max=epochs_after_warmup, eta_min=options["min_lr"])
    elif name == "plateau":
        assert warmup is None and options["metric"] == "train_loss"
        return sched.ReduceLROnPlateau(opt, mode="min", factor=options["factor"], patience=options["patience"],
                                       threshold=PLATEAU_THRESHOLD, threshold_mode="rel", cooldown=0,
                                       min_lr=0, eps=PLATEAU_EPS), True
    else:
        raise ValueError(name)
    if warmup is None:
        return main, False
    k = warmup["steps"]
    lr = training["learning_rate"]
    return sched.LambdaLR(opt, lambda e: min(1.0, (e + 1) / k) * main_factor(name, options, e, lr)), False


def main_factor(name, options, e, lr):
    """The main schedule's rate at epoch e over the base rate, in closed form."""
    if name == "exponential":
        return options["factor"] ** e
    if name == "step":
        return options["factor"] ** (e // options["every"])
    m = options["min_lr"]
    return (m + (lr - m) * (1 + math.cos(math.pi * e / EPOCHS)) / 2) / lr


def torch_trace(training, x, y, init, dtype):
    model = torch.nn.Sequential(torch.nn.Linear(FEATURES, HIDDEN), torch.nn.Tanh(), torch.nn.Linear(HIDDEN, CLASSES))
    model = model.to(dtype)
    model.load_state_dict({k: torch.tensor(v, dtype=dtype) for k, v in init.items()})
    inputs, labels = torch.tensor(x, dtype=dtype), torch.tensor(y)
    criterion = torch.nn.CrossEntropyLoss()
    reg = training.get("reg", 0.0)
    weights = [model[0].weight, model[2].weight]
    opt = torch_optimizer(training, model.parameters())
    scheduler, on_loss = torch_scheduler(training, opt)

    def data_loss():
        with torch.no_grad():
            return criterion(model(inputs), labels).item()

    losses, rates = [data_loss()], []
    for _ in range(EPOCHS):
        rates.append(opt.param_groups[0]["lr"])
        opt.zero_grad()
        objective = criterion(model(inputs), labels)
        if reg:
            objective = objective + 0.5 * reg * sum((w * w).sum() for w in weights)
        objective.backward()
        opt.step()
        losses.append(data_loss())
        if scheduler is not None:
            scheduler.step(losses[-1]) if on_loss else scheduler.step()
    return losses, rates


# ---------------------------------------------------------------------------------------------
# numpy side: netrun's semantics written out plainly, float64, independent of torch.

def numpy_rates_and_plateau(training):
    """The closed-form rate of each update (None for plateau, which depends on the losses)."""
    lr = training["learning_rate"]
    if "learning_rate_decay" in training:
        return [lr * training["learning_rate_decay"] ** e for e in range(EPOCHS)]
    schedule = dict(training.get("schedule", {}))
    warmup = schedule.pop("warmup", None)
    if not schedule:
        return [lr] * EPOCHS
    (name, options), = schedule.items()
    if name == "plateau":
        return None
    k = warmup["steps"] if warmup else 0
    rates = []
    for e in range(EPOCHS):
        t, total = e, EPOCHS
        if name == "exponential":
            rate = lr * options["factor"] ** t
        elif name == "step":
            rate = lr * options["factor"] ** (t // options["every"])
        elif name == "cosine":
            m = options["min_lr"]
            rate = m + (lr - m) * (1 + math.cos(math.pi * t / total)) / 2
        rates.append(rate * min(1.0, (e + 1) / k) if k else rate)
    return rates


class NumpyOptimizer:
    """torch.optim's update rules, one parameter list, in float64."""

    def __init__(self, training, params):
        spec = training.get("optimizer", "sgd")
        self.name, options = (spec, {}) if isinstance(spec, str) else next(iter(spec.items()))
        self.momentum = options.get("momentum", training.get("momentum", 0.0))
        self.nesterov = options.get("nesterov", False)
        self.dampening = options.get("dampening", 0.0)
        self.weight_decay = options.get("weight_decay", 0.01 if self.name == "adamw" else 0.0)
        self.beta1, self.beta2 = options.get("betas", [0.9, 0.999])
        self.eps = options.get("eps", 1e-8)
        self.amsgrad = options.get("amsgrad", False)
        self.t = 0
        self.buffers = [None] * len(params)
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.vmax = [np.zeros_like(p) for p in params]

    def step(self, params, grads, lr):
        self.t += 1
        for i, (w, g) in enumerate(zip(params, grads)):
            if self.name == "sgd":
                g = g + self.weight_decay * w
                if self.momentum:
                    # The first step takes the gradient as is (no dampening), as torch does.
                    if self.buffers[i] is None:
                        self.buffers[i] = g.copy()
                    else:
                        self.buffers[i] = self.momentum * self.buffers[i] + (1 - self.dampening) * g
                    g = g + self.momentum * self.buffers[i] if self.nesterov else self.buffers[i]
                w -= lr * g
                continue
            if self.name == "adamw":
                w *= 1 - lr * self.weight_decay         # decoupled: before the moments, with this step's rate
            else:
                g = g + self.weight_decay * w           # Adam: L2 in the gradient
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g * g
            second = self.v[i]
            if self.amsgrad:
                self.vmax[i] = np.maximum(self.vmax[i], self.v[i])
                second = self.vmax[i]
            bias1, bias2 = 1 - self.beta1 ** self.t, 1 - self.beta2 ** self.t
            w -= (lr / bias1) * self.m[i] / (np.sqrt(second) / math.sqrt(bias2) + self.eps)


def numpy_trace(training, x, y, init):
    w0, b0, w2, b2 = (init[k].copy() for k in ("0.weight", "0.bias", "2.weight", "2.bias"))
    params = [w0, b0, w2, b2]
    onehot = np.eye(CLASSES)[y]
    n = len(y)
    reg = training.get("reg", 0.0)

    def forward():
        h = np.tanh(x @ w0.T + b0)                   # (N, 8)
        z = h @ w2.T + b2                            # (N, 3)
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return h, logp, -(onehot * logp).sum() / n

    def gradients():
        h, logp, _ = forward()
        dz = (np.exp(logp) - onehot) / n             # dL/dz = (p - t) / N
        dw2, db2 = dz.T @ h, dz.sum(axis=0)
        da = (dz @ w2) * (1 - h * h)                 # tanh' = 1 - h^2
        dw0, db0 = da.T @ x, da.sum(axis=0)
        return [dw0 + reg * w0, db0, dw2 + reg * w2, db2]   # reg: weights only

    optimizer = NumpyOptimizer(training, params)
    rates = numpy_rates_and_plateau(training)
    plateau = None if rates is not None else dict(training["schedule"]["plateau"], best=math.inf, bad=0,
                                                   lr=training["learning_rate"], margins=[])
    losses, used = [forward()[2]], []
    for e in range(EPOCHS):
        lr = rates[e] if rates is not None else plateau["lr"]
        used.append(lr)
        optimizer.step(params, gradients(), lr)
        losses.append(forward()[2])
        if plateau is not None:
            loss, p = losses[-1], plateau
            if p["best"] < math.inf:
                p["margins"].append(abs(loss / p["best"] - (1 - PLATEAU_THRESHOLD)))
            if loss < p["best"] * (1 - PLATEAU_THRESHOLD):
                p["best"], p["bad"] = loss, 0
            else:
                p["bad"] += 1
            if p["bad"] > p["patience"]:
                new = p["lr"] * p["factor"]
                if p["lr"] - new > PLATEAU_EPS:
                    p["lr"] = new
                p["bad"] = 0
    return losses, used, plateau


# ---------------------------------------------------------------------------------------------
# Files.

def csv_text(x, y):
    lines = ["x1,x2,x3,x4,label"]
    for row, label in zip(x, y):
        lines.append(",".join(repr(float(v)) for v in row) + f",{label}")
    return "\n".join(lines) + "\n"


def safetensors_bytes(tensors):
    """The safetensors format by hand: u64 LE header length, JSON header, raw LE data (F64)."""
    header, offset, blobs = {}, 0, []
    for name, value in tensors.items():
        blob = np.ascontiguousarray(value, dtype="<f8").tobytes()
        header[name] = {"dtype": "F64", "shape": list(value.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-(8 + len(text)) % 8)               # data 8-byte aligned, as the reference writer does
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def read_safetensors(data):
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    out = {}
    for name, entry in header.items():
        start, end = entry["data_offsets"]
        assert entry["dtype"] == "F64"
        out[name] = np.frombuffer(body[start:end], dtype="<f8").reshape(entry["shape"])
    return out


def yaml_scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
        if "e" in text:                                  # 1e-08 -> 1.0e-8, which every YAML reader takes
            mantissa, exponent = text.split("e")
            text = f"{mantissa if '.' in mantissa else mantissa + '.0'}e{int(exponent)}"
        return text
    return str(value)


def yaml_flow(value):
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {yaml_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_flow(v) for v in value) + "]"
    return yaml_scalar(value)


def config_text(name, doc, training):
    lines = [f"# {doc}", "# Written by make_trajectories.py; expected.json holds PyTorch's trace for it.",
             f"name: trajectory-{name}", "seed: 1", "data:", "  csv: {path: ../data.csv, label: label}", "model:",
             "  init_from: ../init.safetensors", "  layers:", "    - dense: {units: 8, activation: tanh}",
             "    - dense: 3", "loss: softmax_cross_entropy", "training:", "  dtype: float64"]
    for key, value in training.items():
        lines.append(f"  {key}: {yaml_flow(value)}")
    lines += [f"  epochs: {EPOCHS}", "  log_every: 1", f"  checkpoint_every: {EPOCHS}"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------

def relative(a, b):
    return max(abs(p - q) / max(abs(q), 1e-300) for p, q in zip(a, b))


def same_traces(old, new):
    """Whether two expected.json texts agree but for the torch version and last-bit differences."""
    old, new = json.loads(old), json.loads(new)
    if [c["name"] for c in old["cases"]] != [c["name"] for c in new["cases"]]:
        return False
    return all(relative(a[key], b[key]) <= 1e-12 for a, b in zip(old["cases"], new["cases"])
               for key in ("train_loss", "learning_rates"))


def check_against_netrun(netrun, x, y):
    """Today's netrun against this script's PyTorch side, on the cases whose keys it already has.

    netrun cannot yet load given weights (model.init_from) nor train in float64, so this trains
    from netrun's own seeded weights, in float32: a first run of one epoch at a rate of 1e-30
    leaves the weights as drawn (biases start at zero: put back exactly), `netrun export` writes
    them, and PyTorch's float64 trace from them must match every logged loss to 1e-5.
    """
    import sqlite3
    import subprocess
    import tempfile

    today = [name for name, _, training in CASES
             if set(training) <= {"learning_rate", "momentum", "reg", "learning_rate_decay"}]
    trainings = {name: training for name, _, training in CASES}
    with tempfile.TemporaryDirectory() as folder:
        database = os.path.join(folder, "runs.sqlite")

        def train(name, training):
            lines = [f"name: today-{name}", "seed: 1", "data:",
                     "  csv: {path: " + os.path.join(HERE, "data.csv") + ", label: label}", "model:", "  layers:",
                     "    - dense: {units: 8, activation: tanh}", "    - dense: 3", "loss: softmax_cross_entropy",
                     "training:"] + [f"  {k}: {yaml_flow(v)}" for k, v in training.items()] + [
                     f"  epochs: {EPOCHS}", "  log_every: 1", f"  checkpoint_every: {EPOCHS}"]
            config = os.path.join(folder, name + ".yaml")
            with open(config, "w") as f:
                f.write("\n".join(lines) + "\n")
            subprocess.run([netrun, config, "--db", database, "--quiet"], check=True, capture_output=True)
            with sqlite3.connect(database) as db:
                run = db.execute("SELECT max(id) FROM runs").fetchone()[0]
                rows = db.execute("SELECT step, value FROM metrics WHERE run_id = ? AND split = 'train' "
                                  "AND name = 'loss' ORDER BY step", (run,)).fetchall()
            assert [step for step, _ in rows] == list(range(EPOCHS + 1)), "a loss at every step 0...50"
            return run, [value for _, value in rows]

        run, _ = train("init", dict(learning_rate=1e-30))
        exported = os.path.join(folder, "init.safetensors")
        subprocess.run([netrun, "export", str(run), "-o", exported, "--db", database], check=True, capture_output=True)
        data = open(exported, "rb").read()
        (length,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8:8 + length])
        init = {}
        for name, entry in header.items():
            if name != "__metadata__":
                start, end = entry["data_offsets"]
                values = np.frombuffer(data[8 + length + start:8 + length + end], dtype="<f4").reshape(entry["shape"])
                init[name] = np.zeros(entry["shape"]) if name.endswith("bias") else values.astype(np.float64)
        worst = 0.0
        for name in today:
            _, logged = train(name, trainings[name])
            reference, _ = torch_trace(trainings[name], x, y, init, torch.float64)
            distance = relative(logged, reference)
            worst = max(worst, distance)
            print(f"netrun today, float32, {name:20} {distance:.1e} from PyTorch float64")
    return worst <= 1e-5


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files; write nothing")
    parser.add_argument("--netrun", metavar="BINARY",
                        help="also train today's netrun (e.g. .build/debug/netrun) on the cases it can run")
    args = parser.parse_args()
    torch.set_num_threads(1)

    x, y = make_data()
    init = make_init()
    failures = []
    if args.netrun and not check_against_netrun(args.netrun, x, y):
        failures.append("today's netrun does not match PyTorch within 1e-5")

    def expect(condition, message):
        if not condition:
            failures.append(message)

    files = {"data.csv": csv_text(x, y).encode(), "init.safetensors": safetensors_bytes(init)}
    expect(all(np.float32(v) == v for v in x.ravel()), "data not float32-exact")
    expect(all((np.float32(t) == t).all() for t in init.values()), "weights not float32-exact")
    back = read_safetensors(files["init.safetensors"])
    expect(all(np.array_equal(back[k], init[k]) for k in init), "init.safetensors does not read back")

    expected = {
        "about": "PyTorch reference traces for netrun; written by make_trajectories.py, which documents the "
                 "semantics. train_loss[s] is the training data loss logged at step s (0 = before any update); "
                 "learning_rates[s - 1] is the rate update s used.",
        "torch": torch.__version__.split("+")[0],
        "steps": EPOCHS,
        "tolerance": {"float64": 1e-9, "float32": 1e-5},
        "cases": [],
    }
    print(f"{'case':20} {'loss 0':>10} {'loss 50':>10}  numpy/torch  float32/64   lr/closed-form")
    for name, doc, training in CASES:
        losses, rates = torch_trace(training, x, y, init, torch.float64)
        reference, reference_rates, plateau = numpy_trace(training, x, y, init)
        losses32, _ = torch_trace(training, x, y, init, torch.float32)
        against_numpy = relative(reference, losses)
        against_float32 = relative(losses32, losses)
        against_rates = relative(reference_rates, rates)
        expect(against_numpy <= 1e-11, f"{name}: numpy and torch differ by {against_numpy:.2e}")
        expect(against_rates <= 1e-12, f"{name}: closed-form rates and torch's differ by {against_rates:.2e}")
        expect(against_float32 <= 1e-6, f"{name}: float32 drifts {against_float32:.2e} from float64")
        expect(all(math.isfinite(v) for v in losses) and losses[-1] < losses[0], f"{name}: does not train")
        note = ""
        if plateau is not None:
            reductions = sum(1 for a, b in zip(rates, rates[1:]) if b < a)
            margin = min(plateau["margins"])
            expect(reductions >= 2, f"{name}: the rate was cut {reductions} times; want at least 2")
            expect(margin >= 1e-5, f"{name}: a plateau decision is {margin:.1e} from the threshold")
            note = f"  cuts {reductions}, margin {margin:.1e}"
        print(f"{name:20} {losses[0]:10.6f} {losses[-1]:10.6f}  {against_numpy:10.1e}  {against_float32:10.1e}"
              f"  {against_rates:10.1e}{note}")
        expected["cases"].append({"name": name, "config": f"cases/{name}.yaml", "about": doc,
                                  "train_loss": losses, "learning_rates": rates})
        files[f"cases/{name}.yaml"] = config_text(name, doc, training).encode()
    files["expected.json"] = (json.dumps(expected, indent=1) + "\n").encode()
    # Each case must be told apart from every other by the float32 test too (an ignored option
    # would otherwise pass); today's learning_rate_decay and the exponential schedule are one thing.
    traces = {case["name"]: case["train_loss"] for case in expected["cases"]}
    for a, b in itertools.combinations(traces, 2):
        distance = relative(traces[a], traces[b])
        if {a, b} == {"learning_rate_decay", "exponential"}:
            expect(distance == 0, f"{a} and {b} differ by {distance:.1e}")
        else:
            expect(distance >= 1e-4, f"{a} and {b} are only {distance:.1e} apart")

    if failures:
        print("\n".join(["FAILED:"] + failures), file=sys.stderr)
        return 1
    changed = []
    for path, content in files.items():
        full = os.path.join(HERE, path)
        old = open(full, "rb").read() if os.path.exists(full) else None
        if old == content or (args.check and path == "expected.json" and old and same_traces(old, content)):
            continue
        changed.append(path)
        if not args.check:
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(content)
    if args.check:
        print("the committed files match" if not changed else "differ from the committed files: " + ", ".join(changed))
        return 1 if changed else 0
    print(f"wrote {', '.join(changed) if changed else 'nothing (all files up to date)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Writes optimizer_fixture.json: PyTorch's parameters after each step of torch.optim.SGD, Adam
and AdamW, for netrun's optimizer test (Tests/NetrunCoreTests/OptimizerFixtureTests.swift).

Run from the repository root:  python3 Tests/Fixtures/optimizers/make_optimizer_fixture.py
Needs torch (any recent CPU build). The test reads the JSON, so it runs without PyTorch.

Everything is float64 on the CPU with the single-tensor implementations (foreach=False). The
gradient at each step is that of f(w) = Σ ½·a·(w − c)² + ¼·k·w⁴, so it changes with the
parameters: g = a·(w − c) + k·w³, computed by the test from its own parameters the same way.
The learning rate changes every step (lr₀·0.9ᵗ) to check that each step uses the rate it is given.
"""
import json
import os

import torch

torch.set_default_dtype(torch.float64)
STEPS = 10
initial = [0.5, -1.25, 2.0, 0.0, -0.3, 1.1]
a = [1.0, 0.5, 2.0, 1.5, 3.0, 0.25]
c = [0.2, 0.7, -1.0, 0.4, -0.6, 1.5]
k = 0.1

cases = [
    dict(name="sgd", optimizer="sgd", lr=0.1, options={}),
    dict(name="sgd_momentum", optimizer="sgd", lr=0.1, options=dict(momentum=0.9)),
    dict(name="sgd_nesterov", optimizer="sgd", lr=0.1, options=dict(momentum=0.9, nesterov=True)),
    dict(name="sgd_dampening", optimizer="sgd", lr=0.1, options=dict(momentum=0.8, dampening=0.3)),
    dict(name="sgd_weight_decay", optimizer="sgd", lr=0.1, options=dict(momentum=0.9, weight_decay=0.05)),
    dict(name="sgd_nesterov_weight_decay", optimizer="sgd", lr=0.05,
         options=dict(momentum=0.5, nesterov=True, weight_decay=0.2)),
    dict(name="adam", optimizer="adam", lr=0.05, options={}),
    dict(name="adam_betas_eps", optimizer="adam", lr=0.05, options=dict(betas=[0.8, 0.99], eps=1e-3)),
    # β₂ small enough that v falls as the gradient shrinks, so the running maximum matters.
    dict(name="adam_amsgrad", optimizer="adam", lr=0.05, options=dict(amsgrad=True, betas=[0.9, 0.6])),
    dict(name="adam_weight_decay", optimizer="adam", lr=0.05, options=dict(weight_decay=0.1)),
    dict(name="adamw", optimizer="adamw", lr=0.05, options={}),
    dict(name="adamw_amsgrad_weight_decay", optimizer="adamw", lr=0.05,
         options=dict(weight_decay=0.3, amsgrad=True, betas=[0.5, 0.9])),
]

classes = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}
A, C = torch.tensor(a), torch.tensor(c)
for case in cases:
    w = torch.nn.Parameter(torch.tensor(initial))
    optimizer = classes[case["optimizer"]]([w], lr=case["lr"], foreach=False, **case["options"])
    rates, trajectory = [], []
    for t in range(STEPS):
        rate = case["lr"] * 0.9 ** t
        for group in optimizer.param_groups:
            group["lr"] = rate
        with torch.no_grad():
            w.grad = A * (w - C) + k * w * w * w
        optimizer.step()
        rates.append(rate)
        trajectory.append(w.detach().tolist())
    case["learning_rates"] = rates
    case["parameters"] = trajectory
    del case["lr"]

fixture = dict(torch=torch.__version__, initial=initial, a=a, c=c, k=k, cases=cases)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optimizer_fixture.json")
with open(path, "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")
print(f"wrote {path}")

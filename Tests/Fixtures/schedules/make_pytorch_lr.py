"""Writes pytorch_lr.json: the learning rates PyTorch's schedulers give, for ScheduleTests.

Each sequence is the rate in force before the first step, then after each scheduler.step()
(get_last_lr()), which is what netrun logs as train_lr at a log point. Run: python3 make_pytorch_lr.py
"""
import json
import torch
from torch.optim.lr_scheduler import (ChainedScheduler, CosineAnnealingLR, ExponentialLR, LinearLR,
                                      ReduceLROnPlateau, StepLR)


def optimizer(lr):
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)


def sequence(make, lr, steps):
    opt = optimizer(lr)
    scheduler = make(opt)
    rates = [scheduler.get_last_lr()[0]]
    for _ in range(steps):
        opt.step()
        scheduler.step()
        rates.append(scheduler.get_last_lr()[0])
    return rates


def plateau(mode, metrics, lr, patience, factor):
    opt = optimizer(lr)
    scheduler = ReduceLROnPlateau(opt, mode=mode, patience=patience, factor=factor)
    rates = []
    for value in metrics:
        scheduler.step(value)
        rates.append(opt.param_groups[0]["lr"])
    return rates


loss_metrics = [1.0, 0.9, 0.9, 0.95, 0.89995, 0.85, 0.86, 0.87, 0.88, 0.7, 0.71, 0.72, 0.73]
accuracy_metrics = [0.5, 0.6, 0.6, 0.60001, 0.59, 0.7, 0.7, 0.7, 0.8]
fixture = {
    # per epoch, 6 epochs
    "exponential": {"lr": 0.5, "factor": 0.9,
                    "rates": sequence(lambda o: ExponentialLR(o, gamma=0.9), 0.5, 6)},
    # per epoch, 7 epochs
    "step": {"lr": 0.5, "every": 2, "factor": 0.5,
             "rates": sequence(lambda o: StepLR(o, step_size=2, gamma=0.5), 0.5, 7)},
    # per step, T_max = the run's 10 steps
    "cosine": {"lr": 0.5, "min_lr": 0.01, "steps": 10,
               "rates": sequence(lambda o: CosineAnnealingLR(o, T_max=10, eta_min=0.01), 0.5, 10)},
    # per step: warmup 4 steps times cosine over 10 (min_lr 0, where chaining multiplies exactly)
    "warmup_cosine": {"lr": 0.5, "warmup": 4, "steps": 10,
                      "rates": sequence(lambda o: ChainedScheduler([
                          LinearLR(o, start_factor=1 / 4, end_factor=1, total_iters=3),
                          CosineAnnealingLR(o, T_max=10, eta_min=0)]), 0.5, 10)},
    "warmup": {"lr": 0.5, "warmup": 4, "steps": 6,
               "rates": sequence(lambda o: LinearLR(o, start_factor=1 / 4, end_factor=1, total_iters=3), 0.5, 6)},
    "plateau_min": {"lr": 0.5, "patience": 1, "factor": 0.5, "metrics": loss_metrics,
                    "rates": plateau("min", loss_metrics, 0.5, 1, 0.5)},
    "plateau_max": {"lr": 0.5, "patience": 0, "factor": 0.1, "metrics": accuracy_metrics,
                    "rates": plateau("max", accuracy_metrics, 0.5, 0, 0.1)},
    "torch_version": torch.__version__,
}
with open("pytorch_lr.json", "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")

"""Writes loss_fixture.json: PyTorch's values and gradients for netrun's loss options.

Run from the repository root:  python3 Tests/Fixtures/losses/make_loss_fixture.py
Needs torch (any recent CPU build). The tests read the JSON, so they run without PyTorch.
netrun's normalization modes map onto torch's reductions:
  valid      -> reduction='mean' (weighted mean with class weights, ignored rows left out)
  batch_size -> reduction='sum' / N
  full       -> reduction='sum' / (N * K)
  none       -> reduction='sum'
netrun's mse is sum(½ r²) / N and its huber is huber_loss(reduction='sum') / N.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(13)
N, K = 7, 4
logits = (torch.randn(N, K, dtype=torch.float64) * 3).tolist()
labels = [0, 2, 1, 0, 3, 2, 1]

cases = [
    dict(name="plain"),
    dict(name="ignore_label", ignore_label=0),
    dict(name="class_weights", class_weights=[0.5, 2.0, 1.0, 3.0]),
    dict(name="label_smoothing", label_smoothing=0.1),
    dict(name="ignore_weights_smoothing", ignore_label=2, class_weights=[0.5, 2.0, 1.0, 3.0], label_smoothing=0.2),
    dict(name="batch_size", ignore_label=0, normalization="batch_size"),
    dict(name="full", ignore_label=0, class_weights=[1.0, 0.0, 2.0, 1.0], normalization="full"),
    dict(name="none", ignore_label=1, label_smoothing=0.3, normalization="none"),
]

for case in cases:
    z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(labels)
    weight = torch.tensor(case["class_weights"], dtype=torch.float64) if "class_weights" in case else None
    mode = case.get("normalization", "valid")
    loss = F.cross_entropy(z, y, weight=weight, ignore_index=case.get("ignore_label", -100),
                           reduction="mean" if mode == "valid" else "sum",
                           label_smoothing=case.get("label_smoothing", 0.0))
    loss = {"valid": loss, "batch_size": loss / N, "full": loss / (N * K), "none": loss}[mode]
    loss.backward()
    case["loss"] = loss.item()
    case["gradient"] = z.grad.tolist()

predictions = (torch.randn(N, 3, dtype=torch.float64) * 2).tolist()
targets = torch.randn(N, 3, dtype=torch.float64).tolist()
regression = []
for name, delta, reduction in [("mse", None, "mean"), ("mse", None, "sum"),
                               ("huber", 1.0, "mean"), ("huber", 0.5, "sum"), ("huber", 2.5, "mean")]:
    y = torch.tensor(predictions, dtype=torch.float64, requires_grad=True)
    t = torch.tensor(targets, dtype=torch.float64)
    if name == "mse":
        loss = F.mse_loss(y, t, reduction="sum") / 2
    else:
        loss = F.huber_loss(y, t, reduction="sum", delta=delta)
    if reduction == "mean":
        loss = loss / N
    loss.backward()
    regression.append(dict(name=name, delta=delta, reduction=reduction, loss=loss.item(), gradient=y.grad.tolist()))

fixture = dict(torch_version=torch.__version__, logits=logits, labels=labels, classes=K, cases=cases,
               predictions=predictions, targets=targets, regression=regression)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "loss_fixture.json")
with open(path, "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")
print("wrote", path)

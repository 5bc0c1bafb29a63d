#!/usr/bin/env python3
"""netrun against PyTorch and numpy on the same data, shapes and hyperparameters.

Run from the repository root after `swift build -c release`:

    python3 bench/compare.py [--repeat 5] [--json results.json]

Each workload runs --repeat times on each side, alternating, each run a fresh process; the table
shows medians. Timings are wall-clock and the machine may be shared: the load average is printed
before and after, and a busy machine makes every number worse.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
DATA = os.path.join(BENCH, "data")
MLP = os.path.join(BENCH, "configs", "mlp.yaml")
GRID = os.path.join(BENCH, "configs", "softmax-grid.yaml")
XOR = os.path.join(ROOT, "configs", "xor-softmax.yaml")
HALVING = os.path.join(BENCH, "configs", "digits-halving.yaml")


def fail(message):
    print(f"compare.py: {message}", file=sys.stderr)
    sys.exit(2)


def run_json(command, env=None):
    try:
        result = subprocess.run(command, capture_output=True, text=True, env=env)
    except OSError as error:
        fail(f"cannot run {command[0]}: {error}")
    if result.returncode != 0:
        fail(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr.strip()}")
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        fail(f"{' '.join(command)} printed no JSON:\n{result.stdout}")
    return json.loads(lines[-1])


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu_clock(netrun_bench):
    """The core clock in GHz, how it was found (measured by netrun-bench, else /proc/cpuinfo), and
    the machine's fp32 peak in GFLOP/s on all cores where netrun-bench measured it (else None)."""
    if netrun_bench and os.access(netrun_bench, os.X_OK):
        try:
            result = subprocess.run([netrun_bench, "clock"], capture_output=True, text=True, timeout=60)
            measured = json.loads(result.stdout.splitlines()[-1])
            return measured["clock_ghz"], "measured", measured.get("peak_gflops")
        except (OSError, ValueError, KeyError, IndexError, subprocess.TimeoutExpired):
            pass
    try:
        with open("/proc/cpuinfo") as f:
            values = [float(line.split(":", 1)[1]) for line in f if line.startswith("cpu MHz")]
        return max(values) / 1000, "from /proc/cpuinfo, not measured", None
    except (OSError, ValueError):
        return None, "unknown", None


# Each workload's arithmetic in fp32 flops (2 per multiply-add), to set its time at the machine's
# peak (the floor no code goes below) beside the target. Biases, activations and the loss are left
# out: they are a fraction of a percent of these.
def mlp_flops_per_epoch(samples=60000, layers=(784, 100, 10), epochs=3):
    """(a), bench/configs/mlp.yaml: per sample, forward and weight gradient of every dense layer
    and the input gradient of all but the first; the full-set training loss at step 0 and after
    each epoch (epochs + 1 forward passes over the set, shared out per epoch)."""
    weights = [a * b for a, b in zip(layers, layers[1:])]
    training = samples * 2 * (2 * sum(weights) + sum(weights[1:]))
    evaluation = samples * 2 * sum(weights) * (epochs + 1) / epochs
    return training, evaluation


def softmax_grid_flops(trials=12, iterations=1500, batch=200, rows=50000, inputs=3072, classes=10):
    """(b), bench/configs/softmax-grid.yaml: forward and weight gradient of each batch, and the
    loss and accuracy over the training and validation rows at step 0 and at the end."""
    weights = inputs * classes
    return trials * iterations * batch * 2 * 2 * weights, trials * 2 * rows * 2 * weights


def median(runs, key):
    return statistics.median(key(r) if callable(key) else r[key] for r in runs)


def alternate(repeat, ours, theirs):
    # Alternating keeps a slow drift in machine load from favouring one side.
    mine, references = [], []
    for _ in range(repeat):
        if ours:
            mine.append(ours())
        references.append(theirs())
    return mine, references


def blas_threads(threads):
    # numpy's BLAS reads its thread count from the environment when numpy is imported.
    return dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
                MKL_NUM_THREADS=str(threads))


def gemm_rows(args, rows):
    """(d): every shape of `netrun-bench gemm` on 1 thread and on all cores, netrun and numpy
    (bench/numpy_gemm.py) alternating, each measurement a fresh process; medians of --repeat."""
    # A first pass names the shapes and measures the clock and the peak once.
    machine = run_json([args.netrun_bench, "gemm", "--repeat", "1", "--threads", "1"])
    shapes = [(r["name"], r["form"], r["m"], r["n"], r["k"]) for r in machine["results"]]
    cores = os.cpu_count()
    measured = []
    for name, form, m, n, k in shapes:
        for threads in sorted({1, cores}):
            ours, theirs = alternate(
                args.repeat,
                lambda: run_json([args.netrun_bench, "gemm", "--shape", name, "--threads", str(threads),
                                  "--ghz", str(machine["clock_ghz"])])["results"][0],
                lambda: run_json([sys.executable, os.path.join(BENCH, "numpy_gemm.py"), form, str(m), str(n), str(k)],
                                 env=blas_threads(threads)))
            mine, reference = median(ours, "gflops"), median(theirs, "gflops")
            peak = machine["peak_gflops_per_core"] * min(threads, cores)
            measured.append({"name": name, "form": form, "m": m, "n": n, "k": k, "threads": threads,
                             "netrun_gflops": mine, "numpy_gflops": reference, "peak_gflops": peak,
                             "netrun": ours, "numpy": theirs})
            rows.append((f"(d) GEMM {name} {form} {m}×{n}×{k}, {threads} thread" + ("s" if threads > 1 else ""),
                         f"{mine:.0f} GFLOP/s ({100 * mine / peak:.0f}% of peak)",
                         f"{reference:.0f} GFLOP/s ({100 * reference / peak:.0f}%; numpy)", mine / reference,
                         "≥ 0.95", mine / reference >= 0.95))
    big = [r for r in measured if r["m"] == r["n"] == r["k"] == 2048 and r["threads"] == cores]
    if big:
        fraction = big[0]["netrun_gflops"] / big[0]["peak_gflops"]
        rows.append((f"(d) GEMM 2048³ on {cores} cores, fraction of peak", f"{100 * fraction:.0f}%", "", None,
                     "≥ 60% of peak", fraction >= 0.6))
    per_cycle = machine["fma_flops_per_cycle"]
    print(f"GEMM peak: {machine['peak_gflops']:.0f} GFLOP/s fp32 on {cpu_model()}: {machine['cores']} cores × "
          f"{per_cycle:.0f} flops per cycle (the widest FMA instructions' throughput, measured"
          + ("; its 512-bit FMAs run no faster than 256-bit ones, as on Zen 4"
             if per_cycle < 64 and machine.get("kernel") == "avx512" else "")
          + f") × {machine['clock_ghz']:.2f} GHz (measured clock); netrun's tile: {machine.get('kernel', '?')}")
    print()
    return {"machine": {key: value for key, value in machine.items() if key != "results"}, "results": measured}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--netrun-bench", default=os.path.join(ROOT, ".build/release/netrun-bench"))
    parser.add_argument("--netrun", default=os.path.join(ROOT, ".build/release/netrun"))
    parser.add_argument("--json", metavar="FILE", help="also write the raw results here")
    parser.add_argument("--skip", action="append", default=[], choices=["a", "b", "c", "d", "e"],
                        help="leave out a workload (repeatable)")
    parser.add_argument("--only-reference", action="store_true",
                        help="run only the PyTorch and numpy side of (a) and (b); no netrun binaries needed")
    args = parser.parse_args()
    if args.only_reference:
        args.skip += ["c", "d", "e"]
    wanted = [w for w in "abcde" if w not in args.skip]

    needed = []
    if not args.only_reference and {"a", "b", "d", "e"} & set(wanted):
        needed.append(args.netrun_bench)
    if "c" in wanted:
        needed.append(args.netrun)
    for binary in needed:
        if not os.access(binary, os.X_OK):
            fail(f"{binary} not found or not executable; build it first with: swift build -c release "
                 "(or pass its path, or --only-reference)")
    try:
        import numpy
    except ImportError:
        fail("numpy is needed for the references: pip install numpy")
    torch_version = torch_threads = None
    if "a" in wanted:
        try:
            import torch
        except ImportError:
            fail("PyTorch is needed for workload (a): pip install torch (or --skip a)")
        torch_version = torch.__version__
        torch_threads = os.cpu_count()

    if set(wanted) - {"c", "d"}:  # (c) and (d) read no data files
        made = subprocess.run([sys.executable, os.path.join(BENCH, "make_data.py"), "--out", DATA],
                              capture_output=True, text=True)
        if made.returncode != 0:
            fail(f"make_data.py failed:\n{made.stderr.strip()}")

    load_before = os.getloadavg()
    clock, clock_source, peak = cpu_clock(None if args.only_reference else args.netrun_bench)
    header = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cpu": cpu_model(),
              "clock_ghz": clock, "clock_source": clock_source, "peak_gflops": peak,
              "cores": os.cpu_count(), "python": platform.python_version(), "numpy": numpy.__version__,
              "torch": torch_version, "torch_threads": torch_threads, "repeat": args.repeat,
              "load_before": load_before[0], "load_averages_before": load_before}
    print(f"# netrun benchmark, {header['date']}")
    print(f"CPU: {header['cpu']}, {header['cores']} cores; Python {header['python']}, numpy {header['numpy']}, "
          f"PyTorch {torch_version or '-'}" + (f" ({torch_threads} threads)" if torch_threads else "")
          + f"; {args.repeat} runs per side, medians")
    print(f"CPU clock: {clock:.2f} GHz ({clock_source})" if clock else "CPU clock: unknown")
    print("load average before (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in load_before))
    if load_before[0] > 0.5:
        print(f"WARNING: load average {load_before[0]:.2f} > 0.5 before starting: something else is running, "
              "numbers will be noisy")
    print()

    results = {"header": header}
    rows = []
    scratch = tempfile.mkdtemp(prefix="netrun-bench-")
    databases = iter(range(1 << 30))

    def fresh_db():
        return os.path.join(scratch, f"run-{next(databases)}.sqlite")

    netrun_side = not args.only_reference
    try:
        if "a" in wanted:
            # Three references and netrun in both train_metrics modes, one after the other each round.
            data = os.path.join(DATA, "mnist-teacher")
            sides = {
                "torch": lambda: run_json([sys.executable, os.path.join(BENCH, "torch_mlp.py"), data,
                                           "--threads", str(torch_threads)]),
                "numpy": lambda: run_json([sys.executable, os.path.join(BENCH, "numpy_mlp.py"), data]),
            }
            if netrun_side:
                for mode in ("full", "running"):
                    sides[f"netrun_{mode}"] = (lambda mode=mode: run_json(
                        [args.netrun_bench, "train", MLP, "--db", fresh_db(), "--train-metrics", mode]))
            runs = {name: [] for name in sides}
            for _ in range(args.repeat):
                for name, run in sides.items():
                    runs[name].append(run())
            results["a"] = runs

            # Per epoch, as each side splits it: the whole (from the first full-set loss to the
            # last), the training loop alone, and the passes over the whole training set.
            def per_epoch(side, key):
                return median(runs[side], lambda r: r[key] / r["epochs"])

            def loop(side):
                if side.startswith("netrun"):
                    return per_epoch(side, "seconds_loop")
                return median(runs[side], lambda r: sum(r["seconds_per_epoch"]) / r["epochs"])

            references = [("numpy", "numpy", 0.5), ("torch", "PyTorch", 0.4)]
            for side, label, target in references:
                whole = per_epoch(side, "seconds_training")
                mine = per_epoch("netrun_full", "seconds_training") if netrun_side else None
                rows.append((f"(a) MLP 784-100-10, s/epoch incl. per-epoch full train loss, vs {label}",
                             f"{mine:.3f}" if mine else "", f"{whole:.3f} ({label})", mine / whole if mine else None,
                             f"≤ {target}", mine / whole <= target if mine else None))
            for side, label, _ in references:
                mine = loop("netrun_full") if netrun_side else None
                rows.append((f"(a) training loop alone, s/epoch, vs {label}", f"{mine:.3f}" if mine else "",
                             f"{loop(side):.3f} ({label})", mine / loop(side) if mine else None, "", None))
            for side, label, _ in references:
                mine = per_epoch("netrun_full", "seconds_evaluation") if netrun_side else None
                rows.append((f"(a) full-set train loss passes, s/epoch, vs {label}", f"{mine:.3f}" if mine else "",
                             f"{per_epoch(side, 'seconds_evaluation'):.3f} ({label})",
                             mine / per_epoch(side, "seconds_evaluation") if mine else None, "", None))
            if peak:
                training, evaluation = mlp_flops_per_epoch()
                floor = (training + evaluation) / (peak * 1e9)
                numpy_whole, torch_whole = per_epoch("numpy", "seconds_training"), per_epoch("torch", "seconds_training")
                rows.append(("(a) floor: one epoch's arithmetic (training and the full-set loss passes, "
                             f"{(training + evaluation) / 1e9:.1f} GFLOP) at the measured peak, s/epoch",
                             f"{floor:.3f}", "", None,
                             f"the targets need {100 * floor / (0.5 * numpy_whole):.0f}% (numpy) and "
                             f"{100 * floor / (0.4 * torch_whole):.0f}% (PyTorch) of peak", None))
            if netrun_side:
                running = per_epoch("netrun_running", "seconds_training")
                numpy_whole = per_epoch("numpy", "seconds_training")
                rows.append(("(a) netrun train_metrics: running, s/epoch (step-0 loss only in full), vs numpy",
                             f"{running:.3f}", f"{numpy_whole:.3f} (numpy)", running / numpy_whole, "", None))
                rows.append(("(a) netrun train_metrics: running, evaluation s/epoch",
                             f"{per_epoch('netrun_running', 'seconds_evaluation'):.3f}", "", None, "", None))
            losses = " / ".join(f"{median(runs[side], 'final_train_loss'):.3f} ({label})"
                                for side, label, _ in references)
            rows.append(("(a) train loss after 3 epochs", f"{median(runs['netrun_full'], 'final_train_loss'):.3f}"
                         if netrun_side else "", losses, None, "about equal", None))
            if netrun_side:
                ours = runs["netrun_full"]
                store = median(ours, lambda r: r["seconds_store"] / r["seconds_training"])
                rows.append(("(a) SQLite logging share of training", f"{100 * store:.1f}%", "", None, "≤ 2%",
                             store <= 0.02))
                for mode in ("full", "running"):
                    memory = median(runs[f"netrun_{mode}"],
                                    lambda r: r["max_rss_bytes"] / (r["dataset_bytes"] + r["model_bytes"]))
                    rows.append((f"(a) peak memory / (data + model), train_metrics: {mode}", f"{memory:.2f}×", "", None,
                                 "≤ 1.3×", memory <= 1.3))
        if "b" in wanted:
            ours, theirs = alternate(
                args.repeat,
                netrun_side and (lambda: run_json([args.netrun_bench, "sweep", GRID, "--db", fresh_db()])),
                lambda: run_json([sys.executable, os.path.join(BENCH, "numpy_softmax_grid.py"),
                                  os.path.join(DATA, "cifar-teacher"), "--config", GRID]))
            results["b"] = {"netrun": ours, "numpy": theirs}
            reference = median(theirs, "seconds_grid")
            accuracy_theirs = median(theirs, "best_val_accuracy")
            header["blas"] = theirs[0].get("blas")
            if ours:
                mine = median(ours, "seconds_grid")
                rows.append(("(b) softmax 4×3 grid, s", f"{mine:.2f}", f"{reference:.2f} (numpy)", mine / reference,
                             "≤ 0.15", mine / reference <= 0.15))
                if peak:
                    training, evaluation = softmax_grid_flops()
                    floor = (training + evaluation) / (peak * 1e9)
                    rows.append(("(b) floor: the grid's arithmetic (training and netrun's two measuring passes "
                                 f"per trial, {(training + evaluation) / 1e9:.0f} GFLOP) at the measured peak, s",
                                 f"{floor:.2f}", "", None,
                                 f"the target needs {100 * floor / (0.15 * reference):.0f}% of peak", None))
                rows.append(("(b) best validation accuracy", f"{median(ours, 'best_val_accuracy'):.3f}",
                             f"{accuracy_theirs:.3f}", None, "about equal", None))
                memory = median(ours, lambda r: r["max_rss_bytes"] / (r["dataset_bytes"] + r["model_bytes"]))
                rows.append(("(b) peak memory / (data + model)", f"{memory:.2f}×", "", None, "≤ 1.3×",
                             memory <= 1.3))
            else:
                rows.append(("(b) softmax 4×3 grid, s", "", f"{reference:.2f} (numpy)", None, "", None))
                rows.append(("(b) best validation accuracy", "", f"{accuracy_theirs:.3f}", None, "", None))
        if "c" in wanted:
            seconds = []
            for _ in range(max(20, args.repeat)):
                start = time.perf_counter()
                done = subprocess.run([args.netrun, XOR, "--db", fresh_db()], capture_output=True, text=True)
                seconds.append(time.perf_counter() - start)
                if done.returncode != 0:
                    fail(f"netrun configs/xor-softmax.yaml failed ({done.returncode}):\n{done.stderr.strip()}")
            results["c"] = seconds
            c = statistics.median(seconds)
            rows.append(("(c) netrun configs/xor-softmax.yaml, whole process", f"{1000 * c:.0f} ms", "", None,
                         "≤ 50 ms", c <= 0.05))
        if "d" in wanted:
            results["d"] = gemm_rows(args, rows)
        if "e" in wanted:
            runs = results["e"] = [run_json([args.netrun_bench, "halving", HALVING, "--folder", tempfile.mkdtemp(dir=scratch)])
                                   for _ in range(args.repeat)]
            ratio = median(runs, "time_ratio")
            gap = median(runs, "accuracy_gap_points")
            rows.append(("(e) 27-trial digits sweep, halving / grid wall time",
                         f"{median(runs, 'seconds_halving'):.2f} s", f"{median(runs, 'seconds_grid'):.2f} s (grid)",
                         ratio, "< 0.5", ratio < 0.5))
            rows.append(("(e) best val accuracy, grid − halving (points)", f"{gap:.2f}", "", None, "≤ 0.5", gap <= 0.5))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print("| workload | netrun | reference | ratio netrun/ref | target | met? |")
    print("|---|---|---|---|---|---|")
    for name, ours, ref, ratio, target, met in rows:
        ratio_text = f"{ratio:.2f}" if isinstance(ratio, float) else (ratio or "")
        print(f"| {name} | {ours} | {ref} | {ratio_text} | {target} | {'' if met is None else ('yes' if met else 'NO')} |")
    load_after = os.getloadavg()
    header["load_after"] = load_after[0]
    header["load_averages_after"] = load_after
    print()
    print("load average after (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in load_after))
    if "blas" in header:
        print(f"numpy BLAS: {header['blas']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""netrun against PyTorch and numpy on the same data, shapes and hyperparameters.

Run from the repository root after `swift build -c release`:

    python3 bench/compare.py [--repeat 5] [--json results.json]

Each workload runs --repeat times on each side, alternating, each run a fresh process; the table
shows medians. Timings are wall-clock and this machine is shared: the load average is printed
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


def fail(message):
    print(f"compare.py: {message}", file=sys.stderr)
    sys.exit(2)


def run_json(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr.strip()}")
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        fail(f"{' '.join(command)} printed no JSON:\n{result.stdout}")
    return json.loads(lines[-1])


def fresh_db(folder):
    path = os.path.join(folder, f"bench-{time.monotonic_ns()}.sqlite")
    return path


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def median(values):
    return statistics.median(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--netrun-bench", default=os.path.join(ROOT, ".build/release/netrun-bench"))
    parser.add_argument("--netrun", default=os.path.join(ROOT, ".build/release/netrun"))
    parser.add_argument("--json", help="also write the raw results here")
    parser.add_argument("--skip", action="append", default=[], choices=["a", "b", "c", "d"],
                        help="leave out a workload (repeatable)")
    args = parser.parse_args()

    for binary in (args.netrun_bench, args.netrun):
        if not os.access(binary, os.X_OK):
            fail(f"{binary} not found; build it first with: swift build -c release")
    try:
        import numpy
    except ImportError:
        fail("numpy is needed for the references: pip install numpy")
    torch_version = None
    if "a" not in args.skip:
        try:
            import torch
            torch_version = torch.__version__
        except ImportError:
            fail("PyTorch is needed for workload (a): pip install torch (or --skip a)")

    subprocess.run([sys.executable, os.path.join(BENCH, "make_data.py"), "--out", DATA], check=True,
                   stdout=subprocess.DEVNULL)
    load_before = os.getloadavg()[0]
    header = {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpu": cpu_model(), "cores": os.cpu_count(),
        "python": platform.python_version(), "numpy": numpy.__version__, "torch": torch_version,
        "load_before": load_before,
    }
    print(f"# netrun benchmark, {header['date']}")
    print(f"CPU: {header['cpu']}, {header['cores']} cores; Python {header['python']}, numpy {header['numpy']}, "
          f"PyTorch {torch_version or '-'}; {args.repeat} runs per side, medians")
    print(f"load average before: {load_before:.2f}" + ("  (busy machine: numbers will be noisy)" if load_before > 0.5 else ""))
    print()

    results = {"header": header}
    rows = []
    scratch = tempfile.mkdtemp(prefix="netrun-bench-")
    try:
        if "d" not in args.skip:
            gemm = run_json([args.netrun_bench, "gemm"])
            results["gemm"] = gemm
        if "a" not in args.skip:
            ours, theirs = [], []
            for _ in range(args.repeat):
                ours.append(run_json([args.netrun_bench, "train", os.path.join(BENCH, "configs/mlp.yaml"),
                                      "--db", fresh_db(scratch)]))
                theirs.append(run_json([sys.executable, os.path.join(BENCH, "torch_mlp.py"),
                                        os.path.join(DATA, "mnist-teacher"), "--threads", str(os.cpu_count())]))
            results["a"] = {"netrun": ours, "torch": theirs}
            a = median([r["seconds_per_epoch"] for r in ours])
            b = median([r["seconds_per_epoch"] for r in theirs])
            rows.append(("(a) MLP 784-100-10, s/epoch", f"{a:.3f}", f"{b:.3f} (PyTorch)", a / b, "≤ 0.8"))
            rows.append(("(a) train loss after 3 epochs", f"{median([r['final_train_loss'] for r in ours]):.3f}",
                         f"{median([r['final_train_loss'] for r in theirs]):.3f}", None, "about equal"))
            store = median([r["seconds_store"] / r["seconds_training"] for r in ours])
            rows.append(("SQLite logging share of training", f"{100 * store:.1f}%", "", None, "≤ 2%", store <= 0.02))
            memory = median([r["max_rss_bytes"] / (r["dataset_bytes"] + r["model_bytes"]) for r in ours])
            rows.append(("(a) peak memory / (data + model)", f"{memory:.2f}×", "", None, "≤ 1.5×", memory <= 1.5))
        if "b" not in args.skip:
            ours, theirs = [], []
            for _ in range(args.repeat):
                ours.append(run_json([args.netrun_bench, "sweep", os.path.join(BENCH, "configs/softmax-grid.yaml"),
                                      "--db", fresh_db(scratch)]))
                theirs.append(run_json([sys.executable, os.path.join(BENCH, "numpy_softmax_grid.py"),
                                        os.path.join(DATA, "cifar-teacher")]))
            results["b"] = {"netrun": ours, "numpy": theirs}
            a = median([r["seconds_grid"] for r in ours])
            b = median([r["seconds_grid"] for r in theirs])
            rows.append(("(b) softmax 4×3 grid, s", f"{a:.2f}", f"{b:.2f} (numpy)", a / b, "≤ 0.5"))
            rows.append(("(b) best validation accuracy", f"{median([r['best_val_accuracy'] for r in ours]):.3f}",
                         f"{median([r['best_val_accuracy'] for r in theirs]):.3f}", None, "about equal"))
            memory = median([r["max_rss_bytes"] / (r["dataset_bytes"] + r["model_bytes"]) for r in ours])
            rows.append(("(b) peak memory / (data + model)", f"{memory:.2f}×", "", None, "≤ 1.5×", memory <= 1.5))
        if "c" not in args.skip:
            seconds = []
            for _ in range(max(20, args.repeat)):
                db = fresh_db(scratch)
                start = time.perf_counter()
                done = subprocess.run([args.netrun, os.path.join(ROOT, "configs/xor-softmax.yaml"), "--db", db, "--quiet"],
                                      capture_output=True, text=True)
                seconds.append(time.perf_counter() - start)
                if done.returncode != 0:
                    fail(f"netrun configs/xor-softmax.yaml failed:\n{done.stderr}")
            results["c"] = seconds
            c = median(seconds)
            rows.append(("(c) netrun configs/xor-softmax.yaml, whole process", f"{1000 * c:.0f} ms", "", None,
                         "≤ 50 ms", c <= 0.05))
        if "d" not in args.skip:
            peak = results["gemm"]["peak_gflops"]
            for r in results["gemm"]["results"]:
                met = r["fraction_of_peak"] >= 0.6 if r["name"] == "square 2048" and r["threads"] > 1 else None
                rows.append((f"(d) GEMM {r['name']} {r['form']} {r['m']}×{r['n']}×{r['k']}, {r['threads']} thread"
                             + ("s" if r["threads"] > 1 else ""), f"{r['gflops']:.0f} GFLOP/s",
                             f"{100 * r['fraction_of_peak']:.0f}% of peak", None,
                             "≥ 60% of peak" if met is not None else "", met))
            print(f"fp32 peak: {peak:.0f} GFLOP/s ({results['gemm']['cores']} cores × 2 FMA × 8 lanes × 2 × "
                  f"{results['gemm']['clock_ghz']:.2f} GHz, clock measured; 'peak' below means this); "
                  f"kernel {results['gemm']['kernel']}"
                  + (f" (512-bit FMA: hardware peak {results['gemm']['peak_avx512_gflops']:.0f} GFLOP/s)"
                     if results['gemm']['kernel'] == 'avx512' else ""))
            print()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print("| measure | netrun | reference | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        name, ours, ref, ratio, target = row[:5]
        if len(row) > 5:
            met = row[5]
        elif ratio is not None:
            met = ratio <= float(target.split()[-1])
        else:
            met = None
        print(f"| {name} | {ours} | {ref} | {'' if ratio is None else f'{ratio:.2f}'} | {target} | "
              f"{'' if met is None else ('yes' if met else 'no')} |")
    load_after = os.getloadavg()[0]
    results["header"]["load_after"] = load_after
    print()
    print(f"load average after: {load_after:.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()

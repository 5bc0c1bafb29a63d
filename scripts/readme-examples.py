#!/usr/bin/env python3
"""Runs every shell example of README.md, in order, in a fresh clone, as a new user would.

    scripts/readme-examples.py [--bin DIR] [--keep]

The examples run in one bash session (an `export` in one holds for the next), with `set -e`, in a
`git clone` of this repository's HEAD, with DIR (default: this checkout's .build/release, where
`swift build -c release` puts netrun) first on PATH. What a fresh clone cannot run is left out
and said so: `swift build`/`swift test` lines (the binary is already built), `swift run -c release
netrun` is run as `netrun`, Slurm's `sbatch` block (SlurmClusterTests and SlurmSweepTests run a
real cluster), and the PyTorch snippet when torch or safetensors is not installed. Shell
completion scripts are written under a scratch HOME. Exits non-zero at the first example that
fails, printing it.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def examples(readme):
    return re.findall(r"```(?:sh|bash)\n(.*?)```", readme, re.S)


def runnable(block, have_torch):
    """The block as it runs here, or (None, why) when it cannot."""
    if "sbatch" in block:
        return None, "needs a Slurm cluster (the Slurm tests run one)"
    lines = []
    for line in block.splitlines():
        if re.match(r"\s*swift (test|build)\b", line):
            continue
        lines.append(re.sub(r"^swift run -c release netrun\b", "netrun", line))
    text = "\n".join(lines) + "\n"
    if "import torch" in text and not have_torch:
        text = re.sub(r'python3 -c "\n.*?"\n', "echo 'skipped: PyTorch snippet (pip install torch safetensors)'\n",
                      text, flags=re.S)
    return text, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(REPO, ".build", "release"))
    parser.add_argument("--keep", action="store_true", help="keep the scratch clone")
    args = parser.parse_args()
    binary = os.path.join(os.path.abspath(args.bin), "netrun")
    if not os.access(binary, os.X_OK):
        sys.exit(f"readme-examples: no netrun at {binary}; run `swift build -c release` first")
    have_torch = subprocess.run([sys.executable, "-c", "import torch, safetensors"],
                                capture_output=True).returncode == 0

    scratch = tempfile.mkdtemp(prefix="netrun-readme-")
    clone, home = os.path.join(scratch, "netrun"), os.path.join(scratch, "home")
    subprocess.run(["git", "clone", "-q", REPO, clone], check=True)
    for folder in (".zfunc", ".config/fish/completions"):
        os.makedirs(os.path.join(home, folder))

    script = ["set -euo pipefail"]
    with open(os.path.join(clone, "README.md")) as file:
        for number, block in enumerate(examples(file.read())):
            text, why = runnable(block, have_torch)
            first = block.splitlines()[0] if block.strip() else ""
            if text is None:
                print(f"skipped: example {number} ({first[:60]}…): {why}")
                continue
            script.append(f"echo '=== example {number}: {first[:70].replace(chr(39), '')}'")
            script.append(text)
    environment = dict(os.environ, HOME=home, PATH=os.path.dirname(binary) + os.pathsep + os.environ["PATH"])
    environment.pop("NETRUN_DB", None)
    result = subprocess.run(["bash", "-c", "\n".join(script)], cwd=clone, env=environment)
    if args.keep or result.returncode != 0:
        print(f"readme-examples: the clone is kept in {clone}")
    else:
        shutil.rmtree(scratch)
    if result.returncode != 0:
        sys.exit(f"readme-examples: an example failed (exit {result.returncode}); the last '===' line names it")
    print("readme-examples: every example ran")


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# The suite's config and data fuzzers, longer: CASES in-process cases per fuzzer and CASES/8
# through the built binary, from SEED (default: a new one, printed, so a failure can be replayed
# with scripts/fuzz.sh CASES SEED). The suite itself runs 300 cases from seed 12.
#
#   scripts/fuzz.sh 5000          # ~5000 mutated configs and ~5000 damaged data files
#   scripts/fuzz.sh 5000 42       # the same cases again
set -euo pipefail
cd "$(dirname "$0")/.."

cases=${1:?usage: scripts/fuzz.sh CASES [SEED]}
seed=${2:-$(( $(date +%s) % 1000000 ))}
echo "fuzz: $cases cases per fuzzer, seed $seed"

swift build --build-tests >/dev/null
# A binary case may train longer on a slow machine than in the suite; a hang is still a failure.
NETRUN_FUZZ_CASES=$cases NETRUN_FUZZ_SEED=$seed NETRUN_FUZZ_TIMEOUT=${NETRUN_FUZZ_TIMEOUT:-120} \
    swift test --skip-build --filter 'ConfigFuzzTests|DataFuzzTests'

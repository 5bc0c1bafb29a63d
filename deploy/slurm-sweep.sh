#!/usr/bin/env bash
# Submits a sharded netrun sweep to Slurm: an N-task array of deploy/slurm-sweep.sbatch, then
# deploy/slurm-merge.sbatch to run once every task has succeeded. Prints both job ids.
#
#   deploy/slurm-sweep.sh configs/digits-sweep.yaml 3                  # 3 shards → sweep.sqlite
#   deploy/slurm-sweep.sh configs/digits-sweep.yaml 3 training.epochs=5
#   deploy/slurm-sweep.sh --wait configs/digits-sweep.yaml 3           # return when merged
#
# NETRUN (the binary), NETRUN_SHARDS_DIR (default shards) and NETRUN_MERGED (default
# sweep.sqlite) choose the paths; extra sbatch options go in SBATCH_OPTIONS, e.g.
# SBATCH_OPTIONS="--partition=gpu --cpus-per-task=4". sbatch passes this environment to the jobs.
set -euo pipefail

wait=()
if [[ ${1:-} == --wait ]]; then wait=(--wait); shift; fi
usage="usage: deploy/slurm-sweep.sh [--wait] CONFIG SHARDS [key.path=value ...]"
config=${1:?$usage}
shards=${2:?$usage}
shift 2
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "deploy/slurm-sweep.sh: SHARDS must be a positive count, not '$shards'" >&2; exit 64; }
[[ -f $config ]] || { echo "deploy/slurm-sweep.sh: no config file '$config'" >&2; exit 2; }
here=$(dirname "$0")
read -r -a options <<<"${SBATCH_OPTIONS:-}"

# --parsable prints "JOBID" or "JOBID;CLUSTER".
array=$(sbatch --parsable "${options[@]}" --array="0-$(( shards - 1 ))" "$here/slurm-sweep.sbatch" "$config" "$@")
array=${array%%;*}
echo "sweep: array job $array, $shards shards into ${NETRUN_SHARDS_DIR:-shards}/"
merged=${NETRUN_MERGED:-sweep.sqlite}
merge=(sbatch --parsable "${wait[@]}" "${options[@]}" --dependency="afterok:$array" "$here/slurm-merge.sbatch" "$merged")
if (( ${#wait[@]} == 0 )); then
    merge_id=$("${merge[@]}")
    echo "merge: job ${merge_id%%;*}, once every task of $array succeeds, into $merged"
else
    # A failed task leaves the merge pending forever unless slurm.conf has
    # DependencyParameters=kill_invalid_depend (scripts/slurm-local.sh sets it), which cancels it;
    # on other clusters watch squeue rather than wait. sbatch --wait exits 0 for a cancelled job,
    # so the merge's state is read afterwards.
    echo "merge: once every task of $array succeeds, into $merged; waiting for it"
    merge_id=$("${merge[@]}") || { echo "merge: job ${merge_id%%;*} failed" >&2; exit 1; }
    merge_id=${merge_id%%;*}
    state=$(scontrol show job -o "$merge_id" 2>/dev/null | grep -o 'JobState=[A-Z_]*' || true)
    [[ $state == JobState=COMPLETED ]] || { echo "merge: job $merge_id ended ${state:-unknown}; see squeue, netrun-sweep-${array}_*.out" >&2; exit 1; }
    echo "merge: job $merge_id done: $merged"
fi

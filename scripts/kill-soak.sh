#!/usr/bin/env bash
# Kill soak: N rounds of starting a training run or a sweep, `kill -9` at a random moment,
# checking the database with PRAGMA integrity_check, and continuing (netrun resume RUN, or the
# same netrun sweep again) until it finishes. Every third round is a sweep. One database for all
# rounds, as a user's would be. Prints one summary line; exits 1 if any round went wrong.
#
#   scripts/kill-soak.sh 50            # NETRUN=path/to/netrun to pick the binary
#   scripts/kill-soak.sh 50 7          # seed 7 for the kill moments (default 1)
set -uo pipefail
cd "$(dirname "$0")/.."

rounds=${1:?usage: scripts/kill-soak.sh N [SEED]}
RANDOM=${2:-1}
netrun=${NETRUN:-}
if [[ -z $netrun ]]; then
    netrun=.build/release/netrun
    [[ -x $netrun ]] || netrun=.build/debug/netrun
fi
[[ -x $netrun ]] || { echo "kill-soak: no netrun binary; swift build first" >&2; exit 2; }
folder=$(mktemp -d /tmp/netrun-kill-soak.XXXXXX)
db=$folder/soak.sqlite
log=$folder/log
# Long enough that a kill lands anywhere in a run: loading, training, checkpointing, finishing.
train_args=(configs/digits-mlp.yaml training.epochs=${SOAK_EPOCHS:-12} training.log_every=1 --db "$db" --quiet)
sweep_config=configs/digits-sweep.yaml

# sqlite3 would create a missing database; before netrun makes one there is nothing to ask.
sql() { [[ -e $db ]] && sqlite3 "$db" "$1" 2>>"$log"; }
integrity() {
    [[ -e $db ]] || return 0
    local result
    result=$(sql 'PRAGMA integrity_check')
    [[ $result == ok ]] || { echo "round $round: integrity_check: $result" >>"$log"; return 1; }
}
# Sleep takes seconds; a delay in ms as s.mmm.
seconds() { printf '%d.%03d' $(( $1 / 1000 )) $(( $1 % 1000 )); }

killed=0 missed=0 bad_integrity=0 resumed=0 no_checkpoint=0 failed=0 train_rounds=0 sweep_rounds=0
start=$(date +%s)
for (( round = 1; round <= rounds; round++ )); do
    before=$(sql 'select coalesce(max(id), 0) from runs'); before=${before:-0}
    if (( round % 3 == 0 )); then
        sweep_rounds=$(( sweep_rounds + 1 ))
        # A new sweep each round (its own seed), two trials at a time, killed anywhere in it.
        args=(sweep "$sweep_config" seed=$round training.epochs=4 --jobs 2 --db "$db" --quiet)
        "$netrun" "${args[@]}" >>"$log" 2>&1 &
        pid=$!
        sleep "$(seconds $(( 50 + RANDOM % 4000 )))"
        if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; killed=$(( killed + 1 )); else missed=$(( missed + 1 )); fi
        wait "$pid" 2>/dev/null
        integrity || bad_integrity=$(( bad_integrity + 1 ))
        if "$netrun" "${args[@]}" >>"$log" 2>&1; then
            resumed=$(( resumed + 1 ))
        else
            echo "round $round: the re-run sweep failed" >>"$log"; failed=$(( failed + 1 ))
        fi
        integrity || bad_integrity=$(( bad_integrity + 1 ))
        continue
    fi
    train_rounds=$(( train_rounds + 1 ))
    "$netrun" train "${train_args[@]}" >>"$log" 2>&1 &
    pid=$!
    sleep "$(seconds $(( 50 + RANDOM % 3000 )))"
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; killed=$(( killed + 1 )); else missed=$(( missed + 1 )); fi
    wait "$pid" 2>/dev/null
    integrity || bad_integrity=$(( bad_integrity + 1 ))
    run=$(sql 'select coalesce(max(id), 0) from runs'); run=${run:-0}
    if (( run <= before )); then
        no_checkpoint=$(( no_checkpoint + 1 ))  # killed before the run was recorded: nothing to resume
        continue
    fi
    status=$(sql "select status from runs where id = $run")
    [[ $status == finished ]] && continue
    if [[ -z $(sql "select run_id from checkpoints where run_id = $run") ]]; then
        no_checkpoint=$(( no_checkpoint + 1 ))  # killed before its first checkpoint
        continue
    fi
    # Resume, itself killed once at a random moment half of the time, then to the end.
    if (( RANDOM % 2 )); then
        "$netrun" resume "$run" --db "$db" --quiet >>"$log" 2>&1 &
        pid=$!
        sleep "$(seconds $(( 50 + RANDOM % 2000 )))"
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
        wait "$pid" 2>/dev/null
        integrity || bad_integrity=$(( bad_integrity + 1 ))
    fi
    status=$(sql "select status from runs where id = $run")
    if [[ $status != finished ]] && ! "$netrun" resume "$run" --db "$db" --quiet >>"$log" 2>&1; then
        echo "round $round: netrun resume $run failed" >>"$log"; failed=$(( failed + 1 ))
        continue
    fi
    status=$(sql "select status from runs where id = $run")
    if [[ $status == finished ]]; then resumed=$(( resumed + 1 )); else
        echo "round $round: run $run is $status after resume" >>"$log"; failed=$(( failed + 1 )); fi
    integrity || bad_integrity=$(( bad_integrity + 1 ))
done
stuck=$(sql "select count(*) from runs where status = 'running'"); stuck=${stuck:-0}
echo "kill-soak: $rounds rounds ($train_rounds train, $sweep_rounds sweep) in $(( $(date +%s) - start )) s with $netrun:" \
     "$killed killed mid-run ($missed finished first), integrity_check failures $bad_integrity," \
     "$resumed continued to the end, $no_checkpoint killed before a checkpoint, $failed failed to continue;" \
     "$stuck runs left 'running'; log $log"
(( bad_integrity == 0 && failed == 0 ))

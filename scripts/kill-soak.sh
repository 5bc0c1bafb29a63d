#!/usr/bin/env bash
# Kill soak: N rounds of starting a training run or a sweep, `kill -9` at a random moment,
# checking the database with PRAGMA integrity_check, and continuing (netrun resume RUN, or the
# same netrun sweep again) until it finishes. Every third round is a sweep. One database for all
# rounds, as a user's would be. Prints one summary line; exits 1 if any round went wrong (the
# database fails the check, a run cannot be continued, or a resumed run ends with other metrics
# than the same run uninterrupted, or a run is left `running`).
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
command -v sqlite3 >/dev/null || { echo "kill-soak: needs the sqlite3 command (Debian: apt-get install sqlite3)" >&2; exit 2; }
folder=$(mktemp -d /tmp/netrun-kill-soak.XXXXXX)
db=$folder/soak.sqlite
log=$folder/log
# Long enough that a kill lands anywhere in a run: loading, training, checkpointing, finishing.
train_args=(configs/digits-mlp.yaml training.epochs=${SOAK_EPOCHS:-12} training.log_every=1 --quiet)
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

killed=0 missed=0 unrecorded=0 bad_integrity=0 resumed=0 no_checkpoint=0 failed=0 train_rounds=0 sweep_rounds=0 identical=0
sweeps_killed=0 sweeps_finished=0 finished_when_killed=0 resumes_killed=0
start=$(date +%s)
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# The run and a sweep uninterrupted, in their own database: they time the kill window (a kill
# lands anywhere from start-up to the last write), and every killed and resumed run must end
# with the reference run's numbers.
t0=$(now_ms)
"$netrun" train "${train_args[@]}" --db "$folder/reference.sqlite" >>"$log" 2>&1 \
    || { echo "kill-soak: the uninterrupted reference run failed; see $log" >&2; exit 2; }
t1=$(now_ms)
"$netrun" sweep "$sweep_config" training.epochs=${SOAK_EPOCHS:-12} --jobs 2 --db "$folder/reference.sqlite" --quiet >>"$log" 2>&1 \
    || { echo "kill-soak: the uninterrupted reference sweep failed; see $log" >&2; exit 2; }
t2=$(now_ms)
# Kill within the first 80% of that time, so that a slightly faster repeat is still caught running.
train_ms=$(( (t1 - t0) * 8 / 10 )) sweep_ms=$(( (t2 - t1) * 8 / 10 ))
outcome="select train_loss, train_accuracy, val_loss, val_accuracy, test_loss, test_accuracy, steps from runs where id ="
reference=$(sqlite3 "$folder/reference.sqlite" "$outcome 1")
for (( round = 1; round <= rounds; round++ )); do
    before=$(sql 'select coalesce(max(id), 0) from runs'); before=${before:-0}
    if (( round % 3 == 0 )); then
        sweep_rounds=$(( sweep_rounds + 1 ))
        # A new sweep each round (its own seed), two trials at a time, killed anywhere in it.
        args=(sweep "$sweep_config" seed=$round training.epochs=${SOAK_EPOCHS:-12} --jobs 2 --db "$db" --quiet)
        "$netrun" "${args[@]}" >>"$log" 2>&1 &
        pid=$!
        sleep "$(seconds $(( 50 + (RANDOM * 32768 + RANDOM) % sweep_ms )))"
        if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; sweeps_killed=$(( sweeps_killed + 1 )); else missed=$(( missed + 1 )); fi
        wait "$pid" 2>/dev/null
        integrity || bad_integrity=$(( bad_integrity + 1 ))
        if "$netrun" "${args[@]}" >>"$log" 2>&1; then
            sweeps_finished=$(( sweeps_finished + 1 ))
        else
            echo "round $round: the re-run sweep failed" >>"$log"; failed=$(( failed + 1 ))
        fi
        integrity || bad_integrity=$(( bad_integrity + 1 ))
        continue
    fi
    train_rounds=$(( train_rounds + 1 ))
    "$netrun" train "${train_args[@]}" --db "$db" >>"$log" 2>&1 &
    pid=$!
    sleep "$(seconds $(( 50 + (RANDOM * 32768 + RANDOM) % train_ms )))"
    was_killed=0
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; killed=$(( killed + 1 )); was_killed=1; else missed=$(( missed + 1 )); fi
    wait "$pid" 2>/dev/null
    integrity || bad_integrity=$(( bad_integrity + 1 ))
    run=$(sql 'select coalesce(max(id), 0) from runs'); run=${run:-0}
    if (( run <= before )); then
        unrecorded=$(( unrecorded + 1 ))  # killed before the run was recorded: nothing to resume
        continue
    fi
    status=$(sql "select status from runs where id = $run")
    if [[ $status == finished ]]; then  # it finished first, or was killed on its way out
        (( was_killed )) && finished_when_killed=$(( finished_when_killed + 1 ))
        continue
    fi
    if [[ -z $(sql "select run_id from checkpoints where run_id = $run") ]]; then
        no_checkpoint=$(( no_checkpoint + 1 ))  # killed before its first checkpoint: resume starts it over
    fi
    # Resume, itself killed once at a random moment half of the time, then to the end.
    if (( RANDOM % 2 )); then
        "$netrun" resume "$run" --db "$db" --quiet >>"$log" 2>&1 &
        pid=$!
        sleep "$(seconds $(( 50 + (RANDOM * 32768 + RANDOM) % train_ms )))"
        if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; resumes_killed=$(( resumes_killed + 1 )); fi
        wait "$pid" 2>/dev/null
        integrity || bad_integrity=$(( bad_integrity + 1 ))
    fi
    status=$(sql "select status from runs where id = $run")
    if [[ $status != finished ]] && ! "$netrun" resume "$run" --db "$db" --quiet >>"$log" 2>&1; then
        echo "round $round: netrun resume $run failed" >>"$log"; failed=$(( failed + 1 ))
        continue
    fi
    status=$(sql "select status from runs where id = $run")
    if [[ $status == finished ]]; then
        resumed=$(( resumed + 1 ))
        if [[ $(sql "$outcome $run") == "$reference" ]]; then identical=$(( identical + 1 )); else
            echo "round $round: run $run ended with $(sql "$outcome $run"), uninterrupted: $reference" >>"$log"; fi
    else
        echo "round $round: run $run is $status after resume" >>"$log"; failed=$(( failed + 1 )); fi
    integrity || bad_integrity=$(( bad_integrity + 1 ))
done
stuck=$(sql "select count(*) from runs where status = 'running'"); stuck=${stuck:-0}
echo "kill-soak: $rounds rounds in $(( $(date +%s) - start )) s with $netrun, $missed finished before the kill;" \
     "$train_rounds training runs (killed within ${train_ms} ms): $killed killed, $resumed resumed to the end" \
     "($identical with the uninterrupted run's metrics; $resumes_killed resumes killed on the way)," \
     "$unrecorded killed before they were recorded, $no_checkpoint before their first checkpoint (resume starts those over)," \
     "$finished_when_killed killed after they were recorded as finished;" \
     "$sweep_rounds sweeps (within ${sweep_ms} ms): $sweeps_killed killed, $sweeps_finished finished when run again;" \
     "integrity_check failures: $bad_integrity; failed to continue: $failed; runs left 'running': $stuck; log $log"
(( bad_integrity == 0 && failed == 0 && identical == resumed && stuck == 0 ))

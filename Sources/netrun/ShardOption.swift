import ArgumentParser
import Foundation
import NetrunStore

/// `--shard I/N` or `--shard auto`: which part of a sweep's grid this process runs.
///
/// `auto` asks the job array the process runs in. Under Slurm (`sbatch --array=A-B[:S]`) the
/// task's shard is `(SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP` of
/// `SLURM_ARRAY_TASK_COUNT`, so an array `1-3` gives shards 0, 1, 2 of 3 (MIN taken as 0 and STEP
/// as 1 when unset). In a Kubernetes Indexed Job it is `JOB_COMPLETION_INDEX` of `--shards N`,
/// the job's `completions`, which Kubernetes does not pass to the pod.
enum ShardOption {
    static func resolve(_ spec: String?, shards: Int?, environment: [String: String]) throws -> SweepShard? {
        guard let spec else {
            if shards != nil { throw ValidationError("--shards N goes with --shard auto (a Kubernetes Indexed Job)") }
            return nil
        }
        if spec == "auto" { return try auto(shards: shards, environment: environment) }
        if shards != nil { throw ValidationError("--shards N goes with --shard auto, not with --shard \(spec)") }
        let parts = spec.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ValidationError("--shard \(spec): expected I/N, e.g. 0/3 for the first of three shards, or auto")
        }
        return try checked(index: index, count: count, what: "--shard \(spec)")
    }

    private static func auto(shards: Int?, environment: [String: String]) throws -> SweepShard {
        func integer(_ name: String) throws -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--shard auto: \(name) is '\(text)', not an integer")
            }
            return value
        }
        if let index = try integer("JOB_COMPLETION_INDEX") {
            guard let shards else {
                throw ValidationError("--shard auto: JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but not "
                                      + "the shard count; give --shards N, the job's completions")
            }
            return try checked(index: index, count: shards, what: "--shard auto (JOB_COMPLETION_INDEX \(index), --shards \(shards))")
        }
        if let id = try integer("SLURM_ARRAY_TASK_ID") {
            guard let count = try integer("SLURM_ARRAY_TASK_COUNT") else {
                throw ValidationError("--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")
            }
            if let shards, shards != count {
                throw ValidationError("--shard auto: --shards \(shards) but SLURM_ARRAY_TASK_COUNT is \(count)")
            }
            let first = try integer("SLURM_ARRAY_TASK_MIN") ?? 0
            let step = try integer("SLURM_ARRAY_TASK_STEP") ?? 1
            guard step >= 1, id >= first, (id - first) % step == 0 else {
                throw ValidationError("--shard auto: SLURM_ARRAY_TASK_ID \(id) is not in the array "
                                      + "from SLURM_ARRAY_TASK_MIN \(first) by SLURM_ARRAY_TASK_STEP \(step)")
            }
            return try checked(index: (id - first) / step, count: count,
                               what: "--shard auto (SLURM_ARRAY_TASK_ID \(id), SLURM_ARRAY_TASK_MIN \(first), "
                                   + "SLURM_ARRAY_TASK_COUNT \(count))")
        }
        throw ValidationError("--shard auto: neither SLURM_ARRAY_TASK_ID (a Slurm job array) nor JOB_COMPLETION_INDEX "
                              + "(a Kubernetes Indexed Job) is set; give the shard as --shard I/N")
    }

    private static func checked(index: Int, count: Int, what: String) throws -> SweepShard {
        guard count >= 1 else { throw ValidationError("\(what): the shard count \(count) must be at least 1") }
        guard (0..<count).contains(index) else {
            throw ValidationError("\(what): shard \(index) is not in 0..<\(count) (shards count from 0)")
        }
        return SweepShard(index: index, count: count)
    }
}

import ArgumentParser
import Foundation
import NetrunStore

/// `netrun-bench merge`: the time `netrun merge` takes per 1000 runs, for shards of one sweep
/// whose runs look like digits trials (a 64-32-10 model, 10 epochs of metrics, preprocessing).
struct MergeBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract: "Time merging a sharded sweep's databases.")

    @Option(help: "Runs (trials) in all, spread over the shards.")
    var runs = 1000

    @Option(help: "Shard databases.")
    var shards = 4

    @Option(help: "A folder for the databases (default: a new temporary folder, removed after).")
    var folder: String?

    func validate() throws {
        guard runs >= 1, shards >= 1 else { throw ValidationError("--runs and --shards must be at least 1") }
    }

    func run() throws {
        let scratch = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("netrun-merge-\(UUID().uuidString)").path
        defer { if folder == nil { try? FileManager.default.removeItem(atPath: scratch) } }
        let clock = ContinuousClock()
        let start = clock.now
        let paths = try (0..<shards).map { index in
            let path = "\(scratch)/shard-\(index).sqlite"
            try fill(path, shard: SweepShard(index: index, count: shards))
            return path
        }
        let filled = clock.now
        let merged = try RunStore(path: "\(scratch)/merged.sqlite")
        let mergeStart = clock.now
        let report = try merged.merge(databases: paths)
        let seconds = (clock.now - mergeStart) / .seconds(1)
        let bytes = paths.compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }.reduce(0, +)
        try printJSON([
            "runs": report.files.map(\.runsAdded).reduce(0, +),
            "shards": shards,
            "shard_bytes": bytes,
            "seconds_fill": (filled - start) / .seconds(1),
            "seconds_merge": seconds,
            "seconds_merge_per_1000_runs": seconds * 1000 / Double(runs),
            "missing_trials": report.sweeps.map(\.missing.count).reduce(0, +),
        ])
    }

    /// Records one shard of a sweep of `runs` trials as `netrun sweep --shard` would, without training.
    private func fill(_ path: String, shard: SweepShard) throws {
        let store = try RunStore(path: path)
        var sweep = NewSweep(name: "bench", configPath: "bench.yaml", configText: "name: bench\n", seed: 1,
                             metric: "val_accuracy", maximize: true, netrunVersion: "bench")
        sweep.shard = shard
        let opened = try store.openSweep(sweep, trialCount: runs) {
            (0..<min(runs, 1000)).map(Self.spec)
        }
        var random = SystemRandomNumberGenerator()
        func values(_ count: Int) -> [Float] { (0..<count).map { _ in Float.random(in: -1...1, using: &random) } }
        while case .claimed(let state, _) = try store.claimTrial(sweepID: opened.id, spec: Self.spec) {
            let runID = try store.beginRun(NewRun(name: "bench#\(state.trial)", configPath: "bench.yaml", configText: "name: bench\n",
                                                  seed: 1, netrunVersion: "bench", configOverrides: Self.spec(state.trial).assignment))
            try store.attachRun(sweepID: opened.id, trial: state.trial, runID: runID)
            try store.saveDataDescription(runID: runID, DataDescription(trainSamples: 1437, validationSamples: 180, testSamples: 180,
                                                                        classNames: (0..<10).map(String.init),
                                                                        preprocessing: [("mean", values(64).map(Double.init)), ("std", values(64).map(Double.init))]))
            try store.appendMetrics(runID: runID, (0...10).flatMap { epoch in
                ["train", "val"].flatMap { split in
                    ["loss", "accuracy"].map { MetricPoint(step: epoch * 12, epoch: epoch, split: split, name: $0, value: Double.random(in: 0...1)) }
                }
            })
            try store.saveWeights(runID: runID, [
                WeightTensor(layer: 0, name: "weight", shape: [32, 64], values: values(32 * 64)),
                WeightTensor(layer: 0, name: "bias", shape: [32], values: values(32)),
                WeightTensor(layer: 2, name: "weight", shape: [10, 32], values: values(10 * 32)),
                WeightTensor(layer: 2, name: "bias", shape: [10], values: values(10)),
            ])
            try store.finishRun(runID: runID, status: .finished, steps: 120, epochs: 10, divergedStep: nil, message: nil)
            try store.finishTrial(sweepID: opened.id, trial: state.trial, score: Double.random(in: 0...1), done: true)
        }
        _ = try store.closeSweep(sweepID: opened.id)
    }

    private static func spec(_ trial: Int) -> TrialSpec {
        let rate = 1e-3 * Double(trial + 1)
        return TrialSpec(trial: trial, assignment: "training.learning_rate=\(rate)", learningRate: rate, reg: 0,
                         params: [("training.learning_rate", rate, "\(rate)")])
    }
}

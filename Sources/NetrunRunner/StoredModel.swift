import NetrunConfig
import NetrunCore
import NetrunData
import NetrunStore

/// A recorded run's model rebuilt with its trained weights, for `eval`, `predict` and `export`:
/// the final weights of a finished run, else its last checkpoint's.
public struct StoredModel {
    public let run: RunSummary
    public let config: Config
    public let network: Network<Float>
    public let preprocessing: Preprocessing
    /// The class names the run's data gave, in output order.
    public let classNames: [String]?
    /// `final weights` or `checkpoint after step N`.
    public let weightsSource: String
    /// The run's config folder and data fingerprints; nil for a run recorded before they were kept.
    public let recordedData: RecordedData?

    public init(runID: Int64, store: RunStore) throws {
        guard let run = try store.summary(runID: runID) else { throw RunnerError("no run \(runID) in \(store.path)") }
        self.run = run
        let overrides = try ConfigOverride.parse(text: run.configOverrides, source: "overrides of run \(run.id)")
        recordedData = try store.recordedData(runID: runID)
        config = try ConfigLoader.decode(text: run.configText, path: DataFingerprints.configPath(of: run, recorded: recordedData),
                                         overrides: overrides)

        var tensors: [(layer: Int, name: String, values: [Float], shape: [Int])]
        if run.status == .finished {
            tensors = try store.weights(runID: runID).map { ($0.layer, $0.name, $0.values, $0.shape) }
            weightsSource = "final weights"
        } else if let saved = try store.checkpoint(runID: runID) {
            tensors = zip(saved.layout, saved.checkpoint.parameters).map { ($0.layer, $0.name, $1, $0.shape) }
            weightsSource = "checkpoint after step \(saved.checkpoint.progress.step)"
            // Checkpoints leave frozen layers out: they hold what the run started from, init_from's
            // tensors or (below) the seeded initialisation.
            if let source = config.model.initFrom, !config.model.freeze.isEmpty {
                for tensor in try WarmStart.tensors(source, database: store.path) {
                    let parts = tensor.name.split(separator: ".", maxSplits: 1)
                    guard parts.count == 2, let layer = Int(parts[0]),
                          !tensors.contains(where: { $0.layer == layer && $0.name == parts[1] }) else { continue }
                    tensors.append((layer, String(parts[1]), tensor.values.map { Float($0) }, tensor.shape))
                }
            }
        } else {
            throw RunnerError("run \(runID) (\(run.name)) is \(run.status.rawValue) and has no weights or checkpoint")
        }
        guard let firstWeight = tensors.filter({ $0.name == "weight" }).min(by: { $0.layer < $1.layer }),
              firstWeight.shape.count == 2 else {
            throw RunnerError("run \(runID) stored no weight matrix")
        }
        // Every weight is overwritten below, except frozen ones neither the checkpoint nor init_from
        // holds: those are rebuilt as the run drew them, from its seed.
        var generator = SplitMix64(seed: config.seed)
        network = try NetworkBuilder.build(config, inputSize: firstWeight.shape[1], generator: &generator)
        for (layer, parameter) in network.parameters {
            let stored = tensors.first(where: { $0.layer == layer && $0.name == parameter.name })
            if stored == nil, parameter.isFrozen { continue }
            guard let stored,
                  stored.values.count == parameter.value.count else {
                throw RunnerError("run \(runID)'s stored layers[\(layer)].\(parameter.name) does not fit the model its config builds")
            }
            stored.values.withUnsafeBufferPointer { if let base = $0.baseAddress { parameter.value.storage.update(from: base, count: $0.count) } }
        }

        var fitted = Preprocessing()
        for (name, values) in try store.preprocessing(runID: runID) {
            switch name {
            case "scale": fitted.scale = values.first ?? 1
            case "mean": fitted.mean = values
            case "std": fitted.std = values
            default: break
            }
        }
        preprocessing = fitted
        let names = try store.classNames(runID: runID)
        classNames = names.isEmpty ? nil : names
    }

    /// Whether outputs are class scores: the loss is a cross-entropy.
    public var isClassifier: Bool { !config.loss.value.isRegression || network.outputSize >= 2 }

    /// `name` for a class id, or the id itself.
    public func className(_ id: Int) -> String {
        classNames.flatMap { id < $0.count ? $0[id] : nil } ?? String(id)
    }
}

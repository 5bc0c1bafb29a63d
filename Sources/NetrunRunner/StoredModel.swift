import NetrunConfig
import NetrunCore
import NetrunData
import NetrunStore

/// A recorded run's model rebuilt with its trained weights, for `eval`, `predict` and `export`:
/// the final weights of a finished run, else its last checkpoint's.
public struct StoredModel {
    public let run: RunSummary
    public let config: Config
    /// The trained network, in the dtype it was trained in.
    public let network: StoredNetwork
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
        recordedData = try store.recordedData(runID: runID)
        config = try run.config(recorded: recordedData)

        var tensors: [(layer: Int, name: String, values: [Double], shape: [Int])]
        if run.status == .finished {
            tensors = try store.weights(runID: runID).map { ($0.layer, $0.name, $0.values, $0.shape) }
            weightsSource = "final weights"
        } else if let saved = try Self.checkpoint(runID: runID, store: store, dtype: config.training.dtype) {
            tensors = zip(saved.layout, saved.parameters).map { ($0.layer, $0.name, $1, $0.shape) }
            weightsSource = "checkpoint after step \(saved.step)"
            // Checkpoints leave frozen layers out: they hold what the run started from, init_from's
            // tensors or (below) the seeded initialisation.
            if let source = config.model.initFrom, !config.model.freeze.isEmpty {
                for tensor in try WarmStart.tensors(source, database: store.path) {
                    let parts = tensor.name.split(separator: ".", maxSplits: 1)
                    guard parts.count == 2, let layer = Int(parts[0]),
                          !tensors.contains(where: { $0.layer == layer && $0.name == parts[1] }) else { continue }
                    tensors.append((layer, String(parts[1]), tensor.values, tensor.shape))
                }
            }
        } else {
            throw RunnerError("run \(runID) (\(run.name)) is \(run.status.rawValue) and has no weights or checkpoint")
        }
        guard let firstWeight = tensors.filter({ $0.name == "weight" }).min(by: { $0.layer < $1.layer }),
              firstWeight.shape.count == 2 else {
            throw RunnerError("run \(runID) stored no weight matrix")
        }
        switch config.training.dtype {
        case .float32: network = .float32(try Self.rebuild(config, inputs: firstWeight.shape[1], tensors, runID: runID))
        case .float64: network = .float64(try Self.rebuild(config, inputs: firstWeight.shape[1], tensors, runID: runID))
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

    /// `config`'s network with every parameter set from `tensors`.
    private static func rebuild<Scalar: NetScalar>(_ config: Config, inputs: Int,
                                                   _ tensors: [(layer: Int, name: String, values: [Double], shape: [Int])],
                                                   runID: Int64) throws -> Network<Scalar> {
        // Every weight is overwritten below, except frozen ones neither the checkpoint nor init_from
        // holds: those are rebuilt as the run drew them, from its seed.
        var generator = SplitMix64(seed: config.seed)
        let network: Network<Scalar> = try NetworkBuilder.build(config, inputSize: inputs, generator: &generator)
        for (layer, parameter) in network.parameters {
            let stored = tensors.first(where: { $0.layer == layer && $0.name == parameter.name })
            if stored == nil, parameter.isFrozen { continue }
            guard let stored, stored.values.count == parameter.value.count else {
                throw RunnerError("run \(runID)'s stored layers[\(layer)].\(parameter.name) does not fit the model its config builds")
            }
            for (i, value) in stored.values.enumerated() { parameter.value.storage[i] = Scalar(value) }
        }
        return network
    }

    /// A checkpoint's parameters as Doubles (exact for float32).
    private static func checkpoint(runID: Int64, store: RunStore, dtype: DType) throws
        -> (layout: [TensorLayout], parameters: [[Double]], step: Int)?
    {
        switch dtype {
        case .float32:
            try store.checkpoint(runID: runID, as: Float.self).map {
                ($0.layout, $0.checkpoint.parameters.map { $0.map(Double.init) }, $0.checkpoint.progress.step)
            }
        case .float64:
            try store.checkpoint(runID: runID, as: Double.self).map {
                ($0.layout, $0.checkpoint.parameters, $0.checkpoint.progress.step)
            }
        }
    }

    /// Whether outputs are class scores: the loss is a cross-entropy.
    public var isClassifier: Bool { !config.loss.value.isRegression || network.outputSize >= 2 }

    /// `name` for a class id, or the id itself.
    public func className(_ id: Int) -> String {
        classNames.flatMap { id < $0.count ? $0[id] : nil } ?? String(id)
    }
}

/// A stored run's network in the dtype it was trained in. Whatever reads it (evaluation,
/// prediction, export) is generic and runs in that dtype.
public enum StoredNetwork {
    case float32(Network<Float>)
    case float64(Network<Double>)

    public var inputSize: Int {
        switch self { case .float32(let n): n.inputSize; case .float64(let n): n.inputSize }
    }

    public var outputSize: Int {
        switch self { case .float32(let n): n.outputSize; case .float64(let n): n.outputSize }
    }

    public var dtype: DType {
        switch self { case .float32: .float32; case .float64: .float64 }
    }

    /// The loss's options (class weights, ignore label…), as the model was trained with.
    public var lossOptions: LossOptions {
        switch self { case .float32(let n): n.loss.options; case .float64(let n): n.loss.options }
    }

    /// Every parameter: layer index, PyTorch-style name, shape and values (exact Doubles).
    public var tensors: [WeightTensor] {
        switch self {
        case .float32(let n): TrainingRun.weightTensors(n)
        case .float64(let n): TrainingRun.weightTensors(n)
        }
    }

    /// Each layer's kind and whether it is dense, in order.
    public var layerKinds: [(kind: String, isDense: Bool)] {
        switch self {
        case .float32(let n): n.layers.map { ($0.kind, $0 is Dense<Float>) }
        case .float64(let n): n.layers.map { ($0.kind, $0 is Dense<Double>) }
        }
    }
}

import NetrunConfig
import NetrunCore

/// The training set and the optional held-out set a config describes.
public struct Datasets<Scalar: NetScalar> {
    public var train: Dataset<Scalar>
    public var test: Dataset<Scalar>?
}

/// Loads a config's samples, checks them against the model's shape and loss, and splits off the
/// held-out part.
public enum DataLoader {
    /// The data of `config` in `Scalar`; every problem is a located `ConfigError`.
    public static func load<Scalar: NetScalar>(_ config: Config, as: Scalar.Type = Scalar.self) throws -> Datasets<Scalar> {
        let source = try samples(config.data.train)
        let inputSize = NetworkBuilder.inputSize(config, dataWidth: source.width)
        try source.checkWidth(inputSize, model: config.model.inputs)
        let outputSize = NetworkBuilder.outputSize(config.model, inputSize: inputSize)
        let targets = TargetResolver(outputSize: outputSize, loss: config.loss)
        let (trainTargets, kind) = try targets.resolve(source.data.targets, count: source.data.inputs.count,
                                                       at: source.data, kind: nil)
        var train = Dataset<Scalar>(inputs: Matrix(source.rows.map { $0.map { Scalar($0) } }),
                                    targets: Matrix(trainTargets.map { $0.map { Scalar($0) } }), kind: kind)
        var test: Dataset<Scalar>?
        if let testSource = try config.data.test.map(samples) {
            try testSource.checkWidth(inputSize, model: config.model.inputs)
            let (testTargets, _) = try targets.resolve(testSource.data.targets, count: testSource.data.inputs.count,
                                                       at: testSource.data, kind: kind)
            test = Dataset(inputs: Matrix(testSource.rows.map { $0.map { Scalar($0) } }),
                           targets: Matrix(testTargets.map { $0.map { Scalar($0) } }), kind: kind)
        } else if let split = config.data.testSplit {
            (train, test) = try splitOff(split, from: train, seed: config.seed)
        }
        return Datasets(train: train, test: test)
    }

    /// Cuts `size` samples off `data` after a shuffle seeded from the run's seed, so the split
    /// stays the same when only the model or the training settings change.
    static func splitOff<Scalar>(_ size: Located<SplitSize>, from data: Dataset<Scalar>, seed: UInt64) throws
        -> (Dataset<Scalar>, Dataset<Scalar>)
    {
        let count = size.value.count(of: data.count)
        guard count >= 1, count < data.count else {
            throw size.error("a held-out part of \(count) of \(data.count) samples leaves "
                             + (count < 1 ? "nothing to test on" : "nothing to train on"))
        }
        var generator = SplitMix64(seed: SplitMix64.derive(seed, splitStream))
        var order = Array(0..<data.count)
        shuffle(&order, using: &generator)
        return (data.subset(Array(order[count...]).sorted()), data.subset(Array(order[..<count]).sorted()))
    }

    /// Tags the random stream used for splitting, apart from the one for weights and batches.
    static let splitStream: UInt64 = 0x5350_4C49_54  // "SPLIT"

    private static func samples(_ source: DataSource) throws -> InlineSamples {
        switch source {
        case .inline(let data): return try InlineSamples(data)
        }
    }
}

/// Inline rows checked for a consistent width.
struct InlineSamples {
    let data: InlineData
    let rows: [[Double]]
    let width: Int

    init(_ data: InlineData) throws {
        self.data = data
        width = data.inputs[0].value.count
        for row in data.inputs where row.value.count != width {
            throw row.error("this sample has \(row.value.count) values, the first has \(width)")
        }
        rows = data.inputs.map(\.value)
    }

    func checkWidth(_ inputSize: Int, model inputs: Located<Int>?) throws {
        guard width == inputSize else {
            let declared = inputs.map { " (model.inputs at line \($0.location?.line ?? 0))" } ?? ""
            throw data.inputs[0].error("samples have \(width) values but the model takes \(inputSize) inputs\(declared)")
        }
    }
}

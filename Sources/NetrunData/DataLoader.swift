import NetrunConfig
import NetrunCore

/// The parts of a config's data, preprocessed, and what is needed to reproduce the preprocessing.
public struct Datasets<Scalar: NetScalar> {
    public var train: Dataset<Scalar>
    /// Measured at every log point.
    public var validation: Dataset<Scalar>?
    /// Measured once, at the end.
    public var test: Dataset<Scalar>?
    /// Fitted on `train`; identity when the config asks for none.
    public var preprocessing: Preprocessing
    /// Class names in id order, when the source names its classes (CSV string labels, CIFAR-10).
    public var classNames: [String]?
    /// What the targets were made for; a model with another output width or loss needs its own.
    public var targetSpec: TargetSpec
}

/// What turning labels into targets depends on besides the data: the model's output width and the loss.
public struct TargetSpec: Sendable, Equatable {
    public var outputs: Int
    public var loss: LossFunction

    /// The spec of `config`'s model on samples `dataWidth` wide.
    public init(_ config: Config, dataWidth: Int) {
        outputs = NetworkBuilder.outputSize(config.model, inputSize: NetworkBuilder.inputSize(config, dataWidth: dataWidth))
        loss = config.loss.value
    }
}

/// Loads a config's samples, turns their labels into targets for the config's model and loss,
/// splits off the validation and test parts and preprocesses.
public enum DataLoader {
    /// The data of `config` in Float, the default dtype.
    public static func load(_ config: Config, preprocessing fixed: Preprocessing? = nil,
                            classNames: [String]? = nil, inputWidth trained: Int? = nil) throws -> Datasets<Float> {
        try load(config, preprocessing: fixed, classNames: classNames, inputWidth: trained, as: Float.self)
    }

    /// The data of `config` in `Scalar`; a config problem is a located `ConfigError`, a bad data
    /// file a `DataError` naming the file.
    ///
    /// Files are read in Float, the precision data files hold (bytes exactly; CSV text as the
    /// nearest Float); a float64 run converts the samples once, before preprocessing, so the mean
    /// and the scaling are computed and applied in Float64 as a float64 reference does.
    ///
    /// A trained model's data is loaded with its `preprocessing` (not refitted), its `classNames`,
    /// so a file naming its classes is numbered as the model's outputs are, and its `inputWidth`,
    /// which every sample must have.
    public static func load<Scalar: NetScalar>(_ config: Config, preprocessing fixed: Preprocessing? = nil,
                                               classNames: [String]? = nil, inputWidth trained: Int? = nil,
                                               as: Scalar.Type) throws -> Datasets<Scalar> {
        let read = try samples(config, classNames: classNames, inputWidth: trained)
        func convert(_ data: Dataset<Float>?) -> Dataset<Scalar>? {
            data.map { Scalar.self == Float.self ? $0 as! Dataset<Scalar>
                : Dataset(inputs: $0.inputs.converted(), targets: $0.targets.converted(), kind: $0.kind) }
        }
        var datasets = Datasets(train: convert(read.train)!, validation: convert(read.validation), test: convert(read.test),
                                preprocessing: Preprocessing(), classNames: read.classNames, targetSpec: read.targetSpec)
        datasets.preprocessing = fixed ?? Preprocessing.fit(config.data.preprocess, on: datasets.train.inputs)
        for part in [datasets.train, datasets.validation, datasets.test].compactMap({ $0 }) {
            datasets.preprocessing.apply(to: part.inputs)
        }
        try checkFinite(datasets, config)
        return datasets
    }

    /// The samples of `config`, with targets for its model and loss, split, not yet preprocessed.
    private static func samples(_ config: Config, classNames: [String]?, inputWidth trained: Int?) throws -> Datasets<Float> {
        let reader = SourceReader(seed: config.seed)
        let mainRaw = try reader.read(config.data.source)
        let inputWidth = trained ?? NetworkBuilder.inputSize(config, dataWidth: mainRaw.inputs.cols)
        if mainRaw.inputs.cols != inputWidth {
            let reason = trained != nil ? "the trained model takes \(inputWidth) inputs"
                : "the model takes \(inputWidth) inputs (model.inputs at line \(config.model.inputs?.location?.line ?? 0))"
            throw widthError(mainRaw, config.data.source, reason)
        }
        // Labels become targets once the model's output width is known, which may be the data's width.
        let resolver = TargetResolver(config: config, inputWidth: inputWidth)
        let main = try limited(resolver.resolve(mainRaw, config.data.source, main: nil, names: classNames),
                               config.data.source)
        func heldOut(_ source: DataSource) throws -> Dataset<Float> {
            let raw = try reader.read(source)
            guard raw.inputs.cols == inputWidth else {
                throw widthError(raw, source, "the training samples have \(inputWidth)")
            }
            return try limited(resolver.resolve(raw, source, main: main, names: nil), source).data
        }
        var train = main.data
        let validation = try config.data.validation.map(heldOut)
        let test = try config.data.test.map(heldOut)

        var datasets = Datasets(train: train, validation: validation, test: test, preprocessing: Preprocessing(),
                                classNames: main.classNames,
                                targetSpec: TargetSpec(config, dataWidth: inputWidth))
        let split = config.data.split
        if split.validation != nil || split.test != nil || split.train != nil {
            let parts = try cut(split, from: train, seed: config.seed, source: config.data.source)
            train = parts.train
            datasets.train = train
            if let part = parts.validation { datasets.validation = part }
            if let part = parts.test { datasets.test = part }
        }
        return datasets
    }

    /// `source`'s `limit` (only its first samples) or `rows` (samples start..<end). Labels were
    /// resolved on the whole source, so class names are numbered the same whichever rows are kept.
    private static func limited(_ samples: SourceSamples, _ source: DataSource) throws -> SourceSamples {
        var samples = samples
        if let rows = source.rows {
            let count = samples.data.count
            guard rows.value.upperBound <= count else {
                throw rows.error("rows [\(rows.value.lowerBound), \(rows.value.upperBound)] reach past the end of "
                                 + "\(source.path): it has \(count) samples, rows 0 to \(count - 1)")
            }
            // Ascending rows, moved to the front in place: no second copy of a large source.
            samples.data = samples.data.compacted(keeping: Array(rows.value))
            return samples
        }
        guard let limit = source.limit, limit.value < samples.data.count else { return samples }
        samples.data = samples.data.subset(Array(0..<limit.value))
        return samples
    }

    private static func widthError(_ raw: RawSamples, _ source: DataSource, _ reason: String) -> ConfigError {
        let message = "samples have \(raw.inputs.cols) values but \(reason)"
        if case .inline(let inline) = source.kind { return inline.inputs[0].error(message) }
        return ConfigError(message, at: source.location, path: source.path)
    }

    /// Cuts validation, then test, then (optionally capped) training samples off `data`, after one
    /// shuffle seeded from the run's seed, so the parts stay the same when only the model or the
    /// training settings change — every trial of a sweep sees the same validation set.
    static func cut(_ split: SplitConfig, from data: Dataset<Float>, seed: UInt64, source: DataSource) throws
        -> (train: Dataset<Float>, validation: Dataset<Float>?, test: Dataset<Float>?)
    {
        let total = data.count
        var generator = SplitMix64(seed: SplitMix64.derive(seed, splitStream))
        var order = Array(0..<total)
        shuffle(&order, using: &generator)
        var remaining = order[...]
        func take(_ size: Located<SplitSize>?, _ name: String) throws -> ArraySlice<Int>? {
            guard let size else { return nil }
            let count = size.value.count(of: total)
            guard count >= 1 else { throw size.error("the \(name) part of \(count) samples is empty") }
            let isTrain = name == "training"
            guard isTrain ? count <= remaining.count : count < remaining.count else {
                throw size.error("the \(name) part of \(count) samples "
                                 + (isTrain ? "is more than the \(remaining.count) left" : "leaves nothing to train on")
                                 + " (\(source.path) has \(total) samples)")
            }
            defer { remaining = remaining.dropFirst(count) }
            return remaining.prefix(count)
        }
        let validation = try take(split.validation, "validation").map { data.subset($0.sorted()) }
        let test = try take(split.test, "test").map { data.subset($0.sorted()) }
        // The training part is usually most of the set: moved within `data`, not copied out of it.
        let train = data.compacted(keeping: (try take(split.train, "training") ?? remaining).sorted())
        return (train, validation, test)
    }

    /// Tags the random stream used for splitting, apart from the one for weights and batches.
    static let splitStream: UInt64 = 0x5350_4C49_54  // "SPLIT"

    /// Refuses inputs the preprocessing made NaN or infinite: training on them can only diverge,
    /// and the learning rate would be blamed.
    static func checkFinite<Scalar: NetScalar>(_ datasets: Datasets<Scalar>, _ config: Config) throws {
        guard !datasets.preprocessing.isIdentity else { return }
        let parts = [("training", datasets.train), ("validation", datasets.validation), ("test", datasets.test)]
        for (name, part) in parts {
            guard let part, let (row, column) = Preprocessing.firstNonFinite(in: part.inputs) else { continue }
            let scale = datasets.preprocessing.scale
            let cause = scale != 1 ? "scaling by \(scale)" : "centering and scaling"
            throw ConfigError("\(cause) makes feature \(column + 1) of \(name) sample \(row + 1) \(part.inputs[row, column]) "
                              + "(beyond \(Scalar.dtype == .float32 ? "Float's range, ±3.4e38" : "Double's range, ±1.8e308")); use a smaller scale",
                              at: config.data.source.location, path: "data.preprocess")
        }
    }
}

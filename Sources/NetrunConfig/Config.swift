import NetrunCore

/// A whole run description, decoded and checked for types and ranges (shapes are the builder's job).
public struct Config: Sendable {
    public var name: String
    public var seed: UInt64
    public var data: DataConfig
    public var model: ModelConfig
    public var loss: Located<LossFunction>
    /// The loss's options, all defaults for a bare name.
    public var lossOptions: LossOptions = LossOptions()
    /// Where `class_weights: balanced` is written: the runner works the weights out from the
    /// training split and records them with the run as an override of that key.
    public var balancedClassWeights: Located<Bool>?
    public var training: TrainingSettings
    /// Where the training settings that size a run are written, for checks made once the data is known.
    public var trainingPlaces: TrainingPlaces
    /// The grid `netrun sweep` runs; `netrun train` ignores it.
    public var sweep: SweepConfig?
    /// Values put over the file's before decoding (a sweep trial's, or the command line's).
    public var overrides: [ConfigOverride]
    /// The file as written, stored with the run.
    public var text: String
    public var path: String
}

/// The model half of a config: input width and the layers in order.
public struct ModelConfig: Sendable {
    /// nil: taken from the data's width.
    public var inputs: Located<Int>?
    public var layers: [LayerConfig]
    /// `bias_trick: true`: the single dense layer's bias is drawn and regularised as one more row of
    /// its weights (cs231n's `W` of shape (D+1, C) on inputs with a column of ones appended).
    public var biasTrick = false
    /// `init_from`: where the initial weights come from after the seeded initialisation; nil keeps it.
    public var initFrom: Located<WarmStartSource>?
    /// `freeze`: indices (nn.Sequential numbering, as `netrun export` names tensors) of layers whose
    /// parameters training keeps fixed.
    public var freeze: [Located<Int>] = []
}

/// Weights to start from: a safetensors file as `netrun export` writes it, or a recorded run's model.
public enum WarmStartSource: Sendable {
    case file(DataFile)
    case run(Int64)
}

/// Where `training`'s sizes are written: a run too long to count or too large for memory is
/// only known once the data is, and is reported at the setting that made it so.
public struct TrainingPlaces: Sendable {
    /// `epochs` or `iterations`, whichever is given.
    public var length: Located<Int>
    public var batchSize: Located<Int>?
}

/// One entry of `model.layers`.
public struct LayerConfig: Sendable {
    public enum Kind: Sendable, Equatable {
        /// `activation` is applied after the product as a layer of its own; nil means none.
        case dense(units: Int, activation: Activation?, initialization: Initialization?)
        case activation(Activation)
        /// Inverted dropout zeroing each value with probability `p` in training steps.
        case dropout(p: Double)
    }

    public var kind: Kind
    public var location: SourceLocation?
    public var path: String
}

/// Where samples come from, how the validation and test parts are chosen, and how inputs are
/// preprocessed.
public struct DataConfig: Sendable {
    /// The main source: the training samples, and the ones `split` cuts from.
    public var source: DataSource
    /// Explicit validation samples (`data.val`), measured at every log point.
    public var validation: DataSource?
    /// Explicit test samples (`data.test`), measured once at the end.
    public var test: DataSource?
    /// Parts cut from `source` after a seeded shuffle.
    public var split: SplitConfig
    public var preprocess: PreprocessConfig
}

/// `data.split`: how many samples of the main source go to each part.
public struct SplitConfig: Sendable {
    public var validation: Located<SplitSize>?
    public var test: Located<SplitSize>?
    /// At most this many of the remaining samples train; nil keeps them all.
    public var train: Located<SplitSize>?

    public init(validation: Located<SplitSize>? = nil, test: Located<SplitSize>? = nil, train: Located<SplitSize>? = nil) {
        self.validation = validation
        self.test = test
        self.train = train
    }
}

/// `data.preprocess`, fitted on the training part only and applied to every part, in this order.
public struct PreprocessConfig: Sendable, Equatable {
    /// Multiply every input by this first (e.g. 1/255 for pixels).
    public var scale: Double?
    /// Subtract the per-feature training mean (cs231n's mean image).
    public var subtractMean: Bool
    /// Subtract the mean and divide by the per-feature standard deviation.
    public var standardize: Bool

    public init(scale: Double? = nil, subtractMean: Bool = false, standardize: Bool = false) {
        self.scale = scale
        self.subtractMean = subtractMean
        self.standardize = standardize
    }

    public var isIdentity: Bool { scale == nil && !subtractMean && !standardize }
}

/// One source of samples, with where it is written in the config.
public struct DataSource: Sendable {
    public enum Kind: Sendable {
        case inline(InlineData)
        case csv(CSVSource)
        case idx(IDXSource)
        case cifar10(CIFAR10Source)
        case synthetic(SyntheticSource)
    }

    public var kind: Kind
    /// Keep only the first this many samples.
    public var limit: Located<Int>?
    /// Keep only samples start..<end, counted from 0 (numpy's `X[start:end]`); never given with `limit`.
    public var rows: Located<Range<Int>>? = nil
    public var location: SourceLocation?
    /// `data`, `data.val` or `data.test`.
    public var path: String
}

/// A data file named in a config: as written, and resolved against the config's folder.
public struct DataFile: Sendable {
    public var written: String
    /// The path netrun opens: `written` if absolute, else relative to the config file's folder.
    public var resolved: String
    public var location: SourceLocation?
    public var path: String

    public func error(_ message: String) -> ConfigError { ConfigError(message, at: location, path: path) }
}

/// `csv: {path, label, header}`: numeric feature columns and one label column.
public struct CSVSource: Sendable {
    /// Which column holds the labels.
    public enum Label: Sendable, Equatable {
        /// 0-based; negative counts from the end.
        case index(Int)
        case name(String)
    }

    public var file: DataFile
    public var label: Label
    /// nil: a first row with a non-numeric feature is a header.
    public var header: Bool?
    /// `label: {column, type}`: what the labels are; nil lets the labels, the loss and the model decide.
    public var labelType: Located<LabelType>? = nil
}

/// What a label column holds: `value`s to regress on, or `class`es (ids 0, 1, … or names).
public enum LabelType: String, Sendable {
    case value
    case `class`
}

/// `idx: {images, labels}`: MNIST's IDX files, plain or gzip-compressed.
public struct IDXSource: Sendable {
    public var images: DataFile
    public var labels: DataFile
}

/// `cifar10: {path, part}`: the binary batches in a folder; `train` is data_batch_1…5, `test` is test_batch.
public struct CIFAR10Source: Sendable {
    public enum Part: String, Sendable { case train, test }
    public var folder: DataFile
    public var part: Part

    public var fileNames: [String] {
        part == .train ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
    }
}

/// `synthetic: {kind, …}`: seeded toy sets.
public enum SyntheticSource: Sendable, Equatable {
    case xor(count: Int)
    case spiral(classes: Int, perClass: Int, noise: Double)
    case blobs(classes: Int, perClass: Int, dimensions: Int, spread: Double)
}

/// Samples written in the config itself.
public struct InlineData: Sendable {
    /// One row per sample, each with the location of its row for shape errors.
    public var inputs: [Located<[Double]>]
    public var targets: Targets
    /// Where `targets` is written, for count and kind errors.
    public var targetsLocation: SourceLocation?
    public var location: SourceLocation?
    public var path: String

    /// Targets as written: class indices, or rows (one-hot or real values).
    public enum Targets: Sendable {
        case indices([Located<Int>])
        case rows([Located<[Double]>])
    }
}

/// How many samples a split takes: a fraction of the source or a count.
public enum SplitSize: Sendable, Equatable {
    case fraction(Double)
    case count(Int)

    /// The number of samples out of `total`, rounded to nearest.
    public func count(of total: Int) -> Int {
        switch self {
        case .fraction(let f): Int((f * Double(total)).rounded())
        case .count(let n): n
        }
    }
}

import NetrunCore

/// A whole run description, decoded and checked for types and ranges (shapes are the builder's job).
public struct Config: Sendable {
    public var name: String
    public var seed: UInt64
    public var data: DataConfig
    public var model: ModelConfig
    public var loss: Located<LossFunction>
    public var training: TrainingSettings
    /// The file as written, stored with the run.
    public var text: String
    public var path: String
}

/// The model half of a config: input width and the layers in order.
public struct ModelConfig: Sendable {
    /// nil: taken from the data's width.
    public var inputs: Located<Int>?
    public var layers: [LayerConfig]
}

/// One entry of `model.layers`.
public struct LayerConfig: Sendable {
    public enum Kind: Sendable, Equatable {
        /// `activation` is applied after the product as a layer of its own; nil means none.
        case dense(units: Int, activation: Activation?, initialization: Initialization?)
        case activation(Activation)
    }

    public var kind: Kind
    public var location: SourceLocation?
    public var path: String
}

/// Where samples come from and how the held-out part is chosen.
public struct DataConfig: Sendable {
    public var train: DataSource
    /// Explicit held-out samples.
    public var test: DataSource?
    /// Or a held-out part cut from `train` after a seeded shuffle.
    public var testSplit: Located<SplitSize>?
}

/// A source of samples. Inline samples for now; file formats join here as further cases.
public enum DataSource: Sendable {
    case inline(InlineData)
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

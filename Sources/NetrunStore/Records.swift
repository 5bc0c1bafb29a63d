import NetrunCore
/// A run about to start: what the store keeps about where it came from.
public struct NewRun: Sendable {
    public var name: String
    public var configPath: String
    /// The config exactly as written, so a run can be reproduced from the database alone.
    public var configText: String
    public var seed: UInt64
    public var netrunVersion: String
    /// `path=value` lines put over `configText` before decoding (a sweep trial's values).
    public var configOverrides: String
    /// The config file's folder as an absolute path (see `data_files`); nil leaves it unrecorded.
    public var configFolder: String?
    /// Every data file the run's data was read from, recorded with the run.
    public var dataFiles: [DataFingerprint]

    public init(name: String, configPath: String, configText: String, seed: UInt64, netrunVersion: String,
                configOverrides: String = "", configFolder: String? = nil, dataFiles: [DataFingerprint] = []) {
        self.configOverrides = configOverrides
        self.configFolder = configFolder
        self.dataFiles = dataFiles
        self.name = name
        self.configPath = configPath
        self.configText = configText
        self.seed = seed
        self.netrunVersion = netrunVersion
    }
}

/// One measured value: a metric on a split at a step. NaN and infinities are stored as NULL.
public struct MetricPoint: Sendable, Equatable {
    public var step: Int
    public var epoch: Int
    /// `train` or `test`.
    public var split: String
    /// `loss` or `accuracy`.
    public var name: String
    public var value: Double

    public init(step: Int, epoch: Int, split: String, name: String, value: Double) {
        self.step = step
        self.epoch = epoch
        self.split = split
        self.name = name
        self.value = value
    }
}

/// One parameter tensor of a model, row-major.
public struct WeightTensor: Sendable, Equatable {
    /// Index of the layer in the model's layer list, from 0.
    public var layer: Int
    /// `weight` or `bias`, as PyTorch names them.
    public var name: String
    public var shape: [Int]
    /// Held as Doubles whatever the dtype; a float32 tensor's are Floats, exactly.
    public var values: [Double]
    /// What the values were computed in and are stored as.
    public var dtype: DType

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init<Scalar: NetScalar>(layer: Int, name: String, shape: [Int], values: [Scalar]) {
        self.init(layer: layer, name: name, shape: shape, values: values.map(Double.init), dtype: Scalar.dtype)
    }

    public init(layer: Int, name: String, shape: [Int], values: [Double], dtype: DType) {
        self.layer = layer
        self.name = name
        self.shape = shape
        self.values = values
        self.dtype = dtype
    }
}

/// A run as the store knows it, with the metrics of its last logged step.
public struct RunSummary: Sendable {
    public var id: Int64
    public var name: String
    public var configPath: String
    public var configText: String
    public var configOverrides: String
    public var configHash: String
    public var seed: UInt64
    public var status: RunStatus
    public var startedAt: String
    public var endedAt: String?
    public var steps: Int
    public var epochs: Int
    public var divergedStep: Int?
    public var message: String?
    public var netrunVersion: String
    public var trainLoss: Double?
    public var trainAccuracy: Double?
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    public var testLoss: Double?
    public var testAccuracy: Double?
    /// The process that trains the run (while `running`) or last trained it; nil for runs recorded
    /// before netrun kept owners.
    public var owner: ProcessOwner?
    /// When the run last wrote a log point or checkpoint (or started), UTC.
    public var heartbeatAt: String?
    /// With keep_best: the step whose weights are the run's model.
    public var bestStep: Int? = nil
    /// The time spent training, summed over its sessions, once closed; the wall-clock time from
    /// `startedAt` to `endedAt` also counts the gaps before each resume.
    public var trainingSeconds: Double? = nil
    /// When it was last resumed; nil if it never was.
    public var resumedAt: String? = nil
    /// The user's note on it (--note, netrun tag --note).
    public var note: String? = nil
    /// Samples in its training split, once its data was loaded.
    public var trainSamples: Int? = nil
}

/// What a run trained on, for reproducing it and for applying its model to new data.
public struct DataDescription: Sendable {
    public var trainSamples: Int
    public var validationSamples: Int?
    public var testSamples: Int?
    /// In class-id order, when the data names its classes.
    public var classNames: [String]?
    /// `scale` ([1]), `mean` and `std` ([features]), those that apply, as applied.
    public var preprocessing: [(name: String, values: [Double])]
    /// What the preprocessing was applied in (its values are exact in it) and is stored as.
    public var dtype: DType

    public init(trainSamples: Int, validationSamples: Int?, testSamples: Int?, classNames: [String]?,
                preprocessing: [(name: String, values: [Double])], dtype: DType = .float32) {
        self.dtype = dtype
        self.trainSamples = trainSamples
        self.validationSamples = validationSamples
        self.testSamples = testSamples
        self.classNames = classNames
        self.preprocessing = preprocessing
    }
}

/// Where a parameter tensor sits in a model: what the store needs besides its values.
public struct TensorLayout: Sendable, Equatable {
    public var layer: Int
    public var name: String
    public var shape: [Int]

    public init(layer: Int, name: String, shape: [Int]) {
        self.layer = layer
        self.name = name
        self.shape = shape
    }
}

/// How to train: the solver half of a config, kept apart from the model as Caffe keeps its
/// solver apart from its net.
public struct TrainingSettings: Sendable, Equatable {
    /// The base rate; `schedule` moves it from here.
    public var learningRate: Double
    /// How the rate changes: a main schedule (none keeps it) and an optional warmup.
    /// `learning_rate_decay: γ` is `exponential` with factor γ.
    public var schedule = ScheduleSettings()
    /// How parameters are updated (`training.optimizer`): SGD without momentum unless set.
    public var optimizer = OptimizerChoice(SGDSettings())
    /// SGD's momentum (`training.momentum`); 0 for plain SGD and for other optimizers.
    public var momentum: Double { (optimizer.settings as? SGDSettings)?.momentum ?? 0 }
    /// L2 strength: the objective adds 0.5 · reg · ΣW² (weights only).
    public var reg: Double
    public var epochs: Int
    /// When set, training runs this many steps instead of `epochs` passes (cs231n's `num_iters`).
    public var iterations: Int?
    /// Samples per step; nil trains on the whole training set at once.
    public var batchSize: Int?
    /// Reshuffle the training set every epoch (ignored for full-batch training).
    public var shuffle: Bool
    /// How batches are taken from the training set.
    public var sampling: Sampling = .withoutReplacement
    /// Evaluate and log every this many epochs, or steps when training by `iterations` (and always
    /// after the last).
    public var logEvery: Int
    /// Save a checkpoint every this many epochs (or steps, with `iterations`), and at the end;
    /// nil saves one at the end only.
    public var checkpointEvery: Int?
    /// Metrics logged beside the loss (and the accuracy, always logged for classifiers) at every
    /// log point, where they apply to the targets.
    public var metrics: [MetricName] = []
    /// What parameters, data and gradients are computed and stored in.
    public var dtype: DType = .float32
    /// Stop when a metric stops improving (checked at log points).
    public var earlyStopping: EarlyStopping?
    /// Keep the weights of the log point where this metric was best as the run's model.
    public var keepBest: Monitor?
    /// How the train split's loss and metrics are measured at a log point.
    public var trainMetrics = TrainMetrics.full

    public init(learningRate: Double, learningRateDecay: Double = 1, momentum: Double = 0, reg: Double = 0,
                epochs: Int = 0, iterations: Int? = nil, batchSize: Int? = nil, shuffle: Bool = true, logEvery: Int = 1,
                checkpointEvery: Int? = nil) {
        self.checkpointEvery = checkpointEvery
        self.learningRate = learningRate
        if learningRateDecay != 1 { schedule.main = ExponentialSchedule(factor: learningRateDecay) }
        self.iterations = iterations
        self.optimizer = OptimizerChoice(SGDSettings(momentum: momentum))
        self.reg = reg
        self.epochs = epochs
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.logEvery = logEvery
    }
}

/// How a step's batch is taken from the n training samples.
public enum Sampling: Sendable, Equatable {
    /// Each epoch visits every sample once, in an order reshuffled every epoch (when `shuffle`).
    case withoutReplacement
    /// Each step draws `batch_size` indices uniformly in 0..<n, independently, repeats allowed:
    /// cs231n's `np.random.choice(num_train, batch_size)`. An epoch is still ⌈n / batch_size⌉ steps.
    case withReplacement
}

/// How a log point measures the training split (`training.train_metrics`).
public enum TrainMetrics: String, Sendable, Equatable {
    /// Over the whole training split with the log point's weights: exact, one extra forward pass.
    case full
    /// The mean over the batches since the last log point, from the training forward passes
    /// themselves, as Keras reports it: free, but measured while the weights change (and with
    /// dropout active). A log point with no batches before it (step 0) is measured in full.
    case running
}

/// One measured value at a log point: `split` is `train`, `val` or `test`, `name` is `loss` or a
/// `MetricName`'s name (`accuracy`, `top5`, `macro_f1`, …).
public struct Metric: Sendable, Equatable {
    public var split: String
    public var name: String
    public var value: Double

    public init(split: String, name: String, value: Double) {
        self.split = split
        self.name = name
        self.value = value
    }
}

/// The metrics measured after `step` updates, in epoch `epoch` (0 is before training).
public struct LogPoint: Sendable, Equatable {
    public var epoch: Int
    public var step: Int
    public var metrics: [Metric]

    public init(epoch: Int, step: Int, metrics: [Metric]) {
        self.epoch = epoch
        self.step = step
        self.metrics = metrics
    }

    public func value(_ split: String, _ name: String) -> Double? {
        metrics.first { $0.split == split && $0.name == name }?.value
    }
}

/// How training ended.
public enum TrainingOutcome: Sendable, Equatable {
    case finished
    /// The objective became NaN or infinite at this step (1-based); no update was applied there.
    case diverged(step: Int, epoch: Int)
    /// Stopped on request after this many steps, with a checkpoint saved there.
    case interrupted(step: Int)
}

public struct TrainingResult: Sendable, Equatable {
    public var outcome: TrainingOutcome
    /// Updates applied.
    public var steps: Int
    /// Epochs completed (whole passes over the training set).
    public var epochs: Int
    /// The last log point, with the final metrics.
    public var final: LogPoint?
    /// Why training stopped before its last step (`early_stopping`), phrased for the user.
    public var stoppedEarly: String? = nil
    /// With `keep_best`: the step whose weights are the model (`Trainer.bestParameters`), nil
    /// when no log point measured the metric.
    public var bestStep: Int? = nil
}

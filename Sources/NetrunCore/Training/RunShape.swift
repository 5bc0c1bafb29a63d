/// The shape of a run on a training set: batch size, steps per epoch, steps in all, and how
/// batches are taken. Worked out once, before the first step.
struct RunShape {
    let samples: Int
    let batchSize: Int
    let stepsPerEpoch: Int
    let totalSteps: Int
    /// Sampling `with_replacement`: each batch is drawn at random.
    let drawsBatches: Bool
    /// One batch of every sample in order: nothing to shuffle or gather.
    let fullBatch: Bool
    let shuffles: Bool
    /// Intervals count steps (`iterations`) rather than epochs.
    let countsSteps: Bool

    init(_ settings: TrainingSettings, samples n: Int) {
        samples = n
        batchSize = min(settings.batchSize ?? n, n)
        drawsBatches = settings.sampling == .withReplacement
        fullBatch = batchSize == n && !drawsBatches
        shuffles = settings.shuffle && !fullBatch
        stepsPerEpoch = (n + batchSize - 1) / batchSize
        totalSteps = settings.iterations ?? settings.epochs * stepsPerEpoch
        countsSteps = settings.iterations != nil
    }

    /// Whether an interval of `every` epochs (steps, when training by iterations) ends at `step`.
    func isDue(_ every: Int?, step: Int, _ progress: TrainingProgress) -> Bool {
        guard let every else { return false }
        if countsSteps { return step % every == 0 }
        return step % stepsPerEpoch == 0 && progress.epoch % every == 0
    }
}

/// The data a run measures: `train` at every log point, `validation` beside it, `test` at the end.
struct Splits<Scalar: NetScalar> {
    let train: Dataset<Scalar>
    let validation: Dataset<Scalar>?
    let test: Dataset<Scalar>?
}

/// Picks each step's rows: the next slice of the epoch's order (reshuffled as an epoch starts),
/// or, with replacement, a fresh draw. Both come from `progress`, so a resumed run picks the same.
struct BatchPicker {
    let shape: RunShape
    /// With replacement each step's rows are drawn into this; `progress.order` stays 0..<n.
    private var drawn: [Int]

    init(_ shape: RunShape) {
        self.shape = shape
        drawn = [Int](repeating: 0, count: shape.drawsBatches ? shape.batchSize : 0)
    }

    /// The rows of step `step` (1-based); nil for the whole set in order.
    mutating func rows(forStep step: Int, _ progress: inout TrainingProgress) -> ArraySlice<Int>? {
        if shape.drawsBatches {
            drawIndices(&drawn, below: shape.samples, using: &progress.generator)
            return drawn[...]
        }
        let position = (step - 1) % shape.stepsPerEpoch
        if position == 0, shape.shuffles { shuffle(&progress.order, using: &progress.generator) }
        if shape.fullBatch { return nil }
        let start = position * shape.batchSize
        return progress.order[start..<min(start + shape.batchSize, shape.samples)]
    }
}

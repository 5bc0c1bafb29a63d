/// Runs mini-batch SGD over a training set, evaluating and reporting at the log interval.
///
/// Reporting goes through a closure so the trainer knows nothing of printing or databases.
public final class Trainer<Scalar: NetScalar> {
    public let network: Network<Scalar>
    public let settings: TrainingSettings
    public let optimizer: SGD<Scalar>
    public private(set) var generator: SplitMix64

    private let parameters: [Parameter<Scalar>]
    private let batchInputs: Matrix<Scalar>
    private let batchTargets: Matrix<Scalar>
    /// Rows evaluated at once: bounds the layers' buffers when measuring a large split.
    private let evaluationChunk = 1024

    public init(network: Network<Scalar>, settings: TrainingSettings, generator: SplitMix64) {
        self.network = network
        self.settings = settings
        self.optimizer = SGD(learningRate: settings.learningRate, momentum: settings.momentum)
        self.generator = generator
        parameters = network.parameters.map(\.parameter)
        batchInputs = Matrix(rows: 0, cols: network.inputSize)
        batchTargets = Matrix(rows: 0, cols: network.outputSize)
    }

    /// Trains on `train`, measuring `train` and `validation` (if any) at step 0, at the log
    /// interval and at the end, and `test` (if any) once at the end of a finished run.
    /// Stops at the first non-finite objective.
    public func run(train: Dataset<Scalar>, validation: Dataset<Scalar>? = nil, test: Dataset<Scalar>? = nil,
                    report: (LogPoint) throws -> Void) rethrows -> TrainingResult {
        let n = train.count
        let batchSize = min(settings.batchSize ?? n, n)
        let fullBatch = batchSize == n
        let stepsPerEpoch = (n + batchSize - 1) / batchSize
        let totalSteps = settings.iterations ?? settings.epochs * stepsPerEpoch
        var order = Array(0..<n)
        var epoch = 0
        var last = measure(epoch: 0, step: 0, train: train, validation: validation)
        try report(last)

        for step in 1...max(totalSteps, 1) where totalSteps > 0 {
            let position = (step - 1) % stepsPerEpoch
            if position == 0, settings.shuffle, !fullBatch { shuffle(&order, using: &generator) }
            let start = position * batchSize
            let (x, t) = fullBatch ? (train.inputs, train.targets) : batch(train, order[start..<min(start + batchSize, n)])
            let (objective, dataLoss) = network.computeGradients(x, t, reg: settings.reg)
            guard objective.isFinite else {
                let point = LogPoint(epoch: epoch + 1, step: step, metrics: [Metric(split: "train", name: "loss", value: dataLoss)])
                try report(point)
                return TrainingResult(outcome: .diverged(step: step, epoch: epoch + 1), steps: step - 1,
                                      epochs: epoch, final: point)
            }
            optimizer.step(parameters)

            let endsEpoch = step % stepsPerEpoch == 0
            if endsEpoch {
                epoch += 1
                optimizer.learningRate *= settings.learningRateDecay
            }
            let logs = settings.iterations == nil
                ? endsEpoch && epoch % settings.logEvery == 0
                : step % settings.logEvery == 0
            if logs || step == totalSteps {
                last = measure(epoch: epoch, step: step, train: train, validation: validation)
                if step == totalSteps, let test, last.value("train", "loss")?.isFinite ?? false {
                    last.metrics += evaluate(test).metrics(split: "test")
                }
                try report(last)
                // Updates can overflow the weights after the last finite objective.
                if let loss = last.value("train", "loss"), !loss.isFinite {
                    return TrainingResult(outcome: .diverged(step: step, epoch: epoch), steps: step,
                                          epochs: epoch, final: last)
                }
            }
        }
        return TrainingResult(outcome: .finished, steps: totalSteps, epochs: epoch, final: last)
    }

    private func batch(_ data: Dataset<Scalar>, _ indices: ArraySlice<Int>) -> (Matrix<Scalar>, Matrix<Scalar>) {
        gatherRows(batchInputs, from: data.inputs, indices)
        gatherRows(batchTargets, from: data.targets, indices)
        return (batchInputs, batchTargets)
    }

    private func measure(epoch: Int, step: Int, train: Dataset<Scalar>, validation: Dataset<Scalar>?) -> LogPoint {
        var metrics = evaluate(train).metrics(split: "train")
        if let validation { metrics += evaluate(validation).metrics(split: "val") }
        return LogPoint(epoch: epoch, step: step, metrics: metrics)
    }

    /// The mean data loss and the accuracy of the current model over a whole data set.
    public func evaluate(_ data: Dataset<Scalar>) -> Evaluation {
        var lossSum = 0.0, correct = 0
        var order = Array(0..<data.count)[...]
        while !order.isEmpty {
            let chunk = order.prefix(evaluationChunk)
            order = order.dropFirst(chunk.count)
            let (x, t) = batch(data, chunk)
            let output = network.forward(x)
            lossSum += network.loss.forward(output, t) * Double(chunk.count)
            correct += correctCount(network.loss.prediction(from: output), t, kind: data.kind) ?? 0
        }
        let count = Double(max(data.count, 1))
        return Evaluation(loss: lossSum / count,
                          accuracy: data.kind == .real ? nil : Double(correct) / count)
    }
}

/// A model's measured quality on one data set.
public struct Evaluation: Sendable, Equatable {
    public var loss: Double
    public var accuracy: Double?

    public func metrics(split: String) -> [Metric] {
        [Metric(split: split, name: "loss", value: loss)]
            + (accuracy.map { [Metric(split: split, name: "accuracy", value: $0)] } ?? [])
    }
}

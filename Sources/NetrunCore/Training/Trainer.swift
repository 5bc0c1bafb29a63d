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

    /// Trains on `train`, measuring `train` and the held-out `test` (if any) at epoch 0, every
    /// `logEvery` epochs and at the end. Stops at the first non-finite objective.
    public func run(train: Dataset<Scalar>, test: Dataset<Scalar>?,
                    report: (LogPoint) throws -> Void) rethrows -> TrainingResult {
        let n = train.count
        let batchSize = min(settings.batchSize ?? n, n)
        let fullBatch = batchSize == n
        var order = Array(0..<n)
        var step = 0
        var last = measure(epoch: 0, step: 0, train: train, test: test)
        try report(last)

        for epoch in 1...max(settings.epochs, 1) where settings.epochs > 0 {
            if settings.shuffle && !fullBatch { shuffle(&order, using: &generator) }
            for start in stride(from: 0, to: n, by: batchSize) {
                let (x, t) = fullBatch
                    ? (train.inputs, train.targets)
                    : batch(train, order[start..<min(start + batchSize, n)])
                let (objective, dataLoss) = network.computeGradients(x, t, reg: settings.reg)
                guard objective.isFinite else {
                    let point = LogPoint(epoch: epoch, step: step + 1,
                                         metrics: [Metric(split: "train", name: "loss", value: dataLoss)])
                    try report(point)
                    return TrainingResult(outcome: .diverged(step: step + 1, epoch: epoch), steps: step,
                                          epochs: epoch - 1, final: point)
                }
                optimizer.step(parameters)
                step += 1
            }
            if epoch % settings.logEvery == 0 || epoch == settings.epochs {
                last = measure(epoch: epoch, step: step, train: train, test: test)
                try report(last)
                // Updates can overflow the weights after the last finite objective.
                if let loss = last.value("train", "loss"), !loss.isFinite {
                    return TrainingResult(outcome: .diverged(step: step, epoch: epoch), steps: step,
                                          epochs: epoch, final: last)
                }
            }
        }
        return TrainingResult(outcome: .finished, steps: step, epochs: settings.epochs, final: last)
    }

    private func batch(_ data: Dataset<Scalar>, _ indices: ArraySlice<Int>) -> (Matrix<Scalar>, Matrix<Scalar>) {
        gatherRows(batchInputs, from: data.inputs, indices)
        gatherRows(batchTargets, from: data.targets, indices)
        return (batchInputs, batchTargets)
    }

    private func measure(epoch: Int, step: Int, train: Dataset<Scalar>, test: Dataset<Scalar>?) -> LogPoint {
        var metrics = evaluate(train).metrics(split: "train")
        if let test { metrics += evaluate(test).metrics(split: "test") }
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

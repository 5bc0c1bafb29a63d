@testable import NetrunCore
import XCTest

/// `train_metrics: running`: the train split's loss and metrics at a log point are the mean over
/// the batches since the last one, from the training forward passes, as Keras reports them.
final class TrainMetricsTests: XCTestCase {
    /// 10 samples of 3 features in 3 classes: batches of 4 leave a last batch of 2.
    private let data: Dataset<Double> = {
        var generator = SplitMix64(seed: 5)
        return Dataset(inputs: randomMatrix(10, 3, generator: &generator), targets: oneHot(10, classes: 3, generator: &generator),
                       kind: .classes(count: 3))
    }()

    private func network() -> Network<Double> {
        var generator = SplitMix64(seed: 6)
        let dense = Dense<Double>(inputSize: 3, outputSize: 3)
        Initialization.xavier(gain: 1).fill(dense.weight.value, using: &generator)
        return Network(inputSize: 3, layers: [dense], loss: SoftmaxCrossEntropy())
    }

    private func settings(_ metrics: TrainMetrics) -> TrainingSettings {
        var settings = TrainingSettings(learningRate: 0.5, epochs: 2, batchSize: 4, shuffle: false, logEvery: 1)
        settings.trainMetrics = metrics
        return settings
    }

    private func log(_ metrics: TrainMetrics) throws -> [LogPoint] {
        var log: [LogPoint] = []
        _ = try Trainer(network: network(), settings: settings(metrics), generator: SplitMix64(seed: 1))
            .run(train: data) { log.append($0) }
        return log
    }

    func testRunningTrainLossIsTheSampleMeanOfTheEpochsBatchLosses() throws {
        // The same steps by hand: each batch's loss and hits before its update, weighted by its rows.
        let net = network(), sgd = SGD<Double>()
        var expected: [(loss: Double, accuracy: Double)] = []
        for _ in 0..<2 {
            var lossSum = 0.0, correct = 0
            for rows in [0..<4, 4..<8, 8..<10] {
                let batch = data.subset(Array(rows))
                lossSum += net.computeGradients(batch.inputs, batch.targets, reg: 0).dataLoss * Double(rows.count)
                correct += correctCount(net.predict(batch.inputs), batch.targets, kind: data.kind)!
                sgd.step(net.parameters.map(\.parameter), learningRate: 0.5)
            }
            expected.append((lossSum / 10, Double(correct) / 10))
        }
        let running = try log(.running), full = try log(.full)
        XCTAssertEqual(running.map(\.step), [0, 3, 6])
        for (point, wanted) in zip(running.dropFirst(), expected) {
            XCTAssertEqual(point.value("train", "loss")!, wanted.loss, accuracy: 1e-12)
            XCTAssertEqual(point.value("train", "accuracy"), wanted.accuracy)
        }
        // Step 0 has no batches before it: it is measured over the whole split, as `full` does.
        XCTAssertEqual(running[0], full[0])
        // The weights see the same steps either way; only what the train split reports differs.
        XCTAssertNotEqual(running[1].value("train", "loss"), full[1].value("train", "loss"))
    }

    func testRunningMetricsLeaveOutTheIgnoredLabelAsTheLossDoes() throws {
        var options = LossOptions()
        options.ignoreLabel = 0
        let dense = Dense<Double>(inputSize: 3, outputSize: 3)
        let net = Network<Double>(inputSize: 3, layers: [dense], loss: SoftmaxCrossEntropy(options: options))
        var settings = settings(.running)
        settings.epochs = 1
        settings.learningRate = 0  // the weights stay zero: every prediction is class 0 (the first of equals)
        var log: [LogPoint] = []
        _ = try Trainer(network: net, settings: settings, generator: SplitMix64(seed: 1)).run(train: data) { log.append($0) }
        let kept = (0..<10).filter { data.targets[$0, 0] != 1 }.count
        XCTAssertTrue((1..<10).contains(kept), "some samples of class 0 and some of others")
        XCTAssertEqual(log.last?.value("train", "accuracy"), 0, "class 0 rows are not counted as hits")
        XCTAssertEqual(log.last!.value("train", "loss")!, log.first!.value("train", "loss")!, accuracy: 1e-12)
    }

    func testRunningMetricsOfShardedBatchesAreTheSameOnOneThreadAndTwo() throws {
        // 160 → 100 → dropout → 10: batches of 128 are cut in two shards, whose counts merge in shard order.
        func log(threads: Int) throws -> [LogPoint] {
            let saved = ComputeThreads.limit
            ComputeThreads.limit = threads
            defer { ComputeThreads.limit = saved }
            var generator = SplitMix64(seed: 8)
            let hidden = Dense<Float>(inputSize: 160, outputSize: 100), output = Dense<Float>(inputSize: 100, outputSize: 10)
            Initialization.he(gain: 1).fill(hidden.weight.value, using: &generator)
            let network = Network<Float>(inputSize: 160, layers: [hidden, ActivationLayer(.relu, size: 100),
                                                                  Dropout(p: 0.2, size: 100, seed: 3), output],
                                         loss: SoftmaxCrossEntropy())
            let data = Dataset<Float>(inputs: randomMatrix(300, 160, generator: &generator).converted(),
                                      targets: oneHot(300, classes: 10, generator: &generator).converted(), kind: .classes(count: 10))
            var settings = TrainingSettings(learningRate: 0.05, momentum: 0.9, epochs: 2, batchSize: 128, logEvery: 1)
            settings.trainMetrics = .running
            settings.metrics = [.topK(3), .macroF1]
            var log: [LogPoint] = []
            _ = try Trainer(network: network, settings: settings, generator: SplitMix64(seed: 2)).run(train: data) { log.append($0) }
            return log
        }
        let one = try log(threads: 1), two = try log(threads: 2)
        XCTAssertEqual(one.count, 3)
        XCTAssertEqual(one, two)
    }
}

import Foundation
import NetrunCore
import XCTest

/// Each schedule's rates, as the trainer logs them (`train_lr`, the rate the next step uses),
/// against PyTorch's schedulers (Tests/Fixtures/schedules/pytorch_lr.json, made by
/// make_pytorch_lr.py), and early stopping's count against Keras' rule.
final class ScheduleTests: XCTestCase {
    private let data = Dataset<Float>(inputs: Matrix((0..<10).map { [Float($0) / 10, 1 - Float($0) / 10] }),
                                      targets: Matrix((0..<10).map { $0 % 2 == 0 ? [1, 0] : [0, 1] }),
                                      kind: .classes(count: 2))

    private struct Sequence: Decodable {
        var rates: [Double]
        var metrics: [Double]?
    }

    private struct Fixture: Decodable {
        var exponential, step, cosine, warmup, warmupCosine, plateauMin, plateauMax: Sequence
    }

    private func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/schedules/pytorch_lr.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// The `train_lr` of every log point of a run logged at every step or epoch.
    private func loggedRates(_ settings: TrainingSettings) throws -> [Double] {
        var generator = SplitMix64(seed: 3)
        let dense = Dense<Float>(inputSize: 2, outputSize: 2)
        Initialization.xavier(gain: 1).fill(dense.weight.value, using: &generator)
        let trainer = Trainer(network: Network(inputSize: 2, layers: [dense], loss: SoftmaxCrossEntropy()),
                              settings: settings, generator: generator)
        var rates: [Double] = []
        _ = try trainer.run(train: data) { rates.append(try XCTUnwrap($0.value("train", "lr"))) }
        return rates
    }

    private func assertClose(_ actual: [Double], _ expected: [Double], tolerance: Double = 0,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, "\(actual)", file: file, line: line)
        for (a, e) in zip(actual, expected) {
            XCTAssertLessThanOrEqual(abs(a - e), tolerance * max(abs(e), 1), "\(actual) vs \(expected)", file: file, line: line)
        }
    }

    func testExponentialMatchesExponentialLRSteppedPerEpochBitForBit() throws {
        var settings = TrainingSettings(learningRate: 0.5, epochs: 6)  // full batch: a step is an epoch
        settings.schedule.main = ExponentialSchedule(factor: 0.9)
        XCTAssertEqual(try loggedRates(settings), try fixture().exponential.rates)
    }

    func testLearningRateDecayIsTheExponentialSchedule() throws {
        XCTAssertEqual(TrainingSettings(learningRate: 0.5, learningRateDecay: 0.9, epochs: 6).schedule,
                       ScheduleSettings(main: ExponentialSchedule(factor: 0.9)))
    }

    func testStepMatchesStepLRSteppedPerEpoch() throws {
        var settings = TrainingSettings(learningRate: 0.5, epochs: 7, batchSize: 4, logEvery: 1)
        settings.schedule.main = StepSchedule(every: 2, factor: 0.5)
        XCTAssertEqual(try loggedRates(settings), try fixture().step.rates)
    }

    func testCosineMatchesCosineAnnealingLRSteppedPerStepOverTheRun() throws {
        var settings = TrainingSettings(learningRate: 0.5, iterations: 10, batchSize: 4, logEvery: 1)
        settings.schedule.main = CosineSchedule(minRate: 0.01)
        assertClose(try loggedRates(settings), try fixture().cosine.rates, tolerance: 1e-14)
    }

    func testWarmupMatchesLinearLRAndMultipliesCosineAsChainedSchedulerDoes() throws {
        var settings = TrainingSettings(learningRate: 0.5, iterations: 6, batchSize: 4, logEvery: 1)
        settings.schedule.warmupSteps = 4
        XCTAssertEqual(try loggedRates(settings), try fixture().warmup.rates)
        settings.iterations = 10
        settings.schedule.main = CosineSchedule(minRate: 0)
        assertClose(try loggedRates(settings), try fixture().warmupCosine.rates, tolerance: 1e-14)
    }

    func testPlateauMatchesReduceLROnPlateau() throws {
        let fixture = try fixture()
        for (name, metric, patience, factor) in [("min", Monitor(split: "val", name: "loss"), 1, 0.5),
                                                 ("max", Monitor(split: "val", name: "accuracy"), 0, 0.1)] {
            let expected = name == "min" ? fixture.plateauMin : fixture.plateauMax
            let plateau = PlateauSchedule(metric: metric, patience: patience, factor: factor)
            var rate = 0.5, watch = MetricWatch(), rates: [Double] = []
            for (step, value) in try XCTUnwrap(expected.metrics).enumerated() {
                let point = LogPoint(epoch: step + 1, step: step + 1, metrics: [Metric(split: "val", name: metric.name, value: value)])
                rate = plateau.rate(afterLogging: point, current: rate, watch: &watch)
                rates.append(rate)
            }
            XCTAssertEqual(rates, expected.rates, name)
        }
    }

    func testEarlyStoppingCountsLogPointsWithoutAnImprovementOfMoreThanMinDelta() {
        let stopping = EarlyStopping(metric: Monitor(split: "val", name: "loss"), patience: 2, minDelta: 0.01)
        var watch = MetricWatch()
        // 1.0 sets the best; 0.995 improves by less than min_delta (bad 1); 0.98 by more (bad 0);
        // 0.975 and 0.99 do not: the second of them is the patience-th, and training stops.
        let stops = [1.0, 0.995, 0.98, 0.975, 0.99].enumerated().map { step, value in
            stopping.shouldStop(after: LogPoint(epoch: step, step: step + 1,
                                                metrics: [Metric(split: "val", name: "loss", value: value)]), &watch)
        }
        XCTAssertEqual(stops, [false, false, false, false, true])
        XCTAssertEqual(watch.best, 0.98)
    }

    func testAMissingOrNaNMetricIsNeverAnImprovement() {
        var watch = MetricWatch()
        let metric = Monitor(split: "val", name: "accuracy")
        XCTAssertTrue(metric.maximize)
        XCTAssertFalse(watch.observe(LogPoint(epoch: 1, step: 1, metrics: []), metric) { $0 > $1 })
        XCTAssertFalse(watch.observe(LogPoint(epoch: 1, step: 2, metrics: [Metric(split: "val", name: "accuracy", value: .nan)]),
                                     metric) { $0 > $1 })
        XCTAssertEqual(watch.badCount, 2)
        XCTAssertNil(watch.best)
    }
}

import NetrunCore
@testable import NetrunStore
import XCTest

/// `train_metrics: running`'s counts in a checkpoint: read back exactly, whatever they hold.
final class RunningCountsStoreTests: XCTestCase {
    func testCountsReadBackToTheBitWithTopKConfusionMomentsAndNonFiniteSums() throws {
        var generator = SplitMix64(seed: 5)
        var classes = MetricCounts(kind: .classes(count: 3), outputs: 3, topK: [1, 2])
        classes.count = 17
        classes.correct = 9
        classes.lossSum = generator.nextUnit() * 1e3
        classes.lossNormalizer = 17
        classes.confusion = [[3, 1, 0], [2, 4, 1], [0, 2, 4]]
        classes.topK = [1: 9, 2: 15]
        var real = MetricCounts(kind: .real, outputs: 2)
        real.lossSum = .infinity
        real.lossNormalizer = .nan
        real.outputs = [OutputMoments(), OutputMoments()]
        real.outputs![1].add(prediction: generator.nextUnit(), target: 1 / 3)
        for sample in 0..<200 {
            let value = (generator.nextUnit() - 0.5) * pow(10, Double(sample % 40 - 20))
            classes.lossSum = value
            let counts = RunningCounts(shards: [classes, real], rows: sample)
            let back = try XCTUnwrap(RunStore.running(from: try RunStore.runningText(counts)))
            XCTAssertEqual(back.shards[0].lossSum.bitPattern, value.bitPattern)
            XCTAssertEqual(back.shards[0], classes)
            XCTAssertEqual(back.shards[1].lossSum, Double.infinity)
            XCTAssertTrue(back.shards[1].lossNormalizer.isNaN)
            XCTAssertEqual(back.shards[1].outputs, real.outputs)
            XCTAssertEqual(back.rows, sample)
        }
        XCTAssertNil(RunStore.running(from: "{\"rows\": 5}"))
    }
}

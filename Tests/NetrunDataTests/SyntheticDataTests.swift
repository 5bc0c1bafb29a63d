import NetrunCore
import NetrunData
import XCTest

final class SyntheticDataTests: XCTestCase {
    func testSameSeedGivesSameSamples() {
        func all(seed: UInt64) -> [LabeledSamples] {
            var generator = SplitMix64(seed: seed)
            return [SyntheticData.xor(count: 20, generator: &generator),
                    SyntheticData.spiral(classes: 3, perClass: 10, generator: &generator),
                    SyntheticData.blobs(classes: 2, perClass: 5, dimensions: 3, generator: &generator)]
        }
        XCTAssertEqual(all(seed: 42), all(seed: 42))
        XCTAssertNotEqual(all(seed: 42), all(seed: 43))
    }

    func testXorHasTwoFeaturesAndSignLabels() {
        var generator = SplitMix64(seed: 1)
        let samples = SyntheticData.xor(count: 200, generator: &generator)
        XCTAssertEqual(samples.rows, 200)
        XCTAssertEqual(samples.width, 2)
        for row in 0..<samples.rows {
            let x = samples.features[2 * row], y = samples.features[2 * row + 1]
            XCTAssert((-1...1).contains(x) && (-1...1).contains(y))
            XCTAssertEqual(samples.labels[row], (x > 0) != (y > 0) ? 1 : 0)
        }
        XCTAssertEqual(Set(samples.labels), [0, 1])
    }

    func testSpiralHasOneArmPerClass() {
        var generator = SplitMix64(seed: 2)
        let samples = SyntheticData.spiral(classes: 3, perClass: 50, noise: 0.2, generator: &generator)
        XCTAssertEqual(samples.rows, 150)
        XCTAssertEqual(samples.width, 2)
        XCTAssertEqual(samples.labels, (0..<3).flatMap { Array(repeating: $0, count: 50) })
        for row in 0..<samples.rows {
            let x = samples.features[2 * row], y = samples.features[2 * row + 1]
            XCTAssertLessThanOrEqual((x * x + y * y).squareRoot(), 1.0001)
        }
    }

    func testBlobsHaveTheAskedSizesAndLabelsInRange() {
        var generator = SplitMix64(seed: 3)
        let samples = SyntheticData.blobs(classes: 4, perClass: 25, dimensions: 5, spread: 0.5, generator: &generator)
        XCTAssertEqual(samples.rows, 100)
        XCTAssertEqual(samples.width, 5)
        XCTAssertEqual(samples.features.count, 500)
        XCTAssertEqual(Set(samples.labels), [0, 1, 2, 3])
        XCTAssert(samples.features.allSatisfy { $0.isFinite && abs($0) < 10 + 0.5 * 8 })
    }

    func testEmptyCountsGiveNoRows() {
        var generator = SplitMix64(seed: 4)
        XCTAssertEqual(SyntheticData.xor(count: 0, generator: &generator).rows, 0)
        XCTAssertEqual(SyntheticData.spiral(classes: 3, perClass: 0, generator: &generator).rows, 0)
    }
}

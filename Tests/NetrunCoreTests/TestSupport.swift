import NetrunCore
import XCTest

/// A matrix of uniform values in [low, high), drawn from a fixed seed.
func randomMatrix(_ rows: Int, _ cols: Int, _ low: Double = -1, _ high: Double = 1,
                  generator: inout SplitMix64) -> Matrix<Double> {
    Matrix(rows: rows, cols: cols, values: (0..<rows * cols).map { _ in low + (high - low) * generator.nextUnit() })
}

/// Values in ±[0.1, 1): keeps ReLU-family inputs away from their kink at 0, where centered
/// differences straddle two slopes.
func awayFromZero(_ rows: Int, _ cols: Int, generator: inout SplitMix64) -> Matrix<Double> {
    let m = randomMatrix(rows, cols, 0.1, 1, generator: &generator)
    for i in 0..<m.count where generator.nextUnit() < 0.5 { m.storage[i] = -m.storage[i] }
    return m
}

/// One-hot rows for random classes.
func oneHot(_ rows: Int, classes: Int, generator: inout SplitMix64) -> Matrix<Double> {
    let m = Matrix<Double>(rows: rows, cols: classes)
    for r in 0..<rows { m[r, Int(generator.next() % UInt64(classes))] = 1 }
    return m
}

/// dL/d(prediction) of a loss against centered differences of the loss itself.
func lossGradientError(_ loss: any Loss<Double>, prediction: Matrix<Double>, target: Matrix<Double>,
                       step: Double = 1e-5) -> Double {
    _ = loss.forward(prediction, target)
    let analytic = loss.backward().values
    var worst = 0.0
    for i in 0..<prediction.count {
        let original = prediction.storage[i]
        prediction.storage[i] = original + step
        let plus = loss.forward(prediction, target)
        prediction.storage[i] = original - step
        let minus = loss.forward(prediction, target)
        prediction.storage[i] = original
        let numeric = (plus - minus) / (2 * step)
        worst = max(worst, abs(analytic[i] - numeric) / max(abs(analytic[i]), abs(numeric), 1e-4))
    }
    return worst
}

func assertValues<S: NetScalar>(_ m: Matrix<S>, _ expected: [Double], accuracy: Double,
                                file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(m.count, expected.count, "count", file: file, line: line)
    for (a, e) in zip(m.values, expected) {
        XCTAssertEqual(Double(a), e, accuracy: accuracy, file: file, line: line)
    }
}

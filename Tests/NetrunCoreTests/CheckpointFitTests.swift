import NetrunCore
import XCTest

/// A checkpoint's indices and sizes reach raw pointers, so what does not fit is named first.
final class CheckpointFitTests: XCTestCase {
    private func progress(_ order: [Int]) -> TrainingProgress {
        TrainingProgress(step: 1, epoch: 0, learningRate: 0.1, generator: SplitMix64(seed: 1), order: order)
    }

    func testASampleOrderFitsOnlyAPermutationOfTheTrainingRows() {
        XCTAssertNil(progress([2, 0, 1]).orderMismatch(samples: 3))
        XCTAssertEqual(progress([2, 0, 1]).orderMismatch(samples: 2), "its sample order has 3 samples, the training data 2")
        XCTAssertEqual(progress([0, 5, 1]).orderMismatch(samples: 3),
                       "its sample order names sample 5, out of range for 3 training samples")
        XCTAssertEqual(progress([0, -1, 1]).orderMismatch(samples: 3),
                       "its sample order names sample -1, out of range for 3 training samples")
        XCTAssertEqual(progress([1, 0, 1]).orderMismatch(samples: 3), "its sample order names sample 1 twice")
    }

    func testCheckpointTensorsMustMatchTheParameterSizes() {
        let checkpoint = Checkpoint<Float>(progress: progress([0]), parameters: [[1, 2], [3]], velocities: [])
        XCTAssertNil(checkpoint.mismatch(parameterSizes: [2, 1]))
        XCTAssertEqual(checkpoint.mismatch(parameterSizes: [2, 2]), "parameter 1 has 1 values, the model's 2")
        XCTAssertEqual(checkpoint.mismatch(parameterSizes: [2]), "2 parameter tensors for 1 parameters")
        let momentum = Checkpoint<Float>(progress: progress([0]), parameters: [[1, 2], [3]], velocities: [[0, 0], []])
        XCTAssertEqual(momentum.mismatch(parameterSizes: [2, 1]), "momentum 1 has 0 values, the model's 1")
    }
}

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
        let sgd = OptimizerChoice(SGDSettings())
        let checkpoint = Checkpoint<Float>(progress: progress([0]), parameters: [[1, 2], [3]])
        XCTAssertNil(checkpoint.mismatch(parameterSizes: [2, 1], optimizer: sgd))
        XCTAssertEqual(checkpoint.mismatch(parameterSizes: [2, 2], optimizer: sgd), "parameter 1 has 1 values, the model's 2")
        XCTAssertEqual(checkpoint.mismatch(parameterSizes: [2], optimizer: sgd), "2 parameter tensors for 1 parameters")
        let momentum = Checkpoint<Float>(progress: progress([0]), parameters: [[1, 2], [3]],
                                         optimizerState: ["velocity": [[0, 0], []]])
        XCTAssertEqual(momentum.mismatch(parameterSizes: [2, 1], optimizer: OptimizerChoice(SGDSettings(momentum: 0.9))),
                       "velocity 1 has 0 values, the model's 1")
    }

    func testEveryOptimizerStateTensorMustFitAndBelongToTheOptimizer() {
        let adam = OptimizerChoice(AdamSettings()), amsgrad = OptimizerChoice(AdamSettings(amsgrad: true))
        let sizes = [2, 1]
        func checkpoint(step: Int = 1, _ state: [String: [[Float]]]) -> Checkpoint<Float> {
            var made = Checkpoint<Float>(progress: progress([0]), parameters: [[1, 2], [3]], optimizerState: state)
            made.progress.step = step
            return made
        }
        let moments: [String: [[Float]]] = ["exp_avg": [[0, 0], [0]], "exp_avg_sq": [[0, 0], [0]]]
        XCTAssertNil(checkpoint(moments).mismatch(parameterSizes: sizes, optimizer: adam))
        XCTAssertNil(checkpoint(step: 0, [:]).mismatch(parameterSizes: sizes, optimizer: adam), "before the first step")
        XCTAssertEqual(checkpoint([:]).mismatch(parameterSizes: sizes, optimizer: adam),
                       "it has no optimizer state 'exp_avg', which adam keeps after step 1")
        XCTAssertEqual(checkpoint(moments).mismatch(parameterSizes: sizes, optimizer: amsgrad),
                       "it has no optimizer state 'max_exp_avg_sq', which adam keeps after step 1")
        XCTAssertEqual(checkpoint(step: 0, moments).mismatch(parameterSizes: sizes, optimizer: adam),
                       "it holds optimizer state 'exp_avg' before any step")
        XCTAssertEqual(checkpoint(["velocity": [[0, 0], [0]]]).mismatch(parameterSizes: sizes, optimizer: adam),
                       "it holds optimizer state 'velocity', which adam does not keep")
        XCTAssertEqual(checkpoint(moments).mismatch(parameterSizes: sizes, optimizer: OptimizerChoice(SGDSettings(momentum: 0.5))),
                       "it holds optimizer state 'exp_avg', which sgd does not keep")
        var short = moments
        short["exp_avg_sq"] = [[0, 0]]
        XCTAssertEqual(checkpoint(short).mismatch(parameterSizes: sizes, optimizer: adam), "1 exp_avg_sq tensors for 2 parameters")
        short["exp_avg_sq"] = [[0, 0], [0, 0]]
        XCTAssertEqual(checkpoint(short).mismatch(parameterSizes: sizes, optimizer: adam), "exp_avg_sq 1 has 2 values, the model's 1")
    }
}

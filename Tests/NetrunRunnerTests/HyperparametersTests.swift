import NetrunConfig
import NetrunRunner
import NetrunStore
import XCTest

/// A config's resolved settings as the `hyperparameters` table keeps them.
final class HyperparametersTests: XCTestCase {
    private func settings(_ training: String, layers: String = "[{dense: {units: 8, activation: relu}}, {dropout: {p: 0.25}}, {dense: 3}]")
        throws -> [String: Hyperparameter] {
        let config = try ConfigLoader.decode(text: """
            seed: 7
            data: {synthetic: {kind: blobs, classes: 3, per_class: 10, dimensions: 2, spread: 1}}
            model: {layers: \(layers)}
            loss: softmax_cross_entropy
            training: \(training)

            """, path: "test.yaml")
        return Dictionary(uniqueKeysWithValues: Hyperparameters.of(config, trainSamples: 30).map { ($0.key, $0) })
    }

    func testAdamItsOptionsIterationsScheduleAndLayersAreRecorded() throws {
        let values = try settings("{optimizer: {adam: {betas: [0.8, 0.999]}}, learning_rate: 0.003, iterations: 40, batch_size: 10, "
                                  + "schedule: {cosine: {min_lr: 0}, warmup: {steps: 5}}}")
        XCTAssertEqual(values["training.optimizer"]?.text, "adam")
        XCTAssertEqual(values["training.optimizer.beta1"]?.value, 0.8)
        XCTAssertEqual(values["training.optimizer.beta2"]?.value, 0.999)
        XCTAssertNil(values["training.optimizer.momentum"], "momentum is training.momentum, recorded once")
        XCTAssertEqual(values["training.momentum"]?.value, 0)
        XCTAssertEqual(values["training.iterations"]?.value, 40)
        XCTAssertNil(values["training.epochs"], "iterations size the run")
        XCTAssertEqual(values["training.batch_size"]?.value, 10)
        XCTAssertEqual(values["training.learning_rate"], Hyperparameter(key: "training.learning_rate", value: 0.003, text: "0.003"))
        XCTAssertEqual(values["training.warmup_steps"]?.value, 5)
        XCTAssertTrue(values["training.schedule"]?.text.hasPrefix("cosine") ?? false, "\(String(describing: values["training.schedule"]))")
        XCTAssertEqual(values["seed"]?.value, 7)
        XCTAssertEqual(values["model.layers[0].units"]?.value, 8)
        XCTAssertEqual(values["model.layers[0].activation"]?.text, "relu")
        XCTAssertEqual(values["model.layers[1].dropout"]?.value, 0.25)
        XCTAssertEqual(values["model.layers[2].activation"]?.text, "none")
    }

    func testFullBatchIsTheTrainingSetAndSGDMomentumIsTrainingMomentum() throws {
        let values = try settings("{learning_rate: 1e-7, reg: 25000, momentum: 0.9, epochs: 3}")
        XCTAssertEqual(values["training.batch_size"]?.value, 30)
        XCTAssertEqual(values["training.learning_rate"]?.text, "1e-07")
        XCTAssertEqual(values["training.reg"], Hyperparameter(key: "training.reg", value: 25000, text: "25000"))
        XCTAssertEqual(values["training.momentum"]?.value, 0.9)
        XCTAssertEqual(values["training.optimizer"]?.text, "sgd")
        XCTAssertEqual(values["training.schedule"]?.text, "none")
        XCTAssertEqual(values["training.epochs"]?.value, 3)
    }
}

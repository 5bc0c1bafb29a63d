@testable import NetrunConfig
import NetrunCore
import XCTest

/// Layer and activation names come from one registry; dropout, freeze, init_from and epochs 0 decode
/// with located errors.
final class LayerRegistryTests: XCTestCase {
    private func config(layers: String = "[{dense: {units: 4, activation: tanh}}, {dropout: {p: 0.25}}, {dense: 2}]",
                        model: String = "", training: String = "epochs: 1") throws -> Config {
        try ConfigLoader.decode(text: """
            seed: 3
            data: {inputs: [[0, 0], [1, 1]], targets: [0, 1]}
            model:
              layers: \(layers)
            \(model.isEmpty ? "" : "  " + model)
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, \(training)}
            """, path: "/tmp/cfg/r.yaml")
    }

    private func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testEveryRegisteredActivationDecodesToItselfNeverAnother() throws {
        for name in LayerRegistry.activationNames where name != "softmax" {
            let decoded = try config(layers: "[{dense: 3}, \(name), {dense: 2}]")
            guard case .activation(let activation) = decoded.model.layers[1].kind else { return XCTFail(name) }
            XCTAssertEqual(activation.name, name)
        }
        XCTAssertEqual(LayerRegistry.layerNames, ["dense", "dropout", "sigmoid", "tanh", "relu", "leaky_relu", "softmax", "identity"])
    }

    func testDropoutDecodesInEveryFormAndBuildsAsALayerWithoutTensors() throws {
        XCTAssertEqual(try config(layers: "[dropout, {dense: 2}]").model.layers[0].kind, .dropout(p: 0.5))
        XCTAssertEqual(try config(layers: "[{dropout: 0.1}, {dense: 2}]").model.layers[0].kind, .dropout(p: 0.1))
        let built = try config()
        XCTAssertEqual(built.model.layers[1].kind, .dropout(p: 0.25))
        var generator = SplitMix64(seed: 3)
        let network: Network<Float> = try NetworkBuilder.build(built, inputSize: 2, generator: &generator)
        XCTAssertEqual(network.layers.map(\.kind), ["dense", "tanh", "dropout", "dense"])
        XCTAssertEqual(network.parameters.map { "\($0.layer).\($0.parameter.name)" }, ["0.weight", "0.bias", "3.weight", "3.bias"],
                       "dropout takes an index, as in nn.Sequential, and has no tensors")
        XCTAssertEqual((network.layers[2] as? Dropout<Float>)?.p, 0.25)
    }

    func testDropoutPOutsideZeroToOneIsLocated() {
        XCTAssertEqual(error { try self.config(layers: "[{dropout: {p: 1}}, {dense: 2}]") },
                       "/tmp/cfg/r.yaml:4:26: model.layers[0].dropout.p: dropout p is the probability of zeroing a value "
                       + "and must be in [0, 1), got 1.0")
        XCTAssertTrue(error { try self.config(layers: "[{dropout: -0.1}, {dense: 2}]") }.contains("must be in [0, 1), got -0.1"))
        let rate = error { try self.config(layers: "[{dropout: {rate: 0.1}}, {dense: 2}]") }
        XCTAssertEqual(rate, "/tmp/cfg/r.yaml:4:23: model.layers[0].dropout: unknown key 'rate'; expected one of: p")
    }

    func testUnknownLayerIsLocatedWithASuggestionAndNeverFallsBack() {
        XCTAssertEqual(error { try self.config(layers: "[dropuot, {dense: 2}]") },
                       "/tmp/cfg/r.yaml:4:12: model.layers[0]: unknown layer 'dropuot' (did you mean 'dropout'?); expected one of: "
                       + "dense, dropout, sigmoid, tanh, relu, leaky_relu, softmax, identity")
        XCTAssertTrue(error { try self.config(layers: "[{dense: {units: 2, activation: dropout}}]") }
            .contains("unknown activation 'dropout'"), "dropout is a layer, not an activation")
    }

    func testFreezeTakesLayersWithParametersInExportNumbering() throws {
        var generator = SplitMix64(seed: 3)
        let network: Network<Float> = try NetworkBuilder.build(try config(model: "freeze: [0]"), inputSize: 2, generator: &generator)
        XCTAssertEqual(network.parameters.map(\.parameter.isFrozen), [true, true, false, false])
        let tanh = try config(model: "freeze: [0, 1]")
        XCTAssertEqual(error { try NetworkBuilder.build(tanh, inputSize: 2, generator: &generator, as: Float.self) },
                       "/tmp/cfg/r.yaml:5:15: model.freeze[1]: layer 1 is tanh, which has no parameters to freeze; "
                       + "layers with parameters (numbered as `netrun export` names them): 0, 3")
        let far = try config(model: "freeze: [7]")
        let message = error { try NetworkBuilder.build(far, inputSize: 2, generator: &generator, as: Float.self) }
        XCTAssertTrue(message.hasPrefix("/tmp/cfg/r.yaml:5:12: model.freeze[0]: there is no layer 7: the model has layers 0…3"), message)
    }

    func testInitFromResolvesAgainstTheConfigFolderOrNamesARun() throws {
        guard case .file(let file) = try config(model: "init_from: ../w/start.safetensors").model.initFrom?.value else {
            return XCTFail("a path is a file")
        }
        XCTAssertEqual(file.resolved, "/tmp/w/start.safetensors")
        guard case .run(let id) = try config(model: "init_from: {run: 12}").model.initFrom?.value else { return XCTFail("a run") }
        XCTAssertEqual(id, 12)
        XCTAssertTrue(error { try self.config(model: "init_from: {run: 0}") }.contains("model.init_from.run: a run id is a positive integer"))
        XCTAssertTrue(error { try self.config(model: "init_from: {rn: 1}") }.contains("unknown key 'rn' (did you mean 'run'?)"))
    }

    func testZeroEpochsOrIterationsAreAllowedAndNegativeAreNot() throws {
        XCTAssertEqual(try config(training: "epochs: 0").training.epochs, 0)
        XCTAssertEqual(try config(training: "iterations: 0").training.iterations, 0)
        XCTAssertTrue(error { try self.config(training: "epochs: -1") }.contains("training.epochs: must be 0 or a positive integer, got -1"))
    }
}

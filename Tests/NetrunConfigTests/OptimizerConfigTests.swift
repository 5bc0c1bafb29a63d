import NetrunConfig
import NetrunCore
import XCTest

/// `training.optimizer: NAME` and `{NAME: {options}}`: PyTorch's defaults, `training.momentum` as
/// before, overrides, and located errors.
final class OptimizerConfigTests: XCTestCase {
    private func text(_ training: String) -> String {
        """
        data: {inputs: [[0, 0], [0, 1], [1, 0]], targets: [0, 1, 2]}
        model: {inputs: 2, layers: [{dense: 3}]}
        loss: softmax_cross_entropy
        training: {learning_rate: 0.1, epochs: 2\(training.isEmpty ? "" : ", " + training)}
        """
    }

    private func optimizer(_ training: String, overrides: [String] = []) throws -> OptimizerChoice {
        try ConfigLoader.decode(text: text(training), path: "t.yaml",
                                overrides: overrides.map(ConfigOverride.parse(argument:))).training.optimizer
    }

    private func error(_ training: String, overrides: [String] = []) -> String {
        do {
            _ = try optimizer(training, overrides: overrides)
            return "no error"
        } catch {
            XCTAssertTrue(error is ConfigError, "\(error)")
            return "\(error)"
        }
    }

    func testWithoutOptimizerOrMomentumTrainingIsPlainSGDAsBefore() throws {
        XCTAssertEqual(try optimizer(""), OptimizerChoice(SGDSettings()))
        XCTAssertEqual(try optimizer("optimizer: sgd"), OptimizerChoice(SGDSettings()))
        XCTAssertEqual(try optimizer("momentum: 0.9"), OptimizerChoice(SGDSettings(momentum: 0.9)))
        XCTAssertEqual(try optimizer("optimizer: sgd, momentum: 0.9"), OptimizerChoice(SGDSettings(momentum: 0.9)))
        XCTAssertEqual(try ConfigLoader.decode(text: text("momentum: 0.9"), path: "t.yaml").training.momentum, 0.9)
    }

    func testBareNamesTakePyTorchsDefaults() throws {
        XCTAssertEqual(try optimizer("optimizer: adam"),
                       OptimizerChoice(AdamSettings(beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false)))
        let adamw = try optimizer("optimizer: adamw")
        XCTAssertEqual(adamw, OptimizerChoice(AdamSettings(weightDecay: 0.01, decoupled: true)), "AdamW's weight_decay is 0.01")
        XCTAssertEqual(adamw.name, "adamw")
        XCTAssertNotEqual(adamw, OptimizerChoice(AdamSettings(weightDecay: 0.01)), "adamw is not adam with the same numbers")
        XCTAssertNotEqual(try optimizer("optimizer: adam"), OptimizerChoice(SGDSettings()))
    }

    func testOptionsDecodeUnderTheirPyTorchNames() throws {
        XCTAssertEqual(try optimizer("optimizer: {adam: {betas: [0.8, 0.99], eps: 1e-6, amsgrad: true, weight_decay: 0.001}}"),
                       OptimizerChoice(AdamSettings(beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.001, amsgrad: true)))
        XCTAssertEqual(try optimizer("optimizer: {adamw: {weight_decay: 0}}"),
                       OptimizerChoice(AdamSettings(weightDecay: 0, decoupled: true)))
        XCTAssertEqual(try optimizer("optimizer: {sgd: {momentum: 0.9, nesterov: true, dampening: 0, weight_decay: 0.0005}}"),
                       OptimizerChoice(SGDSettings(momentum: 0.9, nesterov: true, weightDecay: 0.0005)))
        XCTAssertEqual(try optimizer("optimizer: {sgd: {nesterov: true}}, momentum: 0.5"),
                       OptimizerChoice(SGDSettings(momentum: 0.5, nesterov: true)), "training.momentum is SGD's momentum")
        XCTAssertEqual(try optimizer("optimizer: {sgd: {momentum: 0.5, dampening: 0.1}}"),
                       OptimizerChoice(SGDSettings(momentum: 0.5, dampening: 0.1)))
        XCTAssertEqual(try optimizer("optimizer: {adam: }"), OptimizerChoice(AdamSettings()), "no options: the defaults")
    }

    func testCommandLineOverridesChooseAndTuneTheOptimizer() throws {
        XCTAssertEqual(try optimizer("momentum: 0.9", overrides: ["training.momentum=0.5"]),
                       OptimizerChoice(SGDSettings(momentum: 0.5)))
        XCTAssertEqual(try optimizer("", overrides: ["training.optimizer=adam"]), OptimizerChoice(AdamSettings()))
        XCTAssertEqual(try optimizer("", overrides: ["training.optimizer={adamw: {amsgrad: true}}"]),
                       OptimizerChoice(AdamSettings(amsgrad: true, decoupled: true)))
        XCTAssertEqual(try optimizer("optimizer: {adam: {eps: 1e-6}}", overrides: ["training.optimizer.adam.betas=[0.5, 0.9]"]),
                       OptimizerChoice(AdamSettings(beta1: 0.5, beta2: 0.9, eps: 1e-6)))
        XCTAssertEqual(try optimizer("optimizer: adamw", overrides: ["training.optimizer.adamw.eps=1e-6"]),
                       OptimizerChoice(AdamSettings(eps: 1e-6, decoupled: true)), "a bare name takes options too")
        XCTAssertEqual(try optimizer("", overrides: ["training.optimizer.sgd.nesterov=true", "training.optimizer.sgd.momentum=0.9"]),
                       OptimizerChoice(SGDSettings(momentum: 0.9, nesterov: true)))
        XCTAssertEqual(error("optimizer: sgd", overrides: ["training.optimizer.adam.eps=1e-6"]),
                       "command line (training.optimizer.adam.eps=1e-6):1:1: training.optimizer.adam.eps: 'training.optimizer' is not a mapping, so it has no key 'adam'")
        XCTAssertEqual(error("", overrides: ["training.optimizer=adm"]),
                       "command line (training.optimizer=adm):1:1: training.optimizer: unknown optimizer 'adm' (did you mean 'adam'?); expected one of: sgd, adam, adamw")
    }

    func testOverridesStoredWithARunReadBackIncludingNull() throws {
        // Switching a momentum config to Adam removes the momentum: `training.momentum=null`,
        // which `netrun resume` reads back from the stored text.
        let overrides = try ["training.momentum=null", "training.optimizer={adam: {amsgrad: true}}"].map(ConfigOverride.parse(argument:))
        let stored = try ConfigOverride.parse(text: ConfigOverride.text(overrides), source: "overrides of run 1")
        XCTAssertEqual(try ConfigLoader.decode(text: text("momentum: 0.9"), path: "t.yaml", overrides: stored).training.optimizer,
                       OptimizerChoice(AdamSettings(amsgrad: true)))
    }

    func testUnknownNamesAndKeysAreLocatedWithSuggestions() {
        XCTAssertEqual(error("optimizer: adamm"),
                       "t.yaml:4:54: training.optimizer: unknown optimizer 'adamm' (did you mean 'adam'?); expected one of: sgd, adam, adamw")
        XCTAssertEqual(error("optimizer: {rmsprop: {alpha: 0.99}}"),
                       "t.yaml:4:55: training.optimizer: unknown optimizer 'rmsprop'; expected one of: sgd, adam, adamw")
        XCTAssertEqual(error("optimizer: {adam: {beta: [0.9, 0.99]}}"),
                       "t.yaml:4:62: training.optimizer.adam: unknown key 'beta' (did you mean 'betas'?)")
        XCTAssertEqual(error("optimizer: {sgd: {nestrov: true}}"),
                       "t.yaml:4:61: training.optimizer.sgd: unknown key 'nestrov' (did you mean 'nesterov'?)")
        XCTAssertEqual(error("optimizer: {adam: {momentum: 0.9}}"),
                       "t.yaml:4:72: training.optimizer.adam.momentum: momentum is an option of sgd, not of adam")
        XCTAssertEqual(error("optimizer: {sgd: {amsgrad: true}}"),
                       "t.yaml:4:70: training.optimizer.sgd.amsgrad: amsgrad is an option of adam and adamw, not of sgd")
        XCTAssertEqual(error("optimizer: {adam: {lr: 0.001}}"),
                       "t.yaml:4:66: training.optimizer.adam.lr: the learning rate is training.learning_rate, for every optimizer")
        XCTAssertEqual(error("optimizer: adam, momentum: 0.9"),
                       "t.yaml:4:70: training.momentum: momentum is an option of sgd; adam's counterpart is betas[0] under optimizer: {adam: {betas: [0.9, 0.999]}}")
        XCTAssertEqual(error("optimizer: {sgd: {momentum: 0.5}}, momentum: 0.9"),
                       "t.yaml:4:88: training.momentum: momentum is also given at training.optimizer.sgd.momentum; keep one")
    }

    func testInvalidValuesAreRefusedAsPyTorchRefusesThem() {
        XCTAssertEqual(error("optimizer: {sgd: {nesterov: true}}"),
                       "t.yaml:4:71: training.optimizer.sgd.nesterov: nesterov needs a momentum above 0 and dampening 0 (as torch.optim.SGD), got momentum 0.0 and dampening 0.0")
        XCTAssertTrue(error("optimizer: {sgd: {momentum: 0.9, dampening: 0.1, nesterov: true}}")
            .hasSuffix("training.optimizer.sgd.nesterov: nesterov needs a momentum above 0 and dampening 0 (as torch.optim.SGD), got momentum 0.9 and dampening 0.1"))
        XCTAssertTrue(error("optimizer: {sgd: {momentum: 1}}").hasSuffix("training.optimizer.sgd.momentum: momentum must be below 1, got 1.0"))
        XCTAssertTrue(error("optimizer: {sgd: {dampening: 1.5}}").hasSuffix(
            "training.optimizer.sgd.dampening: dampening scales the new gradient by 1 − dampening and must be at most 1, got 1.5"))
        XCTAssertTrue(error("optimizer: {sgd: {weight_decay: -0.1}}").hasSuffix(
            "training.optimizer.sgd.weight_decay: must be a finite number ≥ 0, got -0.1"))
        XCTAssertTrue(error("optimizer: {adam: {betas: [0.9, 1]}}").hasSuffix(
            "training.optimizer.adam.betas[1]: a beta must be in [0, 1), got 1.0"))
        XCTAssertTrue(error("optimizer: {adam: {betas: [-0.1, 0.9]}}").hasSuffix(
            "training.optimizer.adam.betas[0]: a beta must be in [0, 1), got -0.1"))
        XCTAssertTrue(error("optimizer: {adam: {betas: [0.9]}}").hasSuffix(
            "training.optimizer.adam.betas: betas is a list of two numbers [β₁, β₂], got 1"))
        XCTAssertTrue(error("optimizer: {adam: {betas: 0.9}}").contains("training.optimizer.adam.betas: expected a list"))
        XCTAssertTrue(error("optimizer: {adamw: {eps: -1e-8}}").hasSuffix(
            "training.optimizer.adamw.eps: must be a finite number ≥ 0, got -1e-08"))
        XCTAssertTrue(error("optimizer: {adam: {amsgrad: 1}}").contains("training.optimizer.adam.amsgrad: expected true or false"))
        XCTAssertTrue(error("optimizer: {adam: 0.9}").contains("training.optimizer.adam: expected a mapping"))
        XCTAssertTrue(error("optimizer: {adam: {}, sgd: {}}").contains("training.optimizer: write one optimizer per entry"))
    }
}

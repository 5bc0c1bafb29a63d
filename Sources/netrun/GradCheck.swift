import ArgumentParser
import Foundation
import NetrunConfig
import NetrunCore
import NetrunRunner

struct GradCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradcheck",
        abstract: "Compare the config's back-propagated gradients with centered differences in Float64.")

    @Argument(help: "The YAML config whose model and loss to check.")
    var config: String

    @Argument(help: ArgumentHelp("Config values to change before checking, key.path=value, as for train.",
                                 valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(help: "Training samples in the checked batch.")
    var samples = 8

    @Option(help: "Entries checked per parameter, chosen at random (seeded).")
    var entries = 20

    @Option(help: "Absolute tolerance: an entry passes when |analytic − numeric| ≤ atol + rtol·|numeric| (torch.autograd.gradcheck's test; default 1e-5).")
    var atol: Double?

    @Option(help: "Relative tolerance of that test (default 1e-3).")
    var rtol: Double?

    @Option(help: "Use the older relative test instead: |analytic − numeric| ≤ threshold·max(|analytic|, |numeric|, 1e-4), with h = 1e-5. Not with --atol or --rtol.")
    var threshold: Double?

    func validate() throws {
        guard samples >= 1, entries >= 1 else { throw ValidationError("--samples and --entries must be at least 1") }
        if let threshold {
            guard atol == nil, rtol == nil else {
                throw ValidationError("--threshold selects the relative test; give it or --atol/--rtol, not both")
            }
            guard threshold > 0, threshold.isFinite else { throw ValidationError("--threshold must be positive") }
        }
        for (name, value) in [("--atol", atol), ("--rtol", rtol)] {
            if let value, !(value >= 0 && value.isFinite) { throw ValidationError("\(name) must be 0 or more") }
        }
    }

    /// The test every entry must pass, and the step that goes with it.
    private var criterion: (tolerance: GradientTolerance, step: Double, text: String) {
        if let threshold {
            let floor = GradientCheck().floor
            return (.relative(threshold: threshold), GradientCheck().step,
                    "|a − n| ≤ \(threshold)·max(|a|, |n|, \(floor))")
        }
        let atol = self.atol ?? GradientTolerance.torchAtol, rtol = self.rtol ?? GradientTolerance.torchRtol
        return (.absoluteAndRelative(atol: atol, rtol: rtol), GradientCheck.torchStep, "|a − n| ≤ \(atol) + \(rtol)·|n|")
    }

    func run() throws {
        let criterion = self.criterion
        let check: GradientCheckRun
        do {
            let loaded = try ConfigLoader.load(path: config, overrides: overrides.map(ConfigOverride.parse(argument:)))
            check = try GradientCheckRun(config: loaded, samples: samples, entries: entries,
                                         tolerance: criterion.tolerance, step: criterion.step)
        } catch {
            throw ExitStatus.failing(error)
        }
        print("netrun gradcheck \(check.config.name): \(check.samples) samples, reg \(check.config.training.reg), "
              + "centered differences with h = \(check.step) in Float64; an entry passes when \(criterion.text) "
              + "(a analytic, n numeric)")
        let nameWidth = max(12, check.results.map(\.parameter.count).max() ?? 0)
        print(pad("parameter", nameWidth, left: true) + pad("shape", 12) + pad("checked", 9) + pad("max abs error", 15)
              + pad("max rel error", 15) + pad("error/tol", 11))
        for (result, shape) in zip(check.results, check.shapes) {
            print(pad(result.parameter, nameWidth, left: true) + pad("\(shape)", 12) + pad(String(result.checkedEntries), 9)
                  + pad(String(format: "%.2e", result.maxAbsoluteError), 15)
                  + pad(String(format: "%.2e", result.maxRelativeError), 15)
                  + pad(String(format: "%.2e", result.maxErrorOverTolerance), 11) + (result.passed ? "  ok" : "  FAIL")
                  + (result.skippedAtKinks > 0 ? "  (\(result.skippedAtKinks) skipped at a relu kink)" : ""))
        }
        guard check.loss.isFinite else {
            printError("gradient check failed: the loss on the \(check.samples) checked samples is "
                       + (check.loss.isNaN ? "NaN" : "infinite") + ", "
                       + "so no gradient can be checked (look for huge or non-finite inputs or weights)")
            throw ExitStatus.trainingFailed
        }
        let nonFinite = check.results.filter { $0.nonFiniteEntries > 0 }
        guard nonFinite.isEmpty else {
            let list = nonFinite.map { "\($0.parameter) (\($0.nonFiniteEntries) of \($0.checkedEntries))" }
            printError("gradient check failed: gradients or centered differences that are NaN or infinite in "
                       + list.joined(separator: ", "))
            throw ExitStatus.trainingFailed
        }
        let failed = check.results.filter { !$0.passed }
        guard failed.isEmpty else {
            let list = failed.map { "\($0.parameter) (\($0.failingEntries) of \($0.checkedEntries) entries)" }
            printError("gradient check failed: \(list.joined(separator: ", ")) outside \(criterion.text)")
            throw ExitStatus.trainingFailed
        }
        print("all \(check.results.count) parameters within \(criterion.text)")
    }

    private func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + padding : padding + text
    }
}

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

    @Option(help: "Training samples in the checked batch.")
    var samples = 8

    @Option(help: "Entries checked per parameter, chosen at random (seeded).")
    var entries = 20

    @Option(help: "The largest relative error that passes.")
    var threshold = 1e-6

    func validate() throws {
        guard samples >= 1, entries >= 1 else { throw ValidationError("--samples and --entries must be at least 1") }
        guard threshold > 0 else { throw ValidationError("--threshold must be positive") }
    }

    func run() throws {
        let check: GradientCheckRun
        do {
            check = try GradientCheckRun(config: try ConfigLoader.load(path: config), samples: samples, entries: entries)
        } catch {
            printError("\(error)")
            throw ExitStatus.badInput
        }
        let step = GradientCheck().step
        print("netrun gradcheck \(check.config.name): \(check.samples) samples, reg \(check.config.training.reg), "
              + "centered differences with h = \(step) in Float64")
        let nameWidth = max(12, check.results.map(\.parameter.count).max() ?? 0)
        print(pad("parameter", nameWidth, left: true) + pad("shape", 12) + pad("checked", 9) + pad("max rel error", 15))
        var failed: [String] = []
        for (result, shape) in zip(check.results, check.shapes) {
            let ok = result.maxRelativeError <= threshold
            if !ok { failed.append(result.parameter) }
            print(pad(result.parameter, nameWidth, left: true) + pad("\(shape)", 12) + pad(String(result.checkedEntries), 9)
                  + pad(String(format: "%.2e", result.maxRelativeError), 15) + (ok ? "  ok" : "  FAIL")
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
        guard failed.isEmpty else {
            printError("gradient check failed: \(failed.joined(separator: ", ")) above \(threshold)")
            throw ExitStatus.trainingFailed
        }
        print("all \(check.results.count) parameters within \(threshold)")
    }

    private func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + padding : padding + text
    }
}

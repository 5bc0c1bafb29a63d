import ArgumentParser
import Foundation
import NetrunRunner

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a recorded run's model: loss, accuracy and a confusion matrix.")

    @Argument(help: "The run's id.")
    var runID: Int64

    @Option(help: "The part of the run's own data: train, val or test.")
    var split = "test"

    @Option(help: "A YAML file with a data: block (a config, or just data:) to evaluate on instead; all samples of its source.")
    var data: String?

    @OptionGroup var storage: StoreOptions

    @Flag(help: "Evaluate even if a data file of the run changed since it read it.")
    var allowChangedData = false

    func run() throws {
        let model = try loadStoredModel(runID, storage: storage)
        let report: EvaluationReport
        do {
            report = try data.map(model.evaluate(dataFile:)) ?? model.evaluate(split: split, allowChangedData: allowChangedData)
        } catch {
            printError("\(error)")
            throw ExitStatus.badInput
        }
        print("run \(model.run.id) (\(model.run.name)), \(model.weightsSource), on \(report.split): \(report.count) samples")
        var line = "loss " + String(format: "%.6g", report.loss)
        if let accuracy = report.accuracy { line += String(format: ", accuracy %.2f%%", accuracy * 100) }
        print(line)
        if let confusion = report.confusion { print(ConfusionTable(confusion, names: model.className).text) }
    }
}

/// A confusion matrix as aligned text: a row per true class, a column per predicted class.
struct ConfusionTable {
    let text: String

    init(_ counts: [[Int]], names: (Int) -> String) {
        let labels = counts.indices.map(names)
        let width = max(5, labels.map(\.count).max() ?? 0, counts.flatMap { $0 }.map { String($0).count }.max() ?? 0)
        func pad(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        var lines = ["confusion (rows: true class, columns: predicted)", pad("") + "  " + labels.map(pad).joined(separator: " ")]
        for (label, row) in zip(labels, counts) {
            lines.append(pad(label) + "  " + row.map { pad(String($0)) }.joined(separator: " "))
        }
        text = lines.joined(separator: "\n")
    }
}

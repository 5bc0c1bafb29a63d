import ArgumentParser
import Foundation
import NetrunCore
import NetrunRunner

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a recorded run's model: loss, accuracy, a confusion matrix and per-class scores, or MAE, RMSE and R².")

    @Argument(help: "The run's id.")
    var runID: Int64

    @Option(help: "The part of the run's own data: train, val or test.")
    var split = DataSplit.test

    @Option(help: "A YAML file with a data: block (a config, or just data:) to evaluate on instead; all samples of its source.")
    var data: String?

    @OptionGroup var storage: StoreOptions

    @Flag(help: "Evaluate even if a data file of the run changed since it read it.")
    var allowChangedData = false

    @Flag(help: "Print one line of JSON instead of text.")
    var json = false

    func run() throws {
        let model = try loadStoredModel(runID, storage: storage)
        let report: EvaluationReport
        do {
            report = try data.map(model.evaluate(dataFile:)) ?? model.evaluate(split: split.rawValue, allowChangedData: allowChangedData)
        } catch {
            throw ExitStatus.failing(error)
        }
        if json {
            print(RunText.json(jsonObject(report, model: model)))
            return
        }
        print("run \(model.run.id) (\(model.run.name)), \(model.weightsSource), on \(report.split): \(report.count) samples")
        var line = "loss " + String(format: "%.6g", report.loss)
        if let accuracy = report.accuracy { line += String(format: ", accuracy %.2f%%", accuracy * 100) }
        if let scores = report.regression {
            line += String(format: ", MAE %.6g, RMSE %.6g, R² %.4f", scores.meanAbsoluteError,
                           scores.rootMeanSquaredError, scores.r2)
        }
        print(line)
        if let confusion = report.confusion { print(ConfusionTable(confusion, names: model.className).text) }
        if let classes = report.classes {
            print()
            let rows = classes.enumerated().map { c, scores in
                [model.className(c)] + [scores.precision, scores.recall, scores.f1].map { String(format: "%.4f", $0) }
                    + [String(scores.support)]
            }
            print(RunText.table(["class", "precision", "recall", "f1", "support"], rows, rightAligned: [1, 2, 3, 4]))
        }
        if let macroF1 = report.macroF1 { print(String(format: "macro F1 %.4f", macroF1)) }
    }

    /// The report as JSON-ready values; per-class scores are keyed by class name.
    private func jsonObject(_ report: EvaluationReport, model: StoredModel) -> [String: Any] {
        func number(_ value: Double?) -> Any { value.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
        var object: [String: Any] = ["run": model.run.id, "split": report.split, "count": report.count,
                                     "loss": number(report.loss), "accuracy": number(report.accuracy)]
        if let confusion = report.confusion { object["confusion"] = confusion }
        if let classes = report.classes {
            object["classes"] = classes.enumerated().map { c, scores -> [String: Any] in
                ["class": model.className(c), "precision": scores.precision, "recall": scores.recall, "f1": scores.f1,
                 "support": scores.support]
            }
        }
        if let macroF1 = report.macroF1 { object["macro_f1"] = macroF1 }
        if let scores = report.regression {
            object["mae"] = number(scores.meanAbsoluteError)
            object["rmse"] = number(scores.rootMeanSquaredError)
            object["r2"] = number(scores.r2)
        }
        return object
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

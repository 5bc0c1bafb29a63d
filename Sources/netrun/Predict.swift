import ArgumentParser
import Foundation
import NetrunRunner

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a recorded run's predictions for the rows of a CSV of inputs, as CSV on standard output.")

    @Argument(help: "The run's id.")
    var runID: Int64

    @Argument(help: "A CSV file of inputs, one sample per row, no label column; a header row is detected.")
    var input: String

    @OptionGroup var storage: StoreOptions

    func run() throws {
        let model = try loadStoredModel(runID, storage: storage)
        let table: (header: [String], rows: [[String]])
        do {
            table = try model.predict(csv: input, header: nil)
        } catch {
            throw ExitStatus.failing(error)
        }
        var text = table.header.joined(separator: ",") + "\n"
        for row in table.rows { text += row.map(csvField).joined(separator: ",") + "\n" }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Quotes a class name that holds a comma, quote or line break (RFC 4180).
    private func csvField(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

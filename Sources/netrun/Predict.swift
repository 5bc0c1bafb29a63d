import ArgumentParser
import Foundation
import NetrunRunner

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a recorded run's predictions for the rows of a CSV of inputs, as CSV (or JSON) on standard output.")

    @Argument(help: "The run's id.")
    var runID: Int64

    @Argument(help: "A CSV file of inputs, one sample per row, no label column; a header row is detected; - reads standard input.")
    var input: String

    @OptionGroup var storage: StoreOptions

    @Flag(help: "Print a JSON array, an object per row keyed by the CSV header, instead of CSV.")
    var json = false

    func run() throws {
        let model = try loadStoredModel(runID, storage: storage)
        let table: (header: [String], rows: [[String]])
        do {
            if input == "-" {
                let bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
                table = try model.predict(csvBytes: bytes, named: "standard input", header: nil)
            } else {
                table = try model.predict(csv: input, header: nil)
            }
        } catch {
            throw ExitStatus.failing(error)
        }
        if json {
            // Outputs as numbers, the predicted class as its name.
            print(RunText.json(table.rows.map { row -> [String: Any] in
                Dictionary(uniqueKeysWithValues: zip(table.header, row).map { key, cell in
                    (key, key == "class" ? cell : Double(cell).flatMap { $0.isFinite ? $0 as Any : nil } ?? cell)
                })
            }))
            return
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

import NetrunCore

/// Reads a CSV file of numeric features and one label column (RFC 4180 quoting, comma-separated).
public enum CSVReader {
    /// Which column holds the label.
    public enum LabelColumn: Sendable, Equatable {
        /// 0-based; negative counts from the end (−1 is the last column).
        case index(Int)
        /// A header name.
        case name(String)
    }

    /// The features and the label column as written of `path`; `header`: true, false, or nil to
    /// detect one (a first row whose feature fields are none of them numbers). What the labels
    /// mean is decided later, where the model and its loss are known (`TargetResolver`).
    public static func read(_ path: String, label: LabelColumn, header: Bool?) throws -> CSVSamples {
        var records = try CSVParser.records(in: FileBytes.read(path), path: path)
        guard let first = records.first else { throw DataError("the file is empty", file: path) }
        let width = first.fields.count
        guard width >= 2 else {
            throw DataError("1 column; a CSV data file needs feature columns and a label column", file: path,
                            row: first.line)
        }
        let (labelIndex, hasHeader) = try locateLabel(label, header: header, first: first, path: path)
        if hasHeader { records.removeFirst() }
        guard !records.isEmpty else { throw DataError("a header row but no data rows", file: path) }

        var features: [Float] = []
        var labels = WrittenLabels(texts: [], lines: [], column: labelIndex + 1, file: path)
        features.reserveCapacity(records.count * (width - 1))
        labels.texts.reserveCapacity(records.count)
        labels.lines.reserveCapacity(records.count)
        for record in records {
            guard record.fields.count == width else {
                throw DataError("\(record.fields.count) fields, the \(hasHeader ? "header" : "first row") has \(width)",
                                file: path, row: record.line)
            }
            for (column, field) in record.fields.enumerated() {
                let text = field.trimmingSpaces
                if column == labelIndex {
                    guard !text.isEmpty else {
                        throw DataError("empty label", file: path, row: record.line, column: column + 1)
                    }
                    labels.texts.append(text)
                    labels.lines.append(record.line)
                } else if let value = finiteFloat(text) {
                    features.append(value)
                } else {
                    // A row that auto-detection took for data may really be a header with a numeric name.
                    let hint = header == nil && record.line == first.line
                        ? " (if this row is a header, set header: true)" : ""
                    throw DataError(numberProblem(text) + hint, file: path, row: record.line, column: column + 1)
                }
            }
        }
        return CSVSamples(inputs: Matrix(rows: records.count, cols: width - 1, values: features), labels: labels)
    }

    /// `text` as a Float, when it is a finite one.
    static func finiteFloat(_ text: String) -> Float? {
        Float(text).flatMap { $0.isFinite ? $0 : nil }
    }

    /// Why `text` is not a finite Float.
    static func numberProblem(_ text: String) -> String {
        if text.isEmpty { return "empty field, expected a number" }
        guard let value = Double(text) else { return "expected a number, got '\(text)'" }
        // `nan`, `inf` and `infinity` parse, but are not numbers a sample can hold; `1e39` is a number too large.
        let spelled = text.drop { $0 == "+" || $0 == "-" }.lowercased()
        if value.isNaN || spelled.hasPrefix("inf") || spelled.hasPrefix("nan") { return "'\(text)' is not a finite number" }
        return "'\(text)' is out of Float's range"
    }

    /// The 0-based label column, and whether the first record is a header.
    private static func locateLabel(_ label: LabelColumn, header: Bool?, first: CSVParser.Record,
                                    path: String) throws -> (index: Int, hasHeader: Bool) {
        let width = first.fields.count
        switch label {
        case .index(let i):
            let index = i < 0 ? width + i : i
            guard (0..<width).contains(index) else {
                throw DataError("label column \(i) is out of range for \(width) columns "
                                + "(0…\(width - 1), or -1…-\(width) from the end)", file: path)
            }
            let looksLikeHeader = !first.fields.indices.contains { column in
                column != index && Float(first.fields[column].trimmingSpaces) != nil
            }
            return (index, header ?? looksLikeHeader)
        case .name(let name):
            guard header != false else {
                throw DataError("the label column is given by name ('\(name)'), which needs a header row, "
                                + "but header is false", file: path)
            }
            let matches = first.fields.indices.filter { first.fields[$0].trimmingSpaces == name }
            guard let index = matches.first else {
                let names = first.fields.prefix(10).map { "'\($0.trimmingSpaces)'" }.joined(separator: ", ")
                throw DataError("no column named '\(name)' in the header (\(names)\(width > 10 ? ", …" : ""))",
                                file: path, row: first.line)
            }
            guard matches.count == 1 else {
                throw DataError("columns \(matches.map { String($0 + 1) }.joined(separator: " and ")) are \(matches.count == 2 ? "both" : "all") named "
                                + "'\(name)'; rename one, or give the label column by index (label: \(index))",
                                file: path, row: first.line, column: matches[1] + 1)
            }
            return (index, true)
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (quoted fields keep theirs until here).
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}

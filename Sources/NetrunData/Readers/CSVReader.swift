/// Reads a CSV file of numeric features and one label column (RFC 4180 quoting, comma-separated).
public enum CSVReader {
    /// Which column holds the label.
    public enum LabelColumn: Sendable, Equatable {
        /// 0-based; negative counts from the end (−1 is the last column).
        case index(Int)
        /// A header name.
        case name(String)
    }

    /// The features and labels of `path`; `header`: true, false, or nil to detect one (a first row
    /// whose feature fields are none of them numbers).
    public static func read(_ path: String, label: LabelColumn, header: Bool?) throws -> LabeledSamples {
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

        var features: [Float] = [], rawLabels: [String] = []
        features.reserveCapacity(records.count * (width - 1))
        rawLabels.reserveCapacity(records.count)
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
                    rawLabels.append(text)
                } else if let value = Float(text), value.isFinite {
                    features.append(value)
                } else {
                    // A row that auto-detection took for data may really be a header with a numeric name.
                    let hint = header == nil && record.line == first.line
                        ? " (if this row is a header, set header: true)" : ""
                    let problem = text.isEmpty ? "empty field, expected a number"
                        : Float(text) == nil ? "expected a number, got '\(text)'" : "'\(text)' is out of Float's range"
                    throw DataError(problem + hint, file: path, row: record.line, column: column + 1)
                }
            }
        }
        let (labels, names) = classIDs(rawLabels)
        return LabeledSamples(features: features, rows: records.count, width: width - 1, labels: labels, classNames: names)
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
            guard let index = first.fields.firstIndex(where: { $0.trimmingSpaces == name }) else {
                let names = first.fields.prefix(10).map { "'\($0.trimmingSpaces)'" }.joined(separator: ", ")
                throw DataError("no column named '\(name)' in the header (\(names)\(width > 10 ? ", …" : ""))",
                                file: path, row: first.line)
            }
            return (index, true)
        }
    }

    /// Whole non-negative numbers are class ids as written (`1.0` too, as spreadsheets export them).
    /// Anything else is a name, numbered in sorted order (numeric order when all are numbers, so
    /// −1 and 1 become 0 and 1) so that the ids do not depend on the order of the rows.
    static func classIDs(_ raw: [String]) -> (ids: [Int], names: [String]?) {
        let values = raw.map { Double($0).flatMap { $0.isFinite ? $0 : nil } }
        let ids = values.compactMap { $0.flatMap { Int(exactly: $0) }.flatMap { $0 >= 0 ? $0 : nil } }
        if ids.count == raw.count { return (ids, nil) }

        let names = values.allSatisfy({ $0 != nil })
            ? Set(raw).map { (name: $0, value: Double($0) ?? 0) }
                .sorted { ($0.value, $0.name) < ($1.value, $1.name) }.map(\.name)
            : Set(raw).sorted()
        let idOfName = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        return (raw.map { idOfName[$0]! }, names)  // every raw label is a key
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

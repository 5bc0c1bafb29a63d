extension CSVReader {
    /// Rows of numbers with no label column, for `netrun predict`: (N, width) row-major.
    /// `header` nil: a first row with any non-numeric field is a header.
    public static func readFeatures(_ path: String, header: Bool?) throws -> (features: [Float], rows: Int, width: Int) {
        try readFeatures(bytes: FileBytes.read(path), named: path, header: header)
    }

    /// The same from bytes already read (standard input); `name` stands for the file in errors.
    public static func readFeatures(bytes: [UInt8], named path: String, header: Bool?) throws
        -> (features: [Float], rows: Int, width: Int) {
        var records = try CSVParser.records(in: bytes, path: path)
        guard let first = records.first else { throw DataError("the file is empty", file: path) }
        let hasHeader = header ?? first.fields.contains { Float($0.trimmingSpaces) == nil }
        if hasHeader { records.removeFirst() }
        guard !records.isEmpty else { throw DataError("a header row but no data rows", file: path) }
        let width = records[0].fields.count
        var features: [Float] = []
        features.reserveCapacity(records.count * width)
        for record in records {
            guard record.fields.count == width else {
                throw DataError("\(record.fields.count) fields, the first row has \(width)", file: path, row: record.line)
            }
            for (column, field) in record.fields.enumerated() {
                guard let value = finiteFloat(field.trimmingSpaces) else {
                    throw DataError(numberProblem(field.trimmingSpaces), file: path, row: record.line, column: column + 1)
                }
                features.append(value)
            }
        }
        return (features, records.count, width)
    }
}

import NetrunCore

/// A CSV file's features as rows, and its label column as written.
///
/// `@unchecked Sendable`: the matrix is filled by the reader and only read afterwards.
public struct CSVSamples: @unchecked Sendable {
    /// (rows, width)
    public let inputs: Matrix<Float>
    public var labels: WrittenLabels

    /// The number of samples.
    public var rows: Int { inputs.rows }
    /// Features per sample.
    public var width: Int { inputs.cols }
    /// A copy of the features, row-major.
    public var features: [Float] { inputs.values }
}

/// A label column as written, one text per row, with where each one is: whether `3` is a class
/// or a value is not the reader's to say, and an error about it should point at the field.
public struct WrittenLabels: Sendable, Equatable {
    public var texts: [String]
    /// The 1-based line each label is on.
    public var lines: [Int]
    /// The 1-based column of the labels.
    public var column: Int
    public var file: String

    /// An error at the label of row `row` (0-based among the data rows).
    func error(_ message: String, row: Int) -> DataError {
        DataError(message, file: file, row: lines[row], column: column)
    }
}

import NetrunCore

/// Samples of a format whose labels are class ids by definition (IDX, CIFAR-10, synthetic sets):
/// features as rows and a class id per row. CSV labels are kept as written (`CSVSamples`).
///
/// `@unchecked Sendable`: the matrix is filled by the reader and only read afterwards.
public struct LabeledSamples: @unchecked Sendable, Equatable {
    /// (rows, width). Large readers (IDX, CIFAR-10) fill it in place and the data set adopts it,
    /// so a 600 MB data set is held once, not copied from an array into a matrix.
    public let inputs: Matrix<Float>
    /// One class id (≥ 0) per row.
    public var labels: [Int]
    /// Class names in id order when the format names its classes (CIFAR-10).
    public var classNames: [String]?

    /// Samples from row-major `features`; the sizes must agree (a reader's bug otherwise, not bad input).
    public init(features: [Float], rows: Int, width: Int, labels: [Int], classNames: [String]? = nil) {
        precondition(features.count == rows * width && labels.count == rows,
                     "\(features.count) features and \(labels.count) labels for \(rows) rows of \(width)")
        self.init(inputs: Matrix(rows: rows, cols: width, values: features), labels: labels, classNames: classNames)
    }

    /// Samples whose features a reader wrote into `inputs`.
    public init(inputs: Matrix<Float>, labels: [Int], classNames: [String]? = nil) {
        precondition(labels.count == inputs.rows, "\(labels.count) labels for \(inputs.rows) rows")
        self.inputs = inputs
        self.labels = labels
        self.classNames = classNames
    }

    /// The number of samples.
    public var rows: Int { inputs.rows }
    /// Features per sample.
    public var width: Int { inputs.cols }
    /// A copy of the features, row-major.
    public var features: [Float] { inputs.values }

    public static func == (a: LabeledSamples, b: LabeledSamples) -> Bool {
        a.rows == b.rows && a.width == b.width && a.labels == b.labels && a.classNames == b.classNames
            && a.features == b.features
    }
}

/// A problem with a data file: where (file, and 1-based row and column when known) and what.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path as the reader was given it.
    public var file: String
    /// 1-based line of a text file.
    public var row: Int?
    /// 1-based field of a CSV row.
    public var column: Int?
    /// What is wrong, without the place.
    public var message: String

    /// An error in `file`, at `row` and `column` (both 1-based) when the format has them.
    public init(_ message: String, file: String, row: Int? = nil, column: Int? = nil) {
        self.file = file
        self.row = row
        self.column = column
        self.message = message
    }

    /// `file:row:column: message`, the form editors and terminals turn into a link.
    public var description: String {
        let place = [file.isEmpty ? nil : file, row.map(String.init), column.map(String.init)]
            .compactMap { $0 }.joined(separator: ":")
        return place.isEmpty ? message : place + ": " + message
    }
}

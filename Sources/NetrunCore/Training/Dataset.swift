/// What the targets of a data set mean, which decides how accuracy is measured.
public enum TargetKind: Sendable, Equatable {
    /// One-hot rows over `count` classes; accuracy compares arg-maxes.
    case classes(count: Int)
    /// One column holding two values (0/1, −1/1); accuracy thresholds at their midpoint.
    case binary(low: Double, high: Double)
    /// Real-valued regression targets; no accuracy.
    case real
}

/// Samples as rows: inputs (N, D) and targets (N, K), with what the targets mean.
public struct Dataset<Scalar: NetScalar> {
    public let inputs: Matrix<Scalar>
    public let targets: Matrix<Scalar>
    public let kind: TargetKind

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init(inputs: Matrix<Scalar>, targets: Matrix<Scalar>, kind: TargetKind) {
        precondition(inputs.rows == targets.rows, "\(inputs.rows) inputs but \(targets.rows) targets")
        self.inputs = inputs
        self.targets = targets
        self.kind = kind
    }

    public var count: Int { inputs.rows }

    /// The samples at `indices`, in that order, as a new data set.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func subset(_ indices: [Int]) -> Dataset {
        let x = Matrix<Scalar>(rows: indices.count, cols: inputs.cols)
        let t = Matrix<Scalar>(rows: indices.count, cols: targets.cols)
        gatherRows(x, from: inputs, indices[...])
        gatherRows(t, from: targets, indices[...])
        return Dataset(inputs: x, targets: t, kind: kind)
    }
}

extension Dataset {
    /// The samples at `indices` (ascending), moved to the front of this data set's own matrices,
    /// which then end there: a training part cut from a 600 MB set without a second 600 MB.
    /// The rows not kept are overwritten, so take any other parts out first.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func compacted(keeping indices: [Int]) -> Dataset {
        for (row, index) in indices.enumerated() {
            precondition(index >= row && (row == 0 || index > indices[row - 1]), "compacted needs ascending indices")
            precondition(index < count, "row \(index) of a \(count)-sample data set")
            guard index != row else { continue }
            for matrix in [inputs, targets] {
                (matrix.storage + row * matrix.cols).update(from: matrix.storage + index * matrix.cols, count: matrix.cols)
            }
        }
        inputs.resize(rows: indices.count)
        targets.resize(rows: indices.count)
        return self
    }
}

/// Copies rows `indices` of `source` into `destination`, resized to `indices.count` rows.
/// An index outside `source` stops the program: it would read past the storage. Indices from
/// user input (a checkpoint's sample order) are refused before they get here.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func gatherRows<Scalar>(_ destination: Matrix<Scalar>, from source: Matrix<Scalar>, _ indices: ArraySlice<Int>) {
    precondition(destination.cols == source.cols, "gathering rows of \(source.cols) columns into \(destination.cols)")
    destination.resize(rows: indices.count)
    let width = source.cols
    for (row, index) in indices.enumerated() {
        precondition(index >= 0 && index < source.rows, "row \(index) of a \(source.rows)-row matrix")
        (destination.storage + row * width).update(from: source.storage + index * width, count: width)
    }
}

/// Fisher–Yates with our own generator, so the order depends only on the seed, not on the
/// standard library's shuffle algorithm.
public func shuffle(_ indices: inout [Int], using generator: inout SplitMix64) {
    guard indices.count > 1 else { return }
    for i in stride(from: indices.count - 1, to: 0, by: -1) {
        let j = Int(generator.next() % UInt64(i + 1))
        indices.swapAt(i, j)
    }
}

/// Fills `indices` with draws uniform in 0..<n, independent and with repeats: numpy's
/// `np.random.choice(n, len(indices))`, with our generator. The modulo is biased by at most n/2⁶⁴,
/// as in `shuffle`.
public func drawIndices(_ indices: inout [Int], below n: Int, using generator: inout SplitMix64) {
    precondition(n > 0, "drawing from an empty set")
    for i in indices.indices { indices[i] = Int(generator.next() % UInt64(n)) }
}

/// Rows `indices` of `source`, gathered into a new matrix.
public func gathered<Scalar>(_ indices: [Int], of source: Matrix<Scalar>) -> Matrix<Scalar> {
    let rows = Matrix<Scalar>(rows: 0, cols: source.cols)
    gatherRows(rows, from: source, indices[...])
    return rows
}

/// The fraction of rows of `prediction` that match `target`, or nil for regression targets.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func accuracy<Scalar>(_ prediction: Matrix<Scalar>, _ target: Matrix<Scalar>, kind: TargetKind) -> Double? {
    correctCount(prediction, target, kind: kind).map { Double($0) / Double(max(prediction.rows, 1)) }
}

/// How many rows of `prediction` match `target`, or nil for regression targets.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func correctCount<Scalar>(_ prediction: Matrix<Scalar>, _ target: Matrix<Scalar>, kind: TargetKind) -> Int? {
    switch kind {
    case .real:
        return nil
    case .binary(let low, let high):
        let midpoint = Scalar((low + high) / 2)
        var correct = 0
        for r in 0..<prediction.rows where (prediction[r, 0] > midpoint) == (target[r, 0] > midpoint) {
            correct += 1
        }
        return correct
    case .classes:
        var correct = 0
        for r in 0..<prediction.rows where argmax(prediction.row(r)) == argmax(target.row(r)) {
            correct += 1
        }
        return correct
    }
}

/// The index of the largest value (the first on ties); a NaN never wins.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func argmax<Scalar: Comparable>(_ values: UnsafeMutableBufferPointer<Scalar>) -> Int {
    var best = 0
    for i in values.indices.dropFirst() where values[i] > values[best] { best = i }
    return best
}

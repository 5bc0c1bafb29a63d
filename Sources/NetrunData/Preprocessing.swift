import NetrunConfig
import NetrunCore

/// Input preprocessing fitted on the training part: x ← (x · scale − mean) / std, per feature.
///
/// Fitting on the training part only keeps validation and test samples out of the statistics,
/// as cs231n does with its mean image; the fitted values are stored with the run so a model
/// can be applied to new data later.
public struct Preprocessing: Sendable, Equatable {
    /// 1 when not scaling.
    public var scale: Double
    /// Per-feature values subtracted after scaling; nil when not centering.
    public var mean: [Double]?
    /// Per-feature divisors after centering; nil when not standardizing. A constant feature gets 1.
    public var std: [Double]?

    /// Values exactly as applied: a float32 run's are float32 numbers (held as Double), so storing
    /// them as float32 loses nothing.
    public init(scale: Double = 1, mean: [Double]? = nil, std: [Double]? = nil) {
        self.scale = scale
        self.mean = mean
        self.std = std
    }

    /// Fits `config` on `inputs` (N, D), accumulating in Float64 so 50 000 rows lose no precision,
    /// and rounding the results to `Scalar`, the precision they are applied in.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func fit<Scalar: NetScalar>(_ config: PreprocessConfig, on inputs: Matrix<Scalar>) -> Preprocessing {
        let scale = Scalar(config.scale ?? 1)
        var result = Preprocessing(scale: Double(scale))
        guard config.subtractMean || config.standardize else { return result }
        let n = inputs.rows, d = inputs.cols
        var sum = [Double](repeating: 0, count: d)
        for r in 0..<n {
            let row = inputs.storage + r * d
            for c in 0..<d { sum[c] += Double(row[c] * scale) }
        }
        let mean = sum.map { $0 / Double(max(n, 1)) }
        result.mean = mean.map { Double(Scalar($0)) }
        if config.standardize {
            var squares = [Double](repeating: 0, count: d)
            for r in 0..<n {
                let row = inputs.storage + r * d
                for c in 0..<d {
                    let deviation = Double(row[c] * scale) - mean[c]
                    squares[c] += deviation * deviation
                }
            }
            result.std = squares.map { sum in
                let std = (sum / Double(max(n, 1))).squareRoot()
                return std > 1e-12 ? Double(Scalar(std)) : 1
            }
        }
        return result
    }

    public var isIdentity: Bool { scale == 1 && mean == nil && std == nil }

    /// Applies the transform to every row of `inputs` in place.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func apply<Scalar: NetScalar>(to inputs: Matrix<Scalar>) {
        guard !isIdentity else { return }
        let d = inputs.cols, scale = Scalar(self.scale)
        let mean = self.mean?.map { Scalar($0) } ?? [Scalar](repeating: 0, count: d)
        let inverseStd = (std?.map { Scalar($0) } ?? [Scalar](repeating: 1, count: d)).map { 1 / $0 }
        for r in 0..<inputs.rows {
            let row = inputs.storage + r * d
            for c in 0..<d { row[c] = (row[c] * scale - mean[c]) * inverseStd[c] }
        }
    }

    /// The first entry of `inputs` that is NaN or infinite, as (row, column), 0-based; nil when
    /// all are finite. Inputs are finite as read, so a non-finite one after `apply` means the
    /// transform overflowed Float (a huge scale, or values near Float's limits).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func firstNonFinite<Scalar: NetScalar>(in inputs: Matrix<Scalar>) -> (row: Int, column: Int)? {
        let d = inputs.cols
        for r in 0..<inputs.rows {
            let row = inputs.storage + r * d
            for c in 0..<d where !row[c].isFinite { return (r, c) }
        }
        return nil
    }
}

// Scores beside loss and accuracy, defined as scikit-learn defines them, computed from counts
// and sums that add up chunk by chunk and shard by shard, so no result depends on how a data
// set was cut.

/// One class's precision, recall and F1 (zero when undefined, as sklearn's `zero_division=0`)
/// and support (its number of true samples).
public struct ClassScores: Sendable, Equatable {
    public var precision: Double
    public var recall: Double
    public var f1: Double
    public var support: Int
}

/// Every class's scores from a confusion matrix `counts[true][predicted]`.
public func classScores(confusion counts: [[Int]]) -> [ClassScores] {
    counts.indices.map { c in
        let truePositives = counts[c][c]
        let predicted = counts.reduce(0) { $0 + $1[c] }
        let actual = counts[c].reduce(0, +)
        // precision = tp / (tp + fp), recall = tp / (tp + fn), F1 = 2 tp / (2 tp + fp + fn)
        func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
        return ClassScores(precision: ratio(truePositives, predicted), recall: ratio(truePositives, actual),
                           f1: ratio(2 * truePositives, predicted + actual), support: actual)
    }
}

/// The unweighted mean of the classes' `score` over the classes that occur as a true or a
/// predicted label (sklearn's `average="macro"` with its default labels); 0 for no samples.
public func macroAverage(confusion counts: [[Int]], _ score: KeyPath<ClassScores, Double>) -> Double {
    let scores = classScores(confusion: counts)
    let present = counts.indices.filter { c in scores[c].support > 0 || counts.contains { $0[c] > 0 } }
    guard !present.isEmpty else { return 0 }
    return present.reduce(0.0) { $0 + scores[$1][keyPath: score] } / Double(present.count)
}

/// Macro-averaged F1 (sklearn's `f1_score(average="macro", zero_division=0)`).
public func macroF1(confusion counts: [[Int]]) -> Double { macroAverage(confusion: counts, \.f1) }

/// Whether class `label` is among the `k` highest of `scores`, ties broken as sklearn's
/// `top_k_accuracy_score` breaks them: of equal scores the higher class index ranks first.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func isInTopK<Scalar: Comparable>(_ label: Int, _ scores: UnsafeMutableBufferPointer<Scalar>, k: Int) -> Bool {
    var ahead = 0
    for j in scores.indices where scores[j] > scores[label] || (j > label && scores[j] == scores[label]) {
        ahead += 1
    }
    return ahead < k
}

/// Running sums for one regression output: absolute and squared errors, and the target's mean
/// and sum of squared deviations (Welford), which merge exactly for a constant target.
public struct OutputMoments: Sendable, Equatable, Codable {
    public var count = 0
    public var absoluteErrors = 0.0
    public var squaredErrors = 0.0
    public var targetMean = 0.0
    /// Σ (y − ȳ)²
    public var targetDeviations = 0.0

    public init() {}

    public mutating func add(prediction: Double, target: Double) {
        let error = prediction - target
        count += 1
        absoluteErrors += abs(error)
        squaredErrors += error * error
        let delta = target - targetMean
        targetMean += delta / Double(count)
        targetDeviations += delta * (target - targetMean)
    }

    /// Adds `other`'s samples (Chan et al.'s pairwise combination of means and deviations).
    public mutating func merge(_ other: OutputMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let total = Double(count + other.count), delta = other.targetMean - targetMean
        targetDeviations += other.targetDeviations + delta * delta * Double(count) * Double(other.count) / total
        targetMean += delta * Double(other.count) / total
        count += other.count
        absoluteErrors += other.absoluteErrors
        squaredErrors += other.squaredErrors
    }

    public var meanAbsoluteError: Double { count == 0 ? 0 : absoluteErrors / Double(count) }
    public var rootMeanSquaredError: Double { count == 0 ? 0 : (squaredErrors / Double(count)).squareRoot() }
    /// 1 − SS_res / SS_tot; for a constant target 1 when every prediction is exact, else 0 (sklearn's
    /// `force_finite=True`).
    public var r2: Double {
        guard targetDeviations > 0 else { return squaredErrors == 0 ? 1 : 0 }
        return 1 - squaredErrors / targetDeviations
    }
}

/// MAE, RMSE and R² of several outputs: each output's score, averaged with equal weights
/// (sklearn's `multioutput="uniform_average"`).
public struct RegressionScores: Sendable, Equatable {
    public var meanAbsoluteError: Double
    public var rootMeanSquaredError: Double
    public var r2: Double

    public init(_ outputs: [OutputMoments]) {
        let n = Double(max(outputs.count, 1))
        meanAbsoluteError = outputs.reduce(0) { $0 + $1.meanAbsoluteError } / n
        rootMeanSquaredError = outputs.reduce(0) { $0 + $1.rootMeanSquaredError } / n
        r2 = outputs.reduce(0) { $0 + $1.r2 } / n
    }
}

/// What one pass over a data set counts: the loss sum, correct rows, the confusion matrix
/// (classifiers), rows whose true class is in the top k for each requested k, and each output's
/// moments (regression). Parts add up with `merge`.
public struct MetricCounts: Sendable, Equatable, Codable {
    public var count = 0
    public var lossSum = 0.0
    /// What `lossSum` is divided by for the mean loss (Σ of the batches' normalizers).
    public var lossNormalizer = 0.0
    public var correct = 0
    /// counts[true][predicted]; binary targets have classes 0 (low) and 1 (high).
    public var confusion: [[Int]]?
    /// k → rows whose true class is among the k highest outputs.
    public var topK: [Int: Int]
    public var outputs: [OutputMoments]?

    /// Whether these counts have the fields and sizes `other`'s have: the same classes, top-k
    /// and outputs, so the two can be merged.
    public func hasTheShape(of other: MetricCounts) -> Bool {
        confusion?.count == other.confusion?.count
            && (confusion ?? []).allSatisfy { $0.count == (other.confusion?.count ?? 0) }
            && Set(topK.keys) == Set(other.topK.keys) && outputs?.count == other.outputs?.count
    }

    public init(kind: TargetKind, outputs width: Int, topK ks: [Int] = []) {
        switch kind {
        case .classes(let n):
            confusion = Array(repeating: Array(repeating: 0, count: n), count: n)
        case .binary:
            confusion = [[0, 0], [0, 0]]
        case .real:
            outputs = Array(repeating: OutputMoments(), count: width)
        }
        topK = Dictionary(uniqueKeysWithValues: ks.map { ($0, 0) })
    }

    /// Counts the rows of `prediction` (the loss's prediction, e.g. probabilities) against `target`,
    /// leaving out rows whose true class is `ignored` (the loss's `ignore_label`, classes only).
    /// Allocates nothing: training calls it at every step under `train_metrics: running`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func add<Scalar: NetScalar>(_ prediction: Matrix<Scalar>, _ target: Matrix<Scalar>, kind: TargetKind,
                                                ignoring ignored: Int? = nil) {
        switch kind {
        case .classes:
            let ignored = ignored.flatMap { $0 < target.cols ? $0 : nil }
            for r in 0..<prediction.rows {
                if let ignored, target[r, ignored] == 1 { continue }
                let label = argmax(target.row(r)), row = prediction.row(r), predicted = argmax(row)
                count += 1
                if predicted == label { correct += 1 }
                confusion![label][predicted] += 1
                countTopK { k in isInTopK(label, row, k: k) }
            }
        case .binary(let low, let high):
            count += prediction.rows
            correct += correctCount(prediction, target, kind: kind) ?? 0
            let midpoint = Scalar((low + high) / 2)
            for r in 0..<prediction.rows {
                let label = target[r, 0] > midpoint ? 1 : 0, predicted = prediction[r, 0] > midpoint ? 1 : 0
                confusion![label][predicted] += 1
                // Two classes: the top 1 is the prediction, the top 2 holds every label.
                countTopK { k in k >= 2 || label == predicted }
            }
        case .real:
            count += prediction.rows
            for r in 0..<prediction.rows {
                for c in 0..<prediction.cols {
                    outputs![c].add(prediction: Double(prediction[r, c]), target: Double(target[r, c]))
                }
            }
        }
    }

    /// Adds a hit for each k where `hit(k)`, in place: writing while iterating `topK.keys` would
    /// copy the dictionary at every write.
    private mutating func countTopK(_ hit: (Int) -> Bool) {
        var index = topK.startIndex
        while index != topK.endIndex {
            if hit(topK[index].key) { topK.values[index] += 1 }
            topK.formIndex(after: &index)
        }
    }

    public mutating func merge(_ other: MetricCounts) {
        count += other.count
        lossSum += other.lossSum
        lossNormalizer += other.lossNormalizer
        correct += other.correct
        if let theirs = other.confusion, confusion != nil {
            for i in theirs.indices { for j in theirs[i].indices { confusion![i][j] += theirs[i][j] } }
        }
        for (k, hits) in other.topK { topK[k, default: 0] += hits }
        if let theirs = other.outputs, outputs != nil {
            for i in theirs.indices { outputs![i].merge(theirs[i]) }
        }
    }
}

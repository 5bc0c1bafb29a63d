/// Spearman's rank correlation: how well a monotone curve (not only a line) ties two samples.
public enum RankCorrelation {
    /// ρ of `x` and `y` (same length): the Pearson correlation of their ranks, ties sharing the
    /// mean of their ranks; nil with fewer than two pairs or when either side is constant.
    ///
    /// Ranks do not change under a monotone map, so a log-uniform key's ρ is the same on the log scale.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        precondition(x.count == y.count, "spearman needs pairs")
        guard x.count >= 2 else { return nil }
        return pearson(ranks(x), ranks(y))
    }

    /// Ranks from 1, ties averaged: [10, 30, 20, 20] → [1, 4, 2.5, 2.5].
    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
            let shared = Double(start + end) / 2 + 1
            for i in start...end { ranks[order[i]] = shared }
            start = end + 1
        }
        return ranks
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        let n = Double(x.count)
        let meanX = x.reduce(0, +) / n, meanY = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - meanX) * (b - meanY)
            sxx += (a - meanX) * (a - meanX)
            syy += (b - meanY) * (b - meanY)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }
}

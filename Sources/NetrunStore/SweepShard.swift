/// One part of a sweep's grid, run by one machine of a job array: the trials whose index is
/// `index` mod `count`. Shards run into their own databases; `netrun merge` folds them into one.
public struct SweepShard: Sendable, Equatable, CustomStringConvertible {
    /// From 0; less than `count`.
    public var index: Int
    public var count: Int

    /// `index` must be in `0..<count`; the command line checks it before.
    public init(index: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(index), "shard \(index)/\(count)")
        self.index = index
        self.count = count
    }

    /// Whether trial `trial` of the grid is this shard's.
    public func contains(trial: Int) -> Bool { trial % count == index }

    /// How many of a grid's `trialCount` trials are this shard's.
    public func trials(of trialCount: Int) -> Int {
        trialCount > index ? (trialCount - index + count - 1) / count : 0
    }

    /// `1/3`, as `--shard` takes it.
    public var description: String { "\(index)/\(count)" }
}

import Foundation

/// One side of a heatmap: the values a sweep tried along it and where each value's cell lies.
public struct HeatmapAxis: Sendable {
    public enum Scale: String, Sendable {
        case linear, log, categorical
    }

    public var label: String
    public let tickLabels: [String]
    public let scale: Scale
    /// Cell boundaries as fractions of the axis length, one more than there are values.
    let edges: [Double]

    /// Numeric values in ascending order. Positive values spanning at least a factor of ten (learning
    /// rates, regularisation strengths) are laid out on a log scale, the rest linearly; each cell
    /// reaches halfway to its neighbours, so an uneven grid shows as uneven cells.
    public init(label: String, values: [Double]) {
        precondition(!values.isEmpty && zip(values, values.dropFirst()).allSatisfy { $0 < $1 },
                     "heatmap axis values must be distinct and ascending")
        let isLog = values.first! > 0 && values.last! / values.first! >= 10
        let positions = isLog ? values.map(log10) : values
        self.label = label + (isLog ? " (log scale)" : "")
        self.scale = isLog ? .log : .linear
        self.tickLabels = values.map(AxisTicks.compact)
        self.edges = Self.normalised(Self.edges(around: positions))
    }

    /// Values without an order of magnitude (activations, optimizer names): equal cells in the given order.
    public init(label: String, categories: [String]) {
        precondition(!categories.isEmpty, "a heatmap axis needs at least one value")
        self.label = label
        self.scale = .categorical
        self.tickLabels = categories
        self.edges = (0...categories.count).map { Double($0) / Double(categories.count) }
    }

    public var count: Int { tickLabels.count }

    /// The fraction of the axis where cell `index` starts and ends.
    func span(_ index: Int) -> (start: Double, end: Double) {
        (edges[index], edges[index + 1])
    }

    static func edges(around positions: [Double]) -> [Double] {
        guard positions.count > 1 else { return [positions[0] - 0.5, positions[0] + 0.5] }
        let middles = zip(positions, positions.dropFirst()).map { ($0 + $1) / 2 }
        let firstGap = positions[1] - positions[0], lastGap = positions[positions.count - 1] - positions[positions.count - 2]
        return [positions[0] - firstGap / 2] + middles + [positions[positions.count - 1] + lastGap / 2]
    }

    static func normalised(_ edges: [Double]) -> [Double] {
        let low = edges.first!, range = edges.last! - low
        return edges.map { ($0 - low) / range }
    }
}

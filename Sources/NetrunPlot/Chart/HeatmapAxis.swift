/// One side of a heatmap: the values a sweep tried along it, one equal cell each.
///
/// Cells are equal whatever the spacing of the values, as seaborn draws a grid: a sweep's values are
/// chosen points, not samples of a continuum, so 0, 1e-4 and 1e-3 get a cell each, labelled with the
/// value (a log scale would have no place for 0, and a linear one would squeeze 1e-4 against it).
public struct HeatmapAxis: Sendable {
    public var label: String
    public let tickLabels: [String]

    /// Numeric values in ascending order, labelled in one format (all plain, or all like `1e-3`).
    public init(label: String, values: [Double]) {
        precondition(!values.isEmpty && zip(values, values.dropFirst()).allSatisfy { $0 < $1 },
                     "heatmap axis values must be distinct and ascending")
        let format = NumberFormat.settings(values)
        self.label = label
        self.tickLabels = values.map { format($0) }
    }

    /// Values without an order of magnitude (activations, optimizer names), in the given order.
    public init(label: String, categories: [String]) {
        precondition(!categories.isEmpty, "a heatmap axis needs at least one value")
        self.label = label
        self.tickLabels = categories
    }

    public var count: Int { tickLabels.count }

    /// The fraction of the axis where cell `index` starts and ends.
    func span(_ index: Int) -> (start: Double, end: Double) {
        (Double(index) / Double(count), Double(index + 1) / Double(count))
    }
}

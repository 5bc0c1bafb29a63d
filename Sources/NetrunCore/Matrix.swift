import NetrunKernels

/// A row-major matrix buffer, shared by reference.
///
/// A reference type on purpose: a layer owns its output buffer and rewrites it every batch while
/// the next layer holds the same buffer as its input. A copy-on-write array would silently copy
/// (allocate) there on every batch. Rows are samples; `cols` is fixed, `rows` follows the batch.
public final class Matrix<Scalar: NetScalar> {
    public private(set) var rows: Int
    public let cols: Int
    /// Contiguous storage of `rows × cols` values; valid until the next `resize` that grows it.
    public private(set) var storage: UnsafeMutablePointer<Scalar>
    private var capacity: Int

    /// A zero-filled `rows × cols` matrix.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "negative matrix shape \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.capacity = max(Self.count(rows, cols), 1)
        self.storage = Self.allocateStorage(capacity)
        owner = nil
        storage.initialize(repeating: 0, count: capacity)
    }

    /// A `rows × cols` matrix holding `values` in row-major order.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public convenience init(rows: Int, cols: Int, values: [Scalar]) {
        precondition(values.count == rows * cols, "\(values.count) values for a \(rows)×\(cols) matrix")
        self.init(rows: rows, cols: cols)
        values.withUnsafeBufferPointer { storage.update(from: $0.baseAddress!, count: values.count) }
    }

    /// A matrix from rows of equal length.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public convenience init(_ rowValues: [[Scalar]]) {
        let cols = rowValues.first?.count ?? 0
        precondition(rowValues.allSatisfy { $0.count == cols }, "ragged rows")
        self.init(rows: rowValues.count, cols: cols, values: rowValues.flatMap { $0 })
    }

    /// Rows `rows` of `source`, sharing its storage: reads and writes go to `source`. The view
    /// cannot be resized, and must not outlive `source` or its next growing `resize`.
    public init(viewing source: Matrix, rows: Range<Int>) {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= source.rows, "rows \(rows) of a \(source.rows)-row matrix")
        self.rows = rows.count
        cols = source.cols
        storage = source.storage + rows.lowerBound * source.cols
        capacity = rows.count * source.cols
        owner = source
    }

    /// The matrix whose storage a view shares; nil when this matrix owns its storage.
    private var owner: Matrix?

    /// For a row selection, row r is row `rowIndex[r]` of `storage`; nil for ordinary matrices.
    public private(set) var rowIndex: UnsafeMutablePointer<Int>?
    private var rowIndexCapacity = 0
    private var isSelection = false

    /// An empty selection of rows of matrices `cols` wide; see `select(_:of:)`.
    public init(selectingRowsOf cols: Int) {
        rows = 0
        self.cols = cols
        storage = Self.allocateStorage(1)
        capacity = 0
        owner = nil
        isSelection = true
    }

    /// Makes this matrix stand for rows `indices` of `source`, in that order, without copying
    /// them: a training batch read where the data set holds it. Only the matrix products
    /// (`matmulForward`, `matmulBackward`, Float) read a selection; `values` and `row` refuse it.
    /// Must not outlive `source`.
    public func select(_ indices: ArraySlice<Int>, of source: Matrix) {
        precondition(isSelection, "select(_:of:) on a matrix not made by init(selectingRowsOf:)")
        precondition(source.cols == cols && source.rowIndex == nil, "selecting rows of an incompatible matrix")
        for index in indices {
            precondition(index >= 0 && index < source.rows, "selecting row \(index) of a \(source.rows)-row matrix")
        }
        if owner == nil { netrun_deallocate(storage) }
        if indices.count > rowIndexCapacity {
            rowIndex?.deallocate()
            rowIndexCapacity = indices.count
            rowIndex = .allocate(capacity: rowIndexCapacity)
        } else if rowIndex == nil {
            rowIndexCapacity = max(indices.count, 1)
            rowIndex = .allocate(capacity: rowIndexCapacity)
        }
        _ = UnsafeMutableBufferPointer(start: rowIndex, count: indices.count).initialize(from: indices)
        storage = source.storage
        owner = source
        rows = indices.count
        capacity = 0
    }

    /// Whether every selected row lies inside the matrix it was selected from, as that matrix is
    /// now (it may have shrunk since); true for ordinary matrices. The matrix products check it
    /// before handing `rowIndex` to C, which reads wherever the indices point.
    var selectionIsInBounds: Bool {
        guard let rowIndex, let owner else { return true }
        for r in 0..<rows where rowIndex[r] < 0 || rowIndex[r] >= owner.rows { return false }
        return true
    }

    deinit {
        if owner == nil { netrun_deallocate(storage) }
        rowIndex?.deallocate()
    }

    public var count: Int { rows * cols }

    public subscript(row: Int, col: Int) -> Scalar {
        get { storage[row * cols + col] }
        set { storage[row * cols + col] = newValue }
    }

    /// Changes the number of rows, reallocating only when the buffer must grow; contents are undefined after.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func resize(rows newRows: Int) {
        guard newRows != rows else { return }
        precondition(owner == nil || newRows <= rows, "a view cannot grow")
        precondition(rowIndex == nil, "a row selection cannot be resized")
        if Self.count(newRows, cols) > capacity {
            netrun_deallocate(storage)
            capacity = newRows * cols
            storage = Self.allocateStorage(capacity)
            storage.initialize(repeating: 0, count: capacity)
        }
        rows = newRows
    }

    /// Sets every entry to `value`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func fill(_ value: Scalar) {
        storage.update(repeating: value, count: count)
    }

    /// Copies `other`'s shape and values into this matrix.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func copy(from other: Matrix<Scalar>) {
        precondition(other.cols == cols, "copying \(other.cols) columns into \(cols)")
        resize(rows: other.rows)
        storage.update(from: other.storage, count: count)
    }

    /// Row `r` as a buffer.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func row(_ r: Int) -> UnsafeMutableBufferPointer<Scalar> {
        precondition(rowIndex == nil, "rows of a selection are read through the matrix products")
        return UnsafeMutableBufferPointer(start: storage + r * cols, count: cols)
    }

    /// A copy of the values in row-major order.
    public var values: [Scalar] {
        precondition(rowIndex == nil, "rows of a selection are read through the matrix products")
        return Array(UnsafeBufferPointer(start: storage, count: count))
    }

    /// A copy of the values as rows.
    public var rowValues: [[Scalar]] { (0..<rows).map { Array(row($0)) } }

    /// The same values converted to another scalar type.
    public func converted<Other: NetScalar>(to: Other.Type = Other.self) -> Matrix<Other> {
        let result = Matrix<Other>(rows: rows, cols: cols)
        for i in 0..<count { result.storage[i] = Other(storage[i]) }
        return result
    }
}

extension Matrix {
    /// The matrix in `slot`, resized to `rows`, or a new one there when `slot` is empty or of another width.
    /// Losses use it because they learn their width only from the first batch.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func reuse(_ slot: inout Matrix?, rows: Int, cols: Int) -> Matrix {
        if let matrix = slot, matrix.cols == cols {
            matrix.resize(rows: rows)
            return matrix
        }
        let matrix = Matrix(rows: rows, cols: cols)
        slot = matrix
        return matrix
    }
}

extension Matrix {
    /// `rows × cols`, trapping with the shape rather than a bare overflow. Sizes from configs and
    /// data files are checked against the memory budget before any matrix is made (see the
    /// runner's `MemoryEstimate`), so reaching this trap is a bug, not bad input.
    static func count(_ rows: Int, _ cols: Int) -> Int {
        let (count, overflow) = rows.multipliedReportingOverflow(by: cols)
        precondition(!overflow, "a \(rows)×\(cols) matrix has more values than an Int counts")
        return count
    }

    /// Storage for `count` values from the kernels' allocator: aligned for vector loads, and on
    /// huge pages when large (see allocate.c).
    fileprivate static func allocateStorage(_ count: Int) -> UnsafeMutablePointer<Scalar> {
        let (bytes, overflow) = max(count, 1).multipliedReportingOverflow(by: MemoryLayout<Scalar>.stride)
        guard !overflow, let memory = netrun_allocate(bytes) else {
            fatalError("out of memory allocating a \(count)-value matrix")
        }
        return memory.bindMemory(to: Scalar.self, capacity: max(count, 1))
    }
}

// The dense layer's arithmetic written out as plain loops: the definition the fast kernels are
// tested against, and the Float64 path gradient checks run on.

/// out = inp · weightᵀ + bias
/// inp (N, C), weight (OC, C), bias (1, OC) → out (N, OC)
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func matmulForwardReference<Scalar: NetScalar>(
    _ out: Matrix<Scalar>, _ inp: Matrix<Scalar>, _ weight: Matrix<Scalar>, _ bias: Matrix<Scalar>?
) {
    let n = inp.rows, c = inp.cols, oc = weight.rows
    precondition(weight.cols == c && out.cols == oc && out.rows == n, "matmulForward shape mismatch")
    precondition(inp.rowIndex == nil, "row selections are multiplied by the Float kernels only")
    let x = inp.storage, w = weight.storage, y = out.storage
    for row in 0..<n {
        let xRow = x + row * c
        let yRow = y + row * oc
        for o in 0..<oc {
            let wRow = w + o * c
            var sum: Scalar = bias.map { $0.storage[o] } ?? 0
            for i in 0..<c { sum += xRow[i] * wRow[i] }
            yRow[o] = sum
        }
    }
}

/// dinp = dout · weight;  dweight += doutᵀ · inp;  dbias += Σₙ dout
/// dout (N, OC), inp (N, C), weight (OC, C) → dinp (N, C), dweight (OC, C), dbias (1, OC)
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func matmulBackwardReference<Scalar: NetScalar>(
    _ dinp: Matrix<Scalar>?, _ dweight: Matrix<Scalar>, _ dbias: Matrix<Scalar>?,
    _ dout: Matrix<Scalar>, _ inp: Matrix<Scalar>, _ weight: Matrix<Scalar>
) {
    let n = inp.rows, c = inp.cols, oc = weight.rows
    precondition(dout.rows == n && dout.cols == oc && dweight.rows == oc && dweight.cols == c,
                 "matmulBackward shape mismatch")
    precondition(inp.rowIndex == nil, "row selections are multiplied by the Float kernels only")
    let x = inp.storage, w = weight.storage, dy = dout.storage, dw = dweight.storage
    if let dinp {
        precondition(dinp.rows == n && dinp.cols == c, "matmulBackward dinp shape mismatch")
        let dx = dinp.storage
        dx.update(repeating: 0, count: n * c)
        for row in 0..<n {
            let dxRow = dx + row * c
            for o in 0..<oc {
                let g = dy[row * oc + o]
                let wRow = w + o * c
                for i in 0..<c { dxRow[i] += g * wRow[i] }
            }
        }
    }
    for row in 0..<n {
        let xRow = x + row * c
        for o in 0..<oc {
            let g = dy[row * oc + o]
            let dwRow = dw + o * c
            for i in 0..<c { dwRow[i] += g * xRow[i] }
        }
    }
    if let dbias {
        let db = dbias.storage
        for row in 0..<n {
            for o in 0..<oc { db[o] += dy[row * oc + o] }
        }
    }
}

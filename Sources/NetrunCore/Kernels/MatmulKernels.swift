// The dense layer's arithmetic as a pair of free functions (llm.c style): outputs first, shapes in
// comments. Float goes to the packed, register-tiled GEMM in NetrunKernels, which also reads an
// input that is a row selection (a batch left in the data set); Double (gradient checks) to the
// plain loops in MatmulReference.swift. Specialised so callers in other modules
// get the Float path without a dynamic type check.
import NetrunKernels

/// out = inp · weightᵀ + bias
/// inp (N, C), weight (OC, C), bias (1, OC) → out (N, OC)
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func matmulForward<Scalar: NetScalar>(
    _ out: Matrix<Scalar>, _ inp: Matrix<Scalar>, _ weight: Matrix<Scalar>, _ bias: Matrix<Scalar>?
) {
    guard Scalar.self == Float.self else { return matmulForwardReference(out, inp, weight, bias) }
    let n = inp.rows, c = inp.cols, oc = weight.rows
    precondition(weight.cols == c && out.cols == oc && out.rows == n, "matmulForward shape mismatch")
    precondition(inp.selectionIsInBounds, "matmulForward: a selected input row lies outside its data set")
    let y = floats(out)
    if let bias {
        let b = floats(bias)
        for row in 0..<n { (y + row * oc).update(from: b, count: oc) }
    }
    netrun_sgemm_rows(0, 1, n, oc, c, 1, floats(inp), c, inp.rowIndex, floats(weight), c, nil,
                      bias == nil ? 0 : 1, y, oc)
}

/// dinp = dout · weight;  dweight += doutᵀ · inp;  dbias += Σₙ dout
/// dout (N, OC), inp (N, C), weight (OC, C) → dinp (N, C), dweight (OC, C), dbias (1, OC)
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func matmulBackward<Scalar: NetScalar>(
    _ dinp: Matrix<Scalar>?, _ dweight: Matrix<Scalar>, _ dbias: Matrix<Scalar>?,
    _ dout: Matrix<Scalar>, _ inp: Matrix<Scalar>, _ weight: Matrix<Scalar>
) {
    guard Scalar.self == Float.self else {
        return matmulBackwardReference(dinp, dweight, dbias, dout, inp, weight)
    }
    let n = inp.rows, c = inp.cols, oc = weight.rows
    precondition(dout.rows == n && dout.cols == oc && dweight.rows == oc && dweight.cols == c,
                 "matmulBackward shape mismatch")
    precondition(inp.selectionIsInBounds, "matmulBackward: a selected input row lies outside its data set")
    let dy = floats(dout)
    if let dinp {
        precondition(dinp.rows == n && dinp.cols == c, "matmulBackward dinp shape mismatch")
        netrun_sgemm(0, 0, n, c, oc, 1, dy, oc, floats(weight), c, 0, floats(dinp), c)
    }
    netrun_sgemm_rows(1, 0, oc, c, n, 1, dy, oc, nil, floats(inp), c, inp.rowIndex, 1, floats(dweight), c)
    if let dbias {
        let db = floats(dbias)
        for row in 0..<n {
            let dyRow = dy + row * oc
            for o in 0..<oc { db[o] += dyRow[o] }
        }
    }
}

/// The storage of a matrix known to hold Float.
@inline(__always)
private func floats<Scalar>(_ matrix: Matrix<Scalar>) -> UnsafeMutablePointer<Float> {
    UnsafeMutableRawPointer(matrix.storage).assumingMemoryBound(to: Float.self)
}

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Every printed line reaches a pipe or a file at once (`netrun sweep … | tee log`), as it does on a
/// terminal; C's standard output is otherwise block-buffered when it is not a terminal. Called once,
/// first thing in `main`, before any thread prints.
func lineBufferStandardOutput() {
    setvbuf(stdout, nil, _IOLBF, 0)
}

import Foundation
@testable import NetrunStore
import NetrunCore
import XCTest

/// The safetensors reader takes what the writer writes, F64 too, and never traps on a bad file.
final class SafetensorsReaderTests: XCTestCase {
    private let tensors = [ExportTensor(name: "0.weight", shape: [2, 3], values: [1, -2, 3.5, 0, 1e-8, -7]),
                           ExportTensor(name: "0.bias", shape: [2], values: [0.25, -0.5])]

    func testReadsWhatTheWriterWrites() throws {
        let read = try Safetensors.decode(try Safetensors.encode(tensors, metadata: ["format": "pt"]))
        XCTAssertEqual(read.map(\.name), ["0.weight", "0.bias"])
        XCTAssertEqual(read.map(\.shape), [[2, 3], [2]])
        XCTAssertEqual(read[0].values, tensors[0].values)
        XCTAssertEqual(read[1].values, [0.25, -0.5])
    }

    /// A file as PyTorch's safetensors writes float64 tensors.
    private func file(header: String, data: [UInt8]) -> Data {
        var bytes = Array(header.utf8)
        while bytes.count % 8 != 0 { bytes.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { out.append(contentsOf: $0) }
        return out + bytes + data
    }

    func testReadsFloat64AndRefusesOtherDtypes() throws {
        let values: [Double] = [0.1, -2]
        let data = values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
        let read = try Safetensors.decode(file(header: #"{"w":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}"#, data: data))
        XCTAssertEqual(read, [ImportedTensor(name: "w", shape: [2], values: [0.1, -2])])
        XCTAssertThrowsError(try Safetensors.decode(file(header: #"{"w":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}"#,
                                                         data: [0, 0, 0, 0]))) { error in
            XCTAssertEqual("\(error)", "tensor 'w': dtype BF16 is not supported; netrun reads F32 and F64")
        }
    }

    func testRefusesHeadersThatLieAboutTheFile() {
        let cases: [(Data, String)] = [
            (Data([1, 2, 3]), "it has 3 bytes, fewer than the 8 of the header length"),
            (Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7B]), "runs past the end of the 9-byte file"),
            (file(header: "{not json", data: []), "its header is not JSON"),
            (file(header: "[1, 2]", data: []), "its header is not a JSON object"),
            (file(header: String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), data: []),
             "its header is not JSON"),
            (file(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,800]}}"#, data: [0, 0, 0, 0, 0, 0, 0, 0]),
             "tensor 'w': its data_offsets are not [begin, end] within the 8 bytes of data"),
            (file(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0, 0, 0, 0, 0]),
             "tensor 'w': shape [3] of F32 needs 3 values but data_offsets span 8 bytes"),
            (file(header: #"{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0, 0, 0, 0, 0]),
             "tensor 'w': its shape is not a list of non-negative integers"),
            (file(header: #"{"w":{"dtype":"F32","shape":[4611686018427387904, 4],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0, 0, 0, 0, 0]),
             "tensor 'w': its shape [4611686018427387904, 4] holds too many values"),
        ]
        for (data, expected) in cases {
            XCTAssertThrowsError(try Safetensors.decode(data)) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
                XCTAssertTrue(error is SafetensorsError)
            }
        }
    }

    /// Every truncation of a valid file, and random byte flips, insertions and header-length
    /// changes: each either reads or throws `SafetensorsError`; none traps.
    func testTruncatedAndCorruptFilesNeverTrap() throws {
        let valid = [UInt8](try Safetensors.encode(tensors, metadata: ["format": "pt"]))
        for length in 0..<valid.count {
            XCTAssertThrowsError(try Safetensors.decode(Data(valid[..<length])), "cut at \(length)")
        }
        var generator = SplitMix64(seed: 12)
        for _ in 0..<500 {
            var bytes = valid
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let at = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 4 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: at)
                case 2: bytes.remove(at: at)
                default: bytes[Int(generator.next() % 8)] = UInt8(truncatingIfNeeded: generator.next())
                }
            }
            do { _ = try Safetensors.decode(Data(bytes)) } catch { XCTAssertTrue(error is SafetensorsError, "\(error)") }
        }
    }
}

import Foundation
import NetrunStore
import XCTest

/// The bytes `netrun export` writes, checked against the safetensors and .npy specifications.
final class ExportFormatTests: XCTestCase {
    private let tensors = [
        ExportTensor(name: "0.weight", shape: [2, 3], values: [1, -2, 0.5, -0.0, .infinity, 3e-8] as [Float]),
        ExportTensor(name: "0.bias", shape: [2], values: [7, .leastNonzeroMagnitude] as [Float]),
    ]

    private func littleEndianFloats(_ data: Data) -> [UInt32] {
        stride(from: data.startIndex, to: data.endIndex, by: 4).map { i in
            (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[i + $1]) << (8 * UInt32($1)) }
        }
    }

    func testSafetensorsHeaderLengthJSONOffsetsAndData() throws {
        let data = try Safetensors.encode(tensors, metadata: ["netrun_run": "3"])
        let length = (0..<8).reduce(0) { $0 | Int(data[$1]) << (8 * $1) }
        XCTAssertEqual((8 + length) % 8, 0, "data starts 8-byte aligned")
        let header = data[8..<(8 + length)]
        XCTAssertEqual(header.first, UInt8(ascii: "{"))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: header) as? [String: Any])
        XCTAssertEqual(json["__metadata__"] as? [String: String], ["netrun_run": "3"])
        let weight = try XCTUnwrap(json["0.weight"] as? [String: Any])
        XCTAssertEqual(weight["dtype"] as? String, "F32")
        XCTAssertEqual(weight["shape"] as? [Int], [2, 3])
        XCTAssertEqual(weight["data_offsets"] as? [Int], [0, 24])
        XCTAssertEqual((json["0.bias"] as? [String: Any])?["data_offsets"] as? [Int], [24, 32])
        let body = data[(8 + length)...]
        XCTAssertEqual(body.count, 32)
        XCTAssertEqual(littleEndianFloats(Data(body)), tensors.flatMap { $0.values.map { Float($0).bitPattern } })
    }

    func testSafetensorsRejectsWhatReadersCannotUse() {
        XCTAssertThrowsError(try Safetensors.encode([tensors[0], tensors[0]])) {
            XCTAssertEqual("\($0)", "two tensors are named '0.weight'")
        }
        XCTAssertThrowsError(try Safetensors.encode([ExportTensor(name: "w", shape: [4], values: [1])])) {
            XCTAssertEqual("\($0)", "tensor 'w': shape [4] does not hold 1 values")
        }
        XCTAssertThrowsError(try Safetensors.encode([ExportTensor(name: "__metadata__", shape: [], values: [1])]))
    }

    func testFloat64TensorsAreWrittenAsF64AndF8() throws {
        let values: [Double] = [0.1, -2, .leastNonzeroMagnitude]
        let tensor = ExportTensor(name: "w", shape: [3], values: values)
        let safetensors = try Safetensors.encode([tensor])
        let length = (0..<8).reduce(0) { $0 | Int(safetensors[$1]) << (8 * $1) }
        XCTAssertTrue(String(decoding: safetensors[8..<(8 + length)], as: UTF8.self)
            .hasPrefix(#"{"w":{"dtype":"F64","shape":[3],"data_offsets":[0,24]}}"#))
        func doubles(_ data: Data) -> [UInt64] {
            stride(from: data.startIndex, to: data.endIndex, by: 8).map { i in
                (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[i + $1]) << (8 * UInt64($1)) }
            }
        }
        XCTAssertEqual(doubles(Data(safetensors[(8 + length)...])), values.map(\.bitPattern))
        let npy = try NPY.encode(tensor)
        let header = Int(npy[8]) | Int(npy[9]) << 8
        XCTAssertTrue(String(decoding: npy[10..<(10 + header)], as: UTF8.self).hasPrefix("{'descr': '<f8', "))
        XCTAssertEqual(doubles(Data(npy[(10 + header)...])), values.map(\.bitPattern))
    }

    func testNPYHeaderIsVersionOneAlignedTo64Bytes() throws {
        let data = try NPY.encode(tensors[0])
        XCTAssertEqual(Array(data.prefix(8)), [0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = Int(data[8]) | Int(data[9]) << 8
        XCTAssertEqual((10 + length) % 64, 0)
        let header = String(decoding: data[10..<(10 + length)], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header)
        XCTAssertTrue(header.hasSuffix(" \n"))
        XCTAssertEqual(littleEndianFloats(Data(data[(10 + length)...])), tensors[0].values.map { Float($0).bitPattern })
        let vector = try NPY.encode(shape: [2], values: [1, 2])
        XCTAssertTrue(String(decoding: vector.prefix(80), as: UTF8.self).contains("'shape': (2,), }"))
    }

    /// numpy (and the safetensors package, when installed) read the files back bit for bit.
    func testNumpyReadsBothFormats() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Safetensors.encode(tensors).write(to: folder.appendingPathComponent("w.safetensors"))
        try NPY.encode(tensors[0]).write(to: folder.appendingPathComponent("w.npy"))
        let script = """
            import json, struct, sys, numpy as np
            folder = sys.argv[1]
            print(np.load(folder + '/w.npy').tobytes().hex())
            raw = open(folder + '/w.safetensors', 'rb').read()
            n = struct.unpack('<Q', raw[:8])[0]
            header = json.loads(raw[8:8 + n])
            begin, end = header['0.weight']['data_offsets']
            print(np.frombuffer(raw[8 + n + begin:8 + n + end], dtype='<f4').reshape(header['0.weight']['shape']).tobytes().hex())
            try:
                from safetensors.numpy import load_file
                print(load_file(folder + '/w.safetensors')['0.weight'].tobytes().hex())
            except ImportError:
                print('no safetensors package')
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, folder.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        do { try process.run() } catch { throw XCTSkip("no python3") }
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("python3 with numpy is not available") }
        let expected = tensors[0].values.flatMap { value in
            withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { $0.map { String(format: "%02x", $0) } }
        }.joined()
        let lines = output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], expected, ".npy")
        XCTAssertEqual(lines[1], expected, "safetensors read by hand")
        if lines[2] != "no safetensors package" { XCTAssertEqual(lines[2], expected, "safetensors package") }
    }
}

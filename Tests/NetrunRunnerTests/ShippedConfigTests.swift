import Foundation
import NetrunConfig
import NetrunCore
import NetrunRunner
import NetrunStore
import XCTest

/// The configs in configs/ do what the README says, on a fresh clone.
final class ShippedConfigTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func config(_ name: String) throws -> Config {
        try ConfigLoader.load(path: Self.repository.appendingPathComponent("configs/\(name).yaml").path)
    }

    private func train(_ name: String) throws -> RunReport {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-shipped-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try RunStore(path: folder.appendingPathComponent("n.sqlite").path)
        return try TrainingRun.run(try PreparedRun(config: try config(name)), store: store)
    }

    func testDigitsSoftmaxReaches95PercentOnTheTestPart() throws {
        let report = try train("digits-softmax")
        XCTAssertEqual(report.status, .finished)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(report.result.final?.value("test", "accuracy")), 0.95)
    }

    func testDigitsMLPReaches97PercentOnTheTestPart() throws {
        let report = try train("digits-mlp")
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(report.result.final?.value("test", "accuracy")), 0.97)
    }

    func testIrisLearnsTheThreeNamedSpecies() throws {
        let report = try train("iris")
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(report.result.final?.value("test", "accuracy")), 0.9)
    }

    func testConfigsForDownloadedDataDecodeAndPlan() throws {
        let cs231n = try SweepPlan(config: try config("cs231n"))
        XCTAssertEqual(try (0..<cs231n.count).map { try cs231n.trial($0) }.map { [$0.spec.learningRate, $0.spec.reg] },
                       [[1e-7, 5e4], [1e-7, 1e5], [5e-7, 5e4], [5e-7, 1e5]])
        XCTAssertEqual(cs231n.config.training.iterations, 1500)
        let mnist = try config("mnist-mlp")
        guard case .idx(let idx) = mnist.data.source.kind else { return XCTFail("mnist-mlp reads IDX files") }
        XCTAssertTrue(idx.images.resolved.hasSuffix("data/mnist/train-images-idx3-ubyte.gz"))
        XCTAssertEqual(try SweepPlan(config: try config("digits-sweep")).count, 9)
    }

    func testGradientsOfEveryShippedModelMatchCenteredDifferences() throws {
        for name in ["xor-softmax", "xor-sigmoid", "xor-tanh", "xor-relu", "digits-softmax", "digits-mlp", "iris"] {
            // The tight relative test at h = 1e-5 (inputs here are small) and `netrun gradcheck`'s
            // default, torch.autograd.gradcheck's test at h = 1e-6.
            let tight = try GradientCheckRun(config: try config(name), samples: 8, entries: 20,
                                             tolerance: .relative(threshold: 1e-6), step: 1e-5)
            for result in tight.results {
                XCTAssertLessThan(result.maxRelativeError, 1e-6, "\(name) \(result.parameter)")
                XCTAssertTrue(result.passed, "\(name) \(result)")
            }
            for result in try GradientCheckRun(config: try config(name), samples: 8, entries: 20).results {
                XCTAssertTrue(result.passed, "\(name) \(result)")
            }
        }
    }
}

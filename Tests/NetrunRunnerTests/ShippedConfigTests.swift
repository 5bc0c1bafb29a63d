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
        return try TrainingRun.run(try PreparedRun<Float>(config: try config(name)), store: store)
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

    func testDigitsAdamWithCosineEarlyStoppingAndKeepBestReaches97Percent() throws {
        let config = try config("digits-adam")
        XCTAssertEqual(config.training.optimizer.name, "adam")
        XCTAssertNotNil(config.training.earlyStopping)
        let report = try train("digits-adam")
        XCTAssertEqual(report.status, .finished)
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
        let exact = try SweepPlan(config: try config("cs231n-exact"))
        XCTAssertEqual(exact.config.training.dtype, .float64)
        var asFloat32 = exact.config.training
        asFloat32.dtype = .float32
        XCTAssertEqual(asFloat32, cs231n.config.training, "the exact variant differs only in its dtype")
        XCTAssertEqual(try (0..<exact.count).map { try exact.trial($0).spec.learningRate }, [1e-7, 1e-7, 5e-7, 5e-7])
        let mnist = try config("mnist-mlp")
        guard case .idx(let idx) = mnist.data.source.kind else { return XCTFail("mnist-mlp reads IDX files") }
        XCTAssertTrue(idx.images.resolved.hasSuffix("data/mnist/train-images-idx3-ubyte.gz"))
        XCTAssertEqual(try SweepPlan(config: try config("digits-sweep")).count, 9)
        let adam = try config("mnist-adam")
        XCTAssertEqual(adam.training.optimizer.name, "adam")
        XCTAssertEqual(adam.training.keepBest?.name, "accuracy")
    }

    /// configs/cs231n.yaml on a CIFAR-shaped folder it generates (five training batches of 20
    /// images and a test batch of 10), with the row ranges and iterations made small by overrides:
    /// the notebook's protocol — contiguous train/val rows, the mean of the training rows, the bias
    /// trick, batches drawn with replacement — end to end.
    func testCS231nProtocolRunsOnACIFARShapedFile() throws {
        try runCS231n("cs231n", as: Float.self)
    }

    /// configs/cs231n-exact.yaml the same way: the same protocol, trained and stored in float64.
    func testCS231nExactRunsInFloat64OnACIFARShapedFile() throws {
        let runID = try runCS231n("cs231n-exact", as: Double.self)
        XCTAssertEqual(runID, 1)
    }

    @discardableResult
    private func runCS231n<Scalar: NetScalar>(_ name: String, as: Scalar.Type) throws -> Int64 {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cs231n-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let batches = folder.appendingPathComponent("data/cifar-10-batches-bin")
        try FileManager.default.createDirectory(at: batches, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("configs"), withIntermediateDirectories: true)
        var generator = SplitMix64(seed: 7)
        func records(_ count: Int) -> Data {
            var bytes = [UInt8]()
            for _ in 0..<count {
                let label = Int(generator.next() % 10)
                bytes.append(UInt8(label))
                // Each class a different brightness, so the classifier has something to learn.
                bytes += (0..<3072).map { _ in UInt8(min(255, label * 20 + Int(generator.next() % 60))) }
            }
            return Data(bytes)
        }
        for batch in 1...5 { try records(20).write(to: batches.appendingPathComponent("data_batch_\(batch).bin")) }
        try records(10).write(to: batches.appendingPathComponent("test_batch.bin"))
        let path = folder.appendingPathComponent("configs/\(name).yaml").path
        try FileManager.default.copyItem(atPath: Self.repository.appendingPathComponent("configs/\(name).yaml").path,
                                         toPath: path)
        let overrides = ["data.rows=[0, 90]", "data.val.rows=[90, 100]", "data.test.rows=[0, 10]",
                         "training.iterations=30", "training.batch_size=20", "training.log_every=10",
                         "training.learning_rate=1e-6"].map { try! ConfigOverride.parse(argument: $0) }
        let config = try ConfigLoader.load(path: path, overrides: overrides)
        XCTAssertTrue(config.model.biasTrick)
        XCTAssertEqual(config.training.sampling, .withReplacement)
        let store = try RunStore(path: folder.appendingPathComponent("n.sqlite").path)
        XCTAssertEqual(config.training.dtype, Scalar.dtype)
        let prepared = try PreparedRun<Scalar>(config: config)
        XCTAssertEqual([prepared.data.train.count, prepared.data.validation?.count, prepared.data.test?.count], [90, 10, 10])
        let report = try TrainingRun.run(prepared, store: store)
        XCTAssertEqual(report.status, .finished)
        XCTAssertEqual(report.result.steps, 30)
        XCTAssertNotNil(report.result.final?.value("val", "accuracy"))
        XCTAssertEqual(Set(try store.weights(runID: report.runID).map(\.shape)), [[10, 3072], [10]], "PyTorch's layout")
        XCTAssertEqual(Set(try store.weights(runID: report.runID).map(\.dtype)), [Scalar.dtype])
        return report.runID
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

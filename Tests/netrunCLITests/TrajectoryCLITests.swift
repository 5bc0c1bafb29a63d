// Cost: 16 cases × 2 dtypes = 32 runs of 50 full-batch steps on 24 samples (a few seconds).
import Foundation
import NetrunStore
import XCTest

/// Every logged training loss of netrun's optimizers and schedules follows PyTorch's, step for
/// step: the same data, the same initial weights (`model.init_from`), full batches, 50 epochs,
/// a loss logged at every step. PyTorch's traces are float64; netrun must match them within 1e-9
/// relative in float64 and within 1e-5 in float32.
final class TrajectoryCLITests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-traces-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// expected.json: per case, its config and PyTorch's logged losses (step 0 before any update,
    /// then after each update) and the rate each update used.
    private struct Expected: Decodable {
        struct Case: Decodable {
            var name: String
            var config: String
            var train_loss: [Double]
            var learning_rates: [Double]
        }
        var steps: Int
        var cases: [Case]
    }

    private static let fixtures = CLIRunner.repository.appendingPathComponent("Tests/Fixtures/trajectories")

    private func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("expected.json")))
    }

    func testFloat64LossesFollowPyTorchWithin1e9() throws {
        try checkEveryCase(dtype: "float64", tolerance: 1e-9)
    }

    /// The float32 path starts from the same weights (every value in init.safetensors is a float32
    /// value, and so is every input) and must stay within 1e-5 of the float64 trace.
    func testFloat32LossesFollowPyTorchWithin1e5() throws {
        try checkEveryCase(dtype: "float32", tolerance: 1e-5)
    }

    private func checkEveryCase(dtype: String, tolerance: Double) throws {
        let expected = try expected()
        XCTAssertEqual(expected.cases.count, 16, "every optimizer and schedule has a case")
        for trace in expected.cases {
            guard let logged = try trainLosses(config: Self.fixtures.appendingPathComponent(trace.config).path,
                                               dtype: dtype, name: trace.name) else { continue }
            XCTAssertEqual(logged.losses.map(\.step), Array(0...expected.steps), "\(trace.name) (\(dtype)): a loss at every step")
            XCTAssertEqual(logged.rates.count, expected.steps + 1, "\(trace.name) (\(dtype)): a rate at every step")
            guard logged.rates.count == expected.steps + 1 else { continue }
            for (point, want) in zip(logged.losses, trace.train_loss) {
                // Relative: the losses stay between 0.17 and 1.5.
                XCTAssertLessThanOrEqual(abs(point.value - want), tolerance * abs(want),
                                         "\(trace.name) (\(dtype)) step \(point.step): \(point.value), PyTorch \(want)")
            }
            // The `lr` logged at step s is the rate the next update uses: PyTorch's learning_rates[s].
            for (step, want) in trace.learning_rates.enumerated() {
                let rate = logged.rates[step]
                XCTAssertLessThanOrEqual(abs(rate - want), 1e-12 * abs(want),
                                         "\(trace.name) (\(dtype)) lr at step \(step): \(rate), PyTorch \(want)")
            }
        }
    }

    /// The training losses and rates one run logged, by step: `config` trained with `training.dtype` set;
    /// nil, with the failure recorded, when netrun refused or failed the run.
    private func trainLosses(config: String, dtype: String, name: String) throws -> (losses: [MetricPoint], rates: [Double])? {
        let database = directory.appendingPathComponent("\(name)-\(dtype).sqlite").path
        let result = try CLIRunner.run([config, "training.dtype=\(dtype)", "--db", database, "--quiet"])
        guard result.status == 0 else {
            XCTFail("\(name) (\(dtype)): exit \(result.status): \(result.stderr)")
            return nil
        }
        let store = try RunStore(path: database)
        let runs = try store.summaries()
        XCTAssertEqual(runs.count, 1, "\(name) (\(dtype))")
        guard let run = runs.first else { return nil }
        let metrics = try store.metrics(runID: run.id).filter { $0.split == "train" }.sorted { $0.step < $1.step }
        return (metrics.filter { $0.name == "loss" }, metrics.filter { $0.name == "lr" }.map(\.value))
    }
}

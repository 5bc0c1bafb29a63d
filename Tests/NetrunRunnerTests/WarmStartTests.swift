import Foundation
import NetrunConfig
import NetrunCore
import NetrunRunner
import NetrunStore
import XCTest

/// `model.init_from`, `model.freeze`, dropout across a resume, and `epochs: 0`, through recorded runs.
final class WarmStartTests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("n.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-warm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func config(_ model: String = "", layers: String = "[{dense: {units: 8, activation: tanh}}, {dense: 3}]",
                        training: String = "epochs: 6") throws -> Config {
        try ConfigLoader.decode(text: """
            name: spiral
            seed: 6
            data:
              synthetic: {kind: spiral, classes: 3, per_class: 30}
              split: {val: 15}
            model:
              layers: \(layers)
            \(model.isEmpty ? "" : "  " + model)
            loss: softmax_cross_entropy
            training: {learning_rate: 0.5, momentum: 0.8, batch_size: 16, log_every: 2, checkpoint_every: 2, \(training)}
            """, path: directory.appendingPathComponent("spiral.yaml").path)
    }

    private func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    private func values(_ network: Network<Float>) -> [[Float]] { network.parameters.map(\.parameter.value.values) }

    private func values(_ network: StoredNetwork) -> [[Float]] {
        guard case .float32(let network) = network else { return [] }
        return values(network)
    }

    /// A run's stored weights in the network's parameter order (the store sorts by layer, then name).
    private func stored(_ store: RunStore, _ runID: Int64) throws -> [[Float]] {
        let tensors = try store.weights(runID: runID).sorted {
            ($0.layer, $0.name == "bias" ? 1 : 0) < ($1.layer, $1.name == "bias" ? 1 : 0)
        }
        return tensors.map { $0.values.map { Float($0) } }
    }

    /// A finished run's weights written as `netrun export` writes them.
    private func exported(_ store: RunStore, _ runID: Int64, to name: String) throws -> String {
        let tensors = try store.weights(runID: runID).map {
            ExportTensor(name: "\($0.layer).\($0.name)", shape: $0.shape, values: $0.values)
        }
        let path = directory.appendingPathComponent(name).path
        try Safetensors.encode(tensors).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testInitFromAnExportedFileLoadsItsTensorsAfterTheSeededInitialisation() throws {
        let store = try RunStore(path: database)
        let trained = try TrainingRun.run(try PreparedRun<Float>(config: try config()), store: store)
        _ = try exported(store, trained.runID, to: "start.safetensors")
        let plain = try PreparedRun<Float>(config: try config())
        let warm = try PreparedRun<Float>(config: try config("init_from: start.safetensors"))
        XCTAssertEqual(try stored(store, trained.runID), values(warm.network))
        XCTAssertNotEqual(values(plain.network), values(warm.network))
        XCTAssertEqual(warm.generator, plain.generator, "the seeded stream is the same with or without init_from")
    }

    func testInitFromARecordedRunLoadsItsModelAndAnUnknownRunIsLocated() throws {
        let store = try RunStore(path: database)
        let trained = try TrainingRun.run(try PreparedRun<Float>(config: try config()), store: store)
        let warm = try PreparedRun<Float>(config: try config("init_from: {run: \(trained.runID)}"), database: database)
        XCTAssertEqual(try stored(store, trained.runID), values(warm.network))
        XCTAssertTrue(error { try PreparedRun<Float>(config: try self.config("init_from: {run: 99}"), database: self.database) }
            .hasSuffix("spiral.yaml:8:14: model.init_from: there is no run 99 in \(database)"))
    }

    func testInitFromNamesEveryMissingMisshapedAndUnexpectedTensor() throws {
        let tensors = [ExportTensor(name: "0.weight", shape: [4, 2], values: Array(repeating: 0, count: 8)),
                       ExportTensor(name: "0.bias", shape: [8], values: Array(repeating: 0, count: 8)),
                       ExportTensor(name: "2.weight", shape: [3, 8], values: Array(repeating: 0, count: 24)),
                       ExportTensor(name: "4.weight", shape: [1], values: [0])]
        try Safetensors.encode(tensors).write(to: directory.appendingPathComponent("bad.safetensors"))
        XCTAssertEqual(error { try PreparedRun<Float>(config: try self.config("init_from: bad.safetensors")) },
                       directory.appendingPathComponent("spiral.yaml").path + ":8:14: model.init_from: the weights do not fit "
                       + "the model: missing 2.bias; 0.weight has shape [4, 2], the model's [8, 2]; unexpected 4.weight (no such "
                       + "parameter in the model); tensors are named LAYER.weight and LAYER.bias with layers numbered as "
                       + "`netrun export` names them")
        try Data("not a safetensors file".utf8).write(to: directory.appendingPathComponent("junk.safetensors"))
        XCTAssertTrue(error { try PreparedRun<Float>(config: try self.config("init_from: junk.safetensors")) }
            .contains("model.init_from: \(directory.path)/junk.safetensors is not a safetensors file netrun can read: "))
        XCTAssertTrue(error { try PreparedRun<Float>(config: try self.config("init_from: gone.safetensors")) }
            .contains("model.init_from: cannot read \(directory.path)/gone.safetensors: no such file"))
    }

    func testFrozenLayerStaysAtItsStartAndAResumedRunEqualsAnUninterruptedOne() throws {
        let store = try RunStore(path: database)
        let source = try TrainingRun.run(try PreparedRun<Float>(config: try config()), store: store)
        let fine = try config("init_from: {run: \(source.runID)}\n  freeze: [0]")
        let whole = try TrainingRun.run(try PreparedRun<Float>(config: fine, database: database), store: store)
        let start = try stored(store, source.runID), end = try stored(store, whole.runID)
        XCTAssertEqual(end[0...1], start[0...1], "layer 0 kept its loaded weights")
        XCTAssertNotEqual(end[2...], start[2...], "layer 2 trained")

        var steps = 0
        let stopped = try TrainingRun.run(try PreparedRun<Float>(config: fine, database: database), store: store,
                                          shouldStop: { steps += 1; return steps == 9 })
        XCTAssertEqual(stopped.status, .interrupted)
        let model = try StoredModel(runID: stopped.runID, store: store)
        XCTAssertEqual(values(model.network)[0...1], start[0...1], "the interrupted model rebuilds its frozen layer")
        let resumed = try TrainingRun.resume(runID: stopped.runID, store: store)
        XCTAssertEqual(resumed.status, .finished)
        XCTAssertEqual(try stored(store, resumed.runID), end)
    }

    /// The init_from file is fingerprinted with the data: a resume (which rebuilds frozen layers
    /// from it) refuses it changed, unless allowed; evaluating the stored model does not need it.
    func testAChangedInitFromFileIsRefusedOnResumeButNotOnEval() throws {
        let store = try RunStore(path: database)
        let source = try TrainingRun.run(try PreparedRun<Float>(config: try config()), store: store)
        let path = try exported(store, source.runID, to: "start.safetensors")
        var steps = 0
        let stopped = try TrainingRun.run(try PreparedRun<Float>(config: try config("init_from: start.safetensors\n  freeze: [0]")),
                                          store: store, shouldStop: { steps += 1; return steps == 9 })
        let recorded = try XCTUnwrap(try store.recordedData(runID: stopped.runID))
        XCTAssertEqual(recorded.files.map(\.role), ["init_from"],
                       "synthetic data has no files; the init_from file is recorded")
        XCTAssertEqual(recorded.files.first?.absolutePath, path)

        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 1] ^= 0x40  // the last weight's top byte
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(error { try TrainingRun.resume(runID: stopped.runID, store: store) },
                       "init_from file \(path) changed since run \(stopped.runID) read it (content differs: same size, another "
                       + "SHA-256); pass --allow-changed-data to continue anyway")
        XCTAssertNoThrow(try StoredModel(runID: stopped.runID, store: store).evaluate(split: "val"))
        XCTAssertEqual(try TrainingRun.resume(runID: stopped.runID, store: store, allowChangedData: true).status, .finished)
    }

    func testDropoutRunResumesBitIdentically() throws {
        let store = try RunStore(path: database)
        let dropout = try config(layers: "[{dense: {units: 8, activation: tanh}}, {dropout: 0.3}, {dense: 3}]")
        let whole = try TrainingRun.run(try PreparedRun<Float>(config: dropout), store: store)
        let plain = try TrainingRun.run(try PreparedRun<Float>(config: try config()), store: store)
        XCTAssertNotEqual(try store.weights(runID: whole.runID).map(\.values), try store.weights(runID: plain.runID).map(\.values))
        var steps = 0
        let stopped = try TrainingRun.run(try PreparedRun<Float>(config: dropout), store: store, shouldStop: { steps += 1; return steps == 11 })
        let resumed = try TrainingRun.resume(runID: stopped.runID, store: store)
        XCTAssertEqual(try store.weights(runID: resumed.runID), try store.weights(runID: whole.runID))
        XCTAssertEqual(try store.metrics(runID: resumed.runID).map(\.value), try store.metrics(runID: whole.runID).map(\.value))
    }

    func testASweepOverDropoutStartsEveryTrialFromTheRecordedRun() throws {
        let store = try RunStore(path: database)
        // Names follow layer indices (as in nn.Sequential): the source has the dropout layer too.
        let layers = "[{dense: {units: 8, activation: tanh}}, {dropout: 0.1}, {dense: 3}]"
        let source = try TrainingRun.run(try PreparedRun<Float>(config: try config(layers: layers)), store: store)
        let text = try config("init_from: {run: \(source.runID)}\n  freeze: [0]", layers: layers).text
            + "\nsweep:\n  grid:\n    model.layers[1].dropout: [0, 0.4]\n"
        let plan = try SweepPlan(config: try ConfigLoader.decode(text: text, path: directory.appendingPathComponent("s.yaml").path))
        let report = try SweepRun.run(plan, store: store, jobs: 1)
        XCTAssertEqual(report.outcomes.map(\.status), [.finished, .finished])
        let start = try stored(store, source.runID)
        for outcome in report.outcomes {
            XCTAssertEqual(try stored(store, try XCTUnwrap(outcome.runID))[0...1], start[0...1], "each trial kept the frozen start")
        }
    }

    func testZeroEpochsRecordsTheInitialModelAsAFinishedRun() throws {
        let store = try RunStore(path: database)
        let prepared = try PreparedRun<Float>(config: try config(training: "epochs: 0"))
        let initial = values(prepared.network)
        let report = try TrainingRun.run(prepared, store: store)
        XCTAssertEqual(report.status, .finished)
        XCTAssertEqual(report.result.steps, 0)
        XCTAssertEqual(Set(try store.metrics(runID: report.runID).map(\.step)), [0])
        XCTAssertEqual(try stored(store, report.runID), initial)
        XCTAssertEqual(values(try StoredModel(runID: report.runID, store: store).network), initial)
        let iterations = try TrainingRun.run(try PreparedRun<Float>(config: try config(training: "iterations: 0")), store: store)
        XCTAssertEqual(iterations.status, .finished)
        XCTAssertEqual(try stored(store, iterations.runID), initial)
    }
}

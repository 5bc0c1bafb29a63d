import Foundation
import GRDB
@testable import NetrunStore
import XCTest

final class MigrationTests: XCTestCase {
    func testADatabaseFromTheFirstReleaseIsUpgradedKeepingItsRuns() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path

        let old = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(old, upTo: "001-runs-metrics-weights")
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO runs (name, config_path, config_text, config_hash, seed, status, netrun_version, train_loss)
                VALUES ('xor', 'x.yaml', 't', 'h', 1, 'finished', '0.1.0', 0.25)
                """)
        }
        try old.close()

        let store = try RunStore(path: path)
        let run = try XCTUnwrap(try store.summary(runID: 1))
        XCTAssertEqual(run.trainLoss, 0.25)
        XCTAssertNil(run.validationAccuracy)
        let columns = try DatabaseQueue(path: path).read { db in try db.columns(in: "run_overview").map(\.name) }
        XCTAssertTrue(columns.contains("val_accuracy"))
    }

    func testDtypeMigrationKeepsWeightsPreprocessingAndCheckpointsAndAcceptsFloat64() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path

        let old = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(old, upTo: "007-data-fingerprints")
        let blob = LittleEndian.bytes([Float(1.5), -2])
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO runs (name, config_path, config_text, config_hash, seed, status, netrun_version)
                VALUES ('xor', 'x.yaml', 't', 'h', 1, 'finished', '0.1.0');
                INSERT INTO weights (run_id, layer, name, shape, dtype, data) VALUES (1, 0, 'bias', '[2]', 'float32', ?);
                INSERT INTO preprocessing (run_id, name, shape, dtype, data) VALUES (1, 'mean', '[2]', 'float32', ?);
                INSERT INTO checkpoints (run_id, step, epoch, learning_rate, rng_state, sample_order, config_hash)
                VALUES (1, 3, 1, 0.1, 7, x'', 'h');
                INSERT INTO checkpoint_tensors (run_id, kind, position, layer, name, shape, dtype, data)
                VALUES (1, 'velocity', 0, 0, 'bias', '[2]', 'float32', ?);
                """, arguments: [blob, blob, blob])
        }
        try old.close()

        let store = try RunStore(path: path)
        XCTAssertEqual(try store.weights(runID: 1).map(\.values), [[1.5, -2]])
        XCTAssertEqual(try store.preprocessing(runID: 1).first?.values, [1.5, -2])
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM checkpoint_tensors WHERE kind = 'velocity'"), 1)
            try db.execute(sql: """
                INSERT INTO weights (run_id, kind, layer, name, shape, dtype, data) VALUES (1, 'last', 0, 'bias', '[1]', 'float64', x'0000000000000000');
                INSERT INTO checkpoint_tensors (run_id, kind, position, layer, name, shape, dtype, data)
                VALUES (1, 'exp_avg', 0, 0, 'bias', '[1]', 'float64', x'0000000000000000');
                """)
            XCTAssertThrowsError(try db.execute(sql: """
                INSERT INTO weights (run_id, kind, layer, name, shape, dtype, data) VALUES (1, 'model', 1, 'bias', '[1]', 'float16', x'0000')
                """))
        }
        XCTAssertEqual(try store.weights(runID: 1).count, 1, "the model's weights, not the last ones kept beside them")
    }

    func testHalvingMigrationKeepsTrialsAndShowsPrunedTrialsWithTheirRung() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path

        let old = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(old, upTo: "010-run-uuid")
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO runs (name, config_path, config_text, config_hash, seed, status, netrun_version)
                VALUES ('s#0', 'x.yaml', 't', 'h', 1, 'finished', '0.1.0'), ('s#1', 'x.yaml', 't', 'h', 1, 'interrupted', '0.1.0');
                INSERT INTO sweeps (name, config_path, config_text, config_hash, seed, metric, maximize, netrun_version)
                VALUES ('s', 'x.yaml', 't', 'h', 1, 'val_accuracy', 1, '0.1.0');
                INSERT INTO trials (sweep_id, trial, assignment, learning_rate, reg, run_id, score, status)
                VALUES (1, 0, 'a=0', 0.1, 0, 1, 0.5, 'done'), (1, 1, 'a=1', 0.1, 0, 2, 0.25, 'done');
                """)
        }
        try old.close()

        _ = try RunStore(path: path)
        let queue = try DatabaseQueue(path: path)
        let before = try queue.read { db in try Row.fetchAll(db, sql: "SELECT trial, status, rung FROM sweep_results ORDER BY trial") }
        XCTAssertEqual(before.map { "\($0["trial"] as Int) \($0["status"] as String) \(($0["rung"] as Int?).map(String.init) ?? "-")" },
                       ["0 finished -", "1 interrupted -"], "a grid sweep's trials have no rung")
        try queue.write { db in
            try db.execute(sql: "UPDATE trials SET rung = 3, pruned = 1 WHERE trial = 1")
            XCTAssertThrowsError(try db.execute(sql: "UPDATE trials SET pruned = 2 WHERE trial = 0"))
            XCTAssertThrowsError(try db.execute(sql: "UPDATE trials SET rung = 0 WHERE trial = 0"))
        }
        let after = try queue.read { db in try Row.fetchAll(db, sql: "SELECT status, rung FROM sweep_results WHERE trial = 1") }
        XCTAssertEqual(after.first?["status"], "pruned")
        XCTAssertEqual(after.first?["rung"], 3)
    }
}

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
}

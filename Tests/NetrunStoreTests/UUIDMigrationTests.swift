import Foundation
import GRDB
@testable import NetrunStore
import XCTest

final class UUIDMigrationTests: XCTestCase {
    private let uuidPattern = try! NSRegularExpression(pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

    private func isUUID(_ text: String?) -> Bool {
        guard let text else { return false }
        return uuidPattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    func testOldRunsAndSweepsGetDistinctUUIDsAndNewOnesGetOneAtCreation() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-uuid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path

        let old = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(old, upTo: "008-dtypes-and-training-state")
        try old.write { db in
            for name in ["a", "b", "c"] {
                try db.execute(sql: """
                    INSERT INTO runs (name, config_path, config_text, config_hash, seed, status, netrun_version)
                    VALUES (?, 'x.yaml', 't', 'h', 1, 'finished', '0.1.0')
                    """, arguments: [name])
            }
            try db.execute(sql: """
                INSERT INTO sweeps (name, config_path, config_text, config_hash, seed, metric, maximize, netrun_version)
                VALUES ('s', 'x.yaml', 't', 'h', 1, 'val_accuracy', 1, '0.1.0')
                """)
        }
        try old.close()

        let store = try RunStore(path: path)
        let runID = try store.beginRun(NewRun(name: "d", configPath: "x.yaml", configText: "t", seed: 1, netrunVersion: "0.1.0"))
        let sweep = try store.openSweep(NewSweep(name: "t", configPath: "x.yaml", configText: "u", seed: 1, metric: "val_loss",
                                                 maximize: false, netrunVersion: "0.1.0"),
                                        trialCount: 0, listing: { [] })
        let (runs, sweeps) = try DatabaseQueue(path: path).read { db in
            (try String?.fetchAll(db, sql: "SELECT uuid FROM runs ORDER BY id"),
             try String?.fetchAll(db, sql: "SELECT uuid FROM sweeps ORDER BY id"))
        }
        XCTAssertEqual(runs.count, 4)
        XCTAssertEqual(runID, 4)
        XCTAssertEqual(sweeps.count, 2)
        XCTAssertNotEqual(sweep.id, 1)
        for uuid in runs + sweeps { XCTAssertTrue(isUUID(uuid), "\(uuid ?? "NULL") is not a version-4 UUID") }
        XCTAssertEqual(Set(runs).count, 4, "every run has its own id")
        XCTAssertEqual(Set(sweeps).count, 2)
    }
}

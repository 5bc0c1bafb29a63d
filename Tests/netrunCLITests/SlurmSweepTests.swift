// The digits grid sharded over a real Slurm array (scripts/slurm-local.sh) and merged, against one machine.
import Foundation
import XCTest

/// Issue 15: the digits grid sharded over a 3-task Slurm array of deploy/slurm-sweep.sbatch and
/// merged by deploy/slurm-merge.sbatch equals the same sweep run on one machine, bit for bit.
final class SlurmSweepTests: XCTestCase {
    /// Quick: the 3 × 3 digits grid at 2 epochs.
    private let overrides = ["training.epochs=2", "training.log_every=1"]

    /// Every column of sweep_results a sweep decides, reals printed with 17 significant digits
    /// (which give back the same double), one line per trial.
    private let results = """
        SELECT trial, printf('%.17g', learning_rate), printf('%.17g', reg), status,
               printf('%.17g', train_accuracy), printf('%.17g', val_accuracy), printf('%.17g', test_accuracy),
               printf('%.17g', train_loss), printf('%.17g', val_loss), best, assignment
        FROM sweep_results ORDER BY trial
        """

    func testThreeShardSlurmSweepMergedEqualsTheSameSweepOnOneMachine() throws {
        let slurm = try SlurmLocal.start(skipping: "sweep integration test")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-slurm-sweep-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = CLIRunner.repository.appendingPathComponent("configs/digits-sweep.yaml").path
        let local = folder.appendingPathComponent("local.sqlite").path
        let merged = folder.appendingPathComponent("sweep.sqlite").path

        let alone = try CLIRunner.run(["sweep", config] + overrides + ["--db", local, "--quiet"])
        XCTAssertEqual(alone.status, 0, alone.stderr)

        // The wrapper a user types: an array of deploy/slurm-sweep.sbatch, then the merge after it.
        // Run from the temporary folder, where Slurm writes the jobs' output files.
        let wrapper = CLIRunner.repository.appendingPathComponent("deploy/slurm-sweep.sh").path
        var environment = slurm
        environment["NETRUN"] = CLIRunner.binary.path
        environment["NETRUN_SHARDS_DIR"] = folder.appendingPathComponent("shards").path
        environment["NETRUN_MERGED"] = merged
        let submitted = try SlurmLocal.run("/bin/sh", ["-c", #"cd "$0" && exec "$@""#, folder.path,
                                                       wrapper, "--wait", config, "3"] + overrides,
                                           environment: environment, timeout: 300)
        XCTAssertEqual(submitted.status, 0, "\(submitted.stdout)\(submitted.stderr)\n\(jobOutput(folder))")

        let shards = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("shards").path)
            .filter { $0.hasSuffix(".sqlite") }.sorted()
        XCTAssertEqual(shards, ["shard-0.sqlite", "shard-1.sqlite", "shard-2.sqlite"])
        for shard in 0..<3 {  // trial i is in shard i mod 3, and only there
            let trials = try sql("SELECT group_concat(trial) FROM (SELECT trial FROM trials t JOIN runs r ON r.id = t.run_id ORDER BY trial)",
                                 folder.appendingPathComponent("shards/shard-\(shard).sqlite").path)
            XCTAssertEqual(trials, [shard, shard + 3, shard + 6].map(String.init).joined(separator: ","), "shard \(shard)")
        }

        let expected = try sql(results, local)
        XCTAssertEqual(expected.split(separator: "\n").count, 9, "the local sweep ran all nine trials")
        XCTAssertEqual(try sql(results, merged), expected, "merged sweep_results, trial for trial, bit for bit")
        XCTAssertEqual(try sql("SELECT count(*) FROM runs", merged), "9")
        XCTAssertEqual(try sql("SELECT count(*) FROM sweeps", merged), "1")
    }

    private func sql(_ query: String, _ database: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { throw XCTSkip("needs /usr/bin/sqlite3") }
        let result = try SlurmLocal.run("sqlite3", [database, query])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The Slurm jobs' output files, for a failure message.
    private func jobOutput(_ folder: URL) -> String {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".out") }.sorted().map { name in
            "--- \(name)\n" + ((try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? "")
        }.joined(separator: "\n")
    }
}

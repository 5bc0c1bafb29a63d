import Foundation
import GRDB
import XCTest

/// `netrun sweep --shard` and `netrun merge`, run as the built binary.
final class ShardCLITests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-shard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private let sweep = """
        name: blobs
        seed: 3
        data:
          synthetic: {kind: blobs, classes: 3, per_class: 20, dimensions: 2, spread: 2}
          split: {val: 15}
        model: {layers: [{dense: 3}]}
        loss: softmax_cross_entropy
        training: {learning_rate: 0.1, batch_size: 15, epochs: 2}
        sweep:
          grid:
            training.learning_rate: [0.01, 0.1, 1]

        """

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func config() throws -> String {
        try sweep.write(toFile: path("sweep.yaml"), atomically: true, encoding: .utf8)
        return path("sweep.yaml")
    }

    private func doneTrials(_ db: String) throws -> [Int] {
        try DatabaseQueue(path: db).read { db in try Int.fetchAll(db, sql: "SELECT trial FROM trials WHERE status = 'done' ORDER BY trial") }
    }

    func testBadShardSpecsAreUsageErrors() throws {
        let config = try config()
        let cases: [([String], [String: String], String)] = [
            (["--shard", "3/3"], [:], "--shard 3/3: shard 3 is not in 0..<3 (shards count from 0)"),
            (["--shard", "1-3"], [:], "--shard 1-3: expected I/N, e.g. 0/3 for the first of three shards, or auto"),
            (["--shard", "0/0"], [:], "--shard 0/0: the shard count 0 must be at least 1"),
            (["--shard", "1/3", "--shards", "3"], [:], "--shards N goes with --shard auto, not with --shard 1/3"),
            (["--shard", "auto"], [:],
             "--shard auto: neither SLURM_ARRAY_TASK_ID (a Slurm job array) nor JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set"),
            (["--shard", "auto"], ["JOB_COMPLETION_INDEX": "1"],
             "--shard auto: JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but not the shard count; give --shards N"),
            (["--shard", "auto", "--shards", "2"], ["JOB_COMPLETION_INDEX": "2"],
             "--shard auto (JOB_COMPLETION_INDEX 2, --shards 2): shard 2 is not in 0..<2"),
            (["--shard", "auto"], ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "3"],
             "--shard auto (SLURM_ARRAY_TASK_ID 4, SLURM_ARRAY_TASK_MIN 1, SLURM_ARRAY_TASK_COUNT 3): shard 3 is not in 0..<3"),
            (["--shard", "auto"], ["SLURM_ARRAY_TASK_ID": "2"],
             "--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not"),
        ]
        for (options, environment, message) in cases {
            let result = try CLIRunner.run(["sweep", config, "--db", path("x.sqlite")] + options, environment: environment)
            XCTAssertEqual(result.status, 64, "\(options) \(environment): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(options) \(environment): \(result.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.sqlite")), "nothing recorded for a refused shard")
    }

    func testShardAutoReadsSlurmArrayAndKubernetesIndex() throws {
        let config = try config()
        // `sbatch --array=1-3`: task 2 is the second shard.
        let slurm = try CLIRunner.run(["sweep", config, "--db", path("slurm.sqlite"), "--shard", "auto", "--jobs", "1"],
                                      environment: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "1",
                                                    "SLURM_ARRAY_TASK_COUNT": "3"])
        XCTAssertEqual(slurm.status, 0, slurm.stderr)
        XCTAssertTrue(slurm.stdout.hasPrefix("netrun sweep blobs: shard 1/3 of 3 trials over training.learning_rate"), slurm.stdout)
        XCTAssertTrue(slurm.stdout.contains("\n  this shard runs trial 1 (1 of 3); netrun merge joins the shards' databases\n"), slurm.stdout)
        XCTAssertEqual(try doneTrials(path("slurm.sqlite")), [1])

        let k8s = try CLIRunner.run(["sweep", config, "--db", path("k8s.sqlite"), "--shard", "auto", "--shards", "2", "--jobs", "1"],
                                    environment: ["JOB_COMPLETION_INDEX": "0"])
        XCTAssertEqual(k8s.status, 0, k8s.stderr)
        XCTAssertTrue(k8s.stdout.contains("\n  this shard runs trials 0, 2 (2 of 3); "), k8s.stdout)
        XCTAssertEqual(try doneTrials(path("k8s.sqlite")), [0, 2])
    }

    func testMergeJoinsShardsReportsMissingTrialsAndRefusesMixedSweeps() throws {
        let config = try config()
        for index in 0..<3 {
            let result = try CLIRunner.run(["sweep", config, "--db", path("shard-\(index).sqlite"), "--shard", "\(index)/3", "--quiet"])
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        let partial = try CLIRunner.run(["merge", path("shard-0.sqlite"), path("shard-2.sqlite"), "-o", path("partial.sqlite")])
        XCTAssertEqual(partial.status, 0, partial.stderr)
        XCTAssertTrue(partial.stderr.contains("sweep 1: trial 1 of 3 is missing: shard 1/3 has not run it"), partial.stderr)

        let merged = try CLIRunner.run(["merge"] + (0..<3).map { path("shard-\($0).sqlite") } + ["-o", path("out/merged.sqlite")])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertEqual(merged.stderr, "")
        XCTAssertTrue(merged.stdout.contains("\(path("shard-1.sqlite")): 1 run added\n"), merged.stdout)
        XCTAssertTrue(merged.stdout.contains("sweep 1 blobs: 3 of 3 trials done from 3 shards; best: trial "), merged.stdout)
        XCTAssertEqual(try doneTrials(path("out/merged.sqlite")), [0, 1, 2])

        let again = try CLIRunner.run(["merge", path("shard-1.sqlite"), "-o", path("out/merged.sqlite")])
        XCTAssertTrue(again.stdout.contains("\(path("shard-1.sqlite")): 0 runs added, 1 already in "), again.stdout)

        let other = try CLIRunner.run(["sweep", config, "training.epochs=1", "--db", path("other.sqlite"), "--shard", "1/3", "--quiet"])
        XCTAssertEqual(other.status, 0, other.stderr)
        let mixed = try CLIRunner.run(["merge", path("shard-0.sqlite"), path("other.sqlite"), "-o", path("mixed.sqlite")])
        XCTAssertEqual(mixed.status, 2, mixed.stderr)
        XCTAssertTrue(mixed.stderr.hasPrefix("netrun: \(path("shard-0.sqlite")) and \(path("other.sqlite")) hold shards of different sweeps"),
                      mixed.stderr)

        let itself = try CLIRunner.run(["merge", path("shard-0.sqlite"), "-o", path("shard-0.sqlite")])
        XCTAssertEqual(itself.status, 2, itself.stderr)
        let missing = try CLIRunner.run(["merge", path("nothing.sqlite"), "-o", path("mixed.sqlite")])
        XCTAssertEqual(missing.status, 3, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("nothing.sqlite: could not merge the database: there is no database at this path"), missing.stderr)
    }
}

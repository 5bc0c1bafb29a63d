import Foundation
import XCTest

/// The local Slurm cluster runs job arrays: the engine `deploy/slurm-sweep.sbatch` relies on.
final class SlurmClusterTests: XCTestCase {
    func testLocalClusterRunsEveryTaskOfAnArrayJob() throws {
        let environment = try SlurmLocal.start(skipping: "cluster test")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-slurm-array-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let job = folder.appendingPathComponent("task.sh")
        try """
            #!/bin/sh
            echo "$SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT" > "\(folder.path)/task-$SLURM_ARRAY_TASK_ID"
            """.write(to: job, atomically: true, encoding: .utf8)

        let submitted = try SlurmLocal.run("sbatch", ["--wait", "--array=0-3", "--time=1",
                                                      "--output=\(folder.path)/slurm-%a.out", job.path],
                                           environment: environment)
        XCTAssertEqual(submitted.status, 0, "sbatch --wait: \(submitted.stdout)\(submitted.stderr)")

        for task in 0..<4 {
            let written = try? String(contentsOf: folder.appendingPathComponent("task-\(task)"), encoding: .utf8)
            XCTAssertEqual(written, "\(task) of 4\n", "array task \(task)")
        }
    }
}

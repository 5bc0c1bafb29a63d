import Foundation
import XCTest

/// The shipped deploy files parse. The Kubernetes one cannot run here (no cluster): it is checked
/// as YAML, with its shard count N the same in completions, parallelism and --shards.
final class DeployFilesTests: XCTestCase {
    private func path(_ file: String) -> String { CLIRunner.repository.appendingPathComponent(file).path }

    func testKubernetesJobIsYAMLWithOneShardCount() throws {
        let check = """
            import sys, yaml
            docs = list(yaml.safe_load_all(open(sys.argv[1])))
            assert [d['kind'] for d in docs] == ['PersistentVolumeClaim', 'Job', 'Job'], [d['kind'] for d in docs]
            sweep = docs[1]['spec']
            command = sweep['template']['spec']['containers'][0]['command']
            shards = int(command[command.index('--shards') + 1])
            assert sweep['completionMode'] == 'Indexed'
            assert sweep['completions'] == sweep['parallelism'] == shards, (sweep['completions'], sweep['parallelism'], shards)
            assert command[command.index('--shard') + 1] == 'auto'
            assert command[-1] == '/shared/shard-$(JOB_COMPLETION_INDEX).sqlite', command[-1]
            """
        let probe = try SlurmLocal.run("python3", ["-c", "import yaml"])
        guard probe.status == 0 else {
            print("skipped: deploy/k8s-sweep-job.yaml check because python3 with PyYAML is missing")
            throw XCTSkip("needs python3 with PyYAML")
        }
        let result = try SlurmLocal.run("python3", ["-c", check, path("deploy/k8s-sweep-job.yaml")])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testSlurmScriptsAreValidBash() throws {
        for file in ["deploy/slurm-sweep.sbatch", "deploy/slurm-merge.sbatch", "deploy/slurm-sweep.sh", "scripts/slurm-local.sh"] {
            let result = try SlurmLocal.run("bash", ["-n", path(file)])
            XCTAssertEqual(result.status, 0, "\(file): \(result.stderr)")
        }
    }
}

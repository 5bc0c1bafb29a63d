import Foundation
import XCTest

/// The single-node Slurm cluster of `scripts/slurm-local.sh`, for tests that submit jobs to it.
///
/// The cluster is left running after a test: starting it again is then instant, and a test in
/// another process using it at the same time is not cut off. `scripts/slurm-local.sh stop` ends it.
enum SlurmLocal {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let script = CLIRunner.repository.appendingPathComponent("scripts/slurm-local.sh").path

    /// Starts the cluster, or finds it running, and returns the environment Slurm's commands need.
    ///
    /// Where this machine cannot run Slurm (the script exits 77: not root, the packages cannot be
    /// installed) it prints `skipped: Slurm <what> because <why>` and throws XCTSkip, so the skip
    /// shows in the log; any other failure to start is a test failure.
    static func start(skipping what: String) throws -> [String: String] {
        let started = try run("/bin/bash", [script, "start"])
        if started.status == 77 {
            let reason = lastLine(started.stderr).replacingOccurrences(of: "slurm-local: ", with: "")
            print("skipped: Slurm \(what) because \(reason)")
            throw XCTSkip("Slurm \(what): \(reason)")
        }
        let prefix = "export SLURM_CONF="
        guard started.status == 0, let line = started.stdout.split(separator: "\n").last(where: { $0.hasPrefix(prefix) }) else {
            throw Failure(description: "scripts/slurm-local.sh start exited \(started.status):\n\(started.stderr)")
        }
        return ["SLURM_CONF": String(line.dropFirst(prefix.count))]
    }

    /// Runs a command found on PATH, killed after `timeout` seconds so a stuck cluster fails the
    /// test instead of hanging the suite. It runs in this process's folder: give paths absolute.
    static func run(_ command: String, _ arguments: [String], environment: [String: String] = [:],
                    timeout: Int = 120) throws -> CLIRunner.Result {
        // Output goes to files, not pipes: the daemons a start leaves running must not hold a pipe
        // this process reads to its end.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-slurm-run-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        // posix_spawn and waitpid rather than Process: Foundation's wait for the child, woken by
        // SIGCHLD, was seen to miss the exit of a start that left daemons behind and hang forever.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outURL.path, O_WRONLY | O_TRUNC, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errURL.path, O_WRONLY | O_TRUNC, 0)
        let argv = ["/usr/bin/timeout", String(timeout), command] + arguments
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }
        var cArgv = argv.map { strdup($0) } + [nil], cEnv = env.map { strdup($0) } + [nil]
        defer { (cArgv + cEnv).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArgv, &cEnv)
        guard spawned == 0 else { throw Failure(description: "cannot run \(argv[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var waited = waitpid(pid, &status, 0)
        while waited == -1 && errno == EINTR { waited = waitpid(pid, &status, 0) }
        guard waited == pid else { throw Failure(description: "waitpid \(argv[2]): \(String(cString: strerror(errno)))") }
        let exited = status & 0x7f == 0  // WIFEXITED; WEXITSTATUS is the next byte
        return CLIRunner.Result(status: exited ? (status >> 8) & 0xff : 128 + status & 0x7f,
                                stdout: try String(contentsOf: outURL, encoding: .utf8),
                                stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    private static func lastLine(_ text: String) -> String {
        text.split(separator: "\n").last.map(String.init) ?? "scripts/slurm-local.sh gave no reason"
    }
}

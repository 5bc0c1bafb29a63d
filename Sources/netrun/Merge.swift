import ArgumentParser
import Foundation
import NetrunStore

/// `netrun merge shard-*.sqlite -o sweep.sqlite`: folds databases, typically the shards of one
/// sweep run by a job array, into one.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the runs and sweeps of several databases into one; a sweep's shards become one sweep.",
        discussion: """
            Every run, with its metrics, weights, checkpoint, preprocessing, classes and data files,
            and every sweep with its trials, gets a new id in the output. Merging a database twice
            adds nothing. The shards of one sweep (netrun sweep --shard I/N) become one sweep whose
            best trial is picked as a one-machine sweep picks it; trials no shard has run are listed.
            """)

    @Argument(help: "The databases to merge, e.g. shard-*.sqlite.")
    var databases: [String]

    @Option(name: .shortAndLong, help: "The database to merge into; created (with its folders) if missing.")
    var output: String

    func validate() throws {
        guard !databases.isEmpty else { throw ValidationError("give the databases to merge, e.g. netrun merge shard-*.sqlite -o sweep.sqlite") }
    }

    func run() throws {
        let report: MergeReport
        do {
            report = try RunStore(path: output).merge(databases: databases)
        } catch let error as MergeError {
            printError("\(error)")
            throw ExitStatus.badInput
        } catch {
            throw ExitStatus.failing(error, otherwise: ExitStatus.database)
        }
        for file in report.files {
            print("\(file.path): \(file.runsAdded) run\(file.runsAdded == 1 ? "" : "s") added"
                  + (file.runsUpdated > 0 ? ", \(file.runsUpdated) brought up to date" : "")
                  + (file.runsPresent > 0 ? ", \(file.runsPresent) already in \(output)" : ""))
        }
        for sweep in report.sweeps {
            print("sweep \(sweep.id) \(DisplayText.line(sweep.name)): \(sweep.done) of \(sweep.trialCount) trials done "
                  + "from \(sweep.shardCount) shard\(sweep.shardCount == 1 ? "" : "s")"
                  + (sweep.best.map { "; best: trial \($0)" } ?? ""))
            if let missing = sweep.missingDescription { printError("sweep \(sweep.id): \(missing)") }
        }
    }
}

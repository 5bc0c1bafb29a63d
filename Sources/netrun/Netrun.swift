import ArgumentParser
import Foundation
import NetrunRunner

@main
struct Netrun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netrun",
        abstract: "Train feed-forward neural networks from YAML configs; every run is recorded in SQLite.",
        discussion: """
            netrun CONFIG trains the network CONFIG describes (the same as netrun train CONFIG);
            netrun sweep CONFIG runs the grid of its sweep: block; netrun gradcheck CONFIG checks
            the model's gradients against centered differences.
            Query the results with: sqlite3 runs/netrun.sqlite 'select * from run_overview'
            """,
        version: NetrunVersion.current,
        subcommands: [Train.self, Resume.self, Sweep.self, Runs.self, Show.self, Plot.self, Weights.self, Eval.self, Predict.self,
                      Report.self,
                      Export.self, GradCheck.self, Merge.self, Compare.self, Sweeps.self, Tag.self],
        defaultSubcommand: Train.self)

    static func main() {
        lineBufferStandardOutput()
        if let id = negativeRunID(in: Array(CommandLine.arguments.dropFirst())) {
            printError("run ids are positive integers, got \(id); netrun runs lists them")
            exit(withError: ExitStatus.usage)
        }
        if let typo = CommandTypo.find(in: Array(CommandLine.arguments.dropFirst()), commands: CommandTypo.commands) {
            printError(typo.message)
            exit(withError: ExitStatus.usage)
        }
        // Bare `netrun` prints the help (exit 0); `netrun train` without a config is a usage error.
        main(CommandLine.arguments.count == 1 ? ["--help"] : nil)
    }

    /// A run id written as `-1`: the argument parser would read it as an unknown option and say only
    /// "Missing expected argument". A negative number right after an option is that option's value.
    static func negativeRunID(in arguments: [String]) -> String? {
        for (index, argument) in arguments.enumerated() where argument.count > 1 && argument.first == "-" {
            guard argument.dropFirst().allSatisfy(\.isASCII), Int(argument.dropFirst()) != nil else { continue }
            if index > 0, arguments[index - 1].hasPrefix("-") { continue }
            return argument
        }
        return nil
    }
}

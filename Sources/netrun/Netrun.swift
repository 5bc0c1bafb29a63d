import ArgumentParser
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
                      Export.self, GradCheck.self],
        defaultSubcommand: Train.self)
}

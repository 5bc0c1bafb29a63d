import Foundation
import NetrunConfig

/// A mistyped subcommand: `netrun trian x.yaml` would otherwise reach the default command, train,
/// which would look for a config file named `trian` and report it missing.
struct CommandTypo: Equatable {
    var typed: String
    var meant: String

    var message: String { "unknown command '\(typed)' (did you mean '\(meant)'?)" }

    /// The first argument when it is not an option, a command or an existing file, and is close to a
    /// command's name. An existing file wins: a config may be called `runs`.
    static func find(in arguments: [String], commands: [String],
                     fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> CommandTypo? {
        guard let first = arguments.first, !first.hasPrefix("-"), first != "help", !commands.contains(first),
              !fileExists(first), let meant = suggestion(for: first, among: commands) else { return nil }
        return CommandTypo(typed: first, meant: meant)
    }

    /// The names `netrun` answers to, as the argument parser spells them.
    static var commands: [String] {
        Netrun.configuration.subcommands.map { $0._commandName }
    }
}

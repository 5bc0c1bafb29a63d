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

    /// The config argument of the default command, train, when it names no file but a command (or
    /// nearly): `netrun --db x.sqlite runs` put an option before the command, and `--db` went to train.
    static func misplaced(config: String, commands: [String], fileExists: (String) -> Bool = isFile) -> String? {
        guard !fileExists(config) else { return nil }
        if commands.contains(config) {
            return "'\(config)' is a command, not a config: put the command first and its options after it "
                + "(netrun \(config) --db PATH …)"
        }
        return suggestion(for: config, among: commands).map { CommandTypo(typed: config, meant: $0).message }
    }

    /// A file, not a folder: the repository's `runs/` folder is not a config named `runs`.
    static func isFile(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && !folder.boolValue
    }

    /// The names `netrun` answers to, as the argument parser spells them.
    static var commands: [String] {
        Netrun.configuration.subcommands.map { $0._commandName }
    }
}

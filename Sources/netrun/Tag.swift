import ArgumentParser
import NetrunStore

/// `netrun tag RUN key=value… [--note TEXT] [--remove KEY]`: label a recorded run.
struct Tag: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set or remove a recorded run's tags (key=value) and its note.")

    @Argument(help: "The run's id (see netrun runs).")
    var runID: Int64

    @Argument(help: ArgumentHelp("Tags to set; a key the run has already gets the new value.", valueName: "key=value"))
    var tags: [String] = []

    @Option(help: "Replace the run's note (an empty note removes it).")
    var note: String?

    @Option(help: ArgumentHelp("A tag key to remove (repeatable).", valueName: "key"))
    var remove: [String] = []

    @OptionGroup var storage: StoreOptions

    func validate() throws {
        for tag in tags { _ = try TagOptions.parse(tag) }
        if tags.isEmpty && remove.isEmpty && note == nil { throw ValidationError("give tags (key=value), --remove KEY or --note TEXT") }
    }

    func run() throws {
        // Checked like a reading command: tagging never creates a database.
        _ = try storage.openForReading()
        let store = try storage.open()
        let found: Bool
        do {
            found = try store.tag(runID: runID, try tags.map(TagOptions.parse), removing: remove, note: note)
        } catch {
            throw ExitStatus.failing(error, otherwise: ExitStatus.database)
        }
        guard found else {
            printError("no run \(runID) in \(storage.db); netrun runs lists them")
            throw ExitStatus.badInput
        }
    }
}

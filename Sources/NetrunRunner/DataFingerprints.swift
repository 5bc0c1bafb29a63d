import Foundation
import NetrunConfig
import NetrunData
import NetrunStore

/// Fingerprints of the data files a run reads, and the check that they are unchanged when the run
/// is resumed or evaluated: a checkpoint's sample order and a model's measured numbers only mean
/// something on the data they came from.
public enum DataFingerprints {
    /// The absolute folder of `config`'s file and a fingerprint of every data file it reads.
    ///
    /// Each file is read again and hashed as it streams (1 MiB at a time); just after the loader
    /// read it, it comes from the page cache, and hashing costs far less than parsing.
    public static func of(_ config: Config) throws -> RecordedData {
        let folder = URL(fileURLWithPath: config.path).deletingLastPathComponent().standardizedFileURL.path
        let files = try config.data.files.map { role, written, resolved in
            try fingerprint(role: role, written: written, absolutePath: absolute(resolved))
        }
        return RecordedData(configFolder: folder, files: files)
    }

    /// The safetensors file `config` starts from (`model.init_from: PATH`), fingerprinted as data
    /// files are (role `init_from`): resuming a run with frozen layers rebuilds them from it.
    public static func warmStart(of config: Config) throws -> DataFingerprint? {
        guard case .file(let file)? = config.model.initFrom?.value else { return nil }
        return try fingerprint(role: warmStartRole, written: file.written, absolutePath: absolute(file.resolved))
    }

    static let warmStartRole = "init_from"

    /// Refuses, naming each file, when a file `runID` read has changed since; nil `recorded` (a run
    /// from before fingerprints) passes. With `allowChanged`, changes are accepted silently.
    /// `warmStart` false leaves out the `init_from` file: a stored model no longer needs it.
    public static func check(_ recorded: RecordedData?, runID: Int64, allowChanged: Bool, warmStart: Bool = true) throws {
        guard let recorded, !allowChanged else { return }
        var changes: [String] = []
        for file in recorded.files where warmStart || file.role != warmStartRole {
            if let change = try change(of: file) {
                let kind = file.role == warmStartRole ? "init_from file" : "data file"
                changes.append("\(kind) \(file.absolutePath) changed since run \(runID) read it (\(change))")
            }
        }
        guard changes.isEmpty else {
            throw RunnerError(changes.joined(separator: "; ") + "; pass --allow-changed-data to continue anyway")
        }
    }

    /// The config path a stored run is decoded at: in its recorded folder, so relative data paths
    /// resolve as they did when it ran, whatever the current folder. Runs without a recorded folder
    /// keep their path as stored.
    public static func configPath(of run: RunSummary, recorded: RecordedData?) -> String {
        guard let recorded else { return run.configPath }
        let name = URL(fileURLWithPath: run.configPath).lastPathComponent
        return recorded.configFolder == "/" ? "/" + name : recorded.configFolder + "/" + name
    }

    /// How `file` differs from what is on disk now, or nil when it is the same.
    private static func change(of file: DataFingerprint) throws -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.absolutePath, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return "it is gone"
        }
        let now = try fingerprint(role: file.role, written: file.path, absolutePath: file.absolutePath)
        if now.size != file.size { return "size \(file.size) → \(now.size) bytes" }
        // The modification time is not compared: a touch or a copy changes it, not the samples.
        return now.sha256 == file.sha256 ? nil : "content differs: same size, another SHA-256"
    }

    private static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    private static func fingerprint(role: String, written: String, absolutePath: String) throws -> DataFingerprint {
        func failure(_ reason: String) -> RunnerError {
            RunnerError("cannot fingerprint data file \(absolutePath): \(reason)")
        }
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: absolutePath)
        } catch {
            throw failure(FileManager.default.fileExists(atPath: absolutePath) ? "\(error.localizedDescription)" : "no such file")
        }
        guard let handle = FileHandle(forReadingAtPath: absolutePath) else { throw failure("cannot open it (permissions?)") }
        defer { try? handle.close() }
        var hasher = SHA256.Hasher()
        var size: Int64 = 0
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                size += Int64(chunk.count)
                chunk.withUnsafeBytes { hasher.update($0) }
            }
        } catch {
            throw failure(error.localizedDescription)
        }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return DataFingerprint(role: role, path: written, absolutePath: absolutePath, size: size, modified: modified,
                               sha256: hasher.finishHex())
    }
}

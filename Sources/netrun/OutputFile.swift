import Foundation

/// A file netrun could not write, with the system's reason in words (`permission denied`).
struct OutputError: Error, CustomStringConvertible {
    var path: String
    var reason: String

    var description: String { "cannot write \(path): \(reason)" }

    /// The error `errno` holds now.
    static func system(_ path: String) -> OutputError {
        let text = String(cString: strerror(errno))
        return OutputError(path: path, reason: text.prefix(1).lowercased() + text.dropFirst())
    }
}

/// Writes `data` to `path` as `writeOutput(_:to:)` does; failures print and exit with the bad-input status.
func writeOutputFile(_ data: Data, to path: String) throws {
    do {
        try writeOutput(data, to: path)
    } catch {
        throw ExitStatus.failing(error)
    }
}

/// Writes `data` to `path` without ever replacing something that is not a regular file.
///
/// A regular file (or a new path, whose folders are created) is written through a temporary file
/// and a rename, so a reader never sees half a file. A symbolic link is followed and its target
/// written the same way, so the link stays a link. A FIFO or a device (`/dev/stdout`, `/dev/full`)
/// is written through directly: renaming over it would replace the node with a file.
func writeOutput(_ data: Data, to path: String) throws {
    // `/dev/stdout`, `/proc/self/fd/1`: links to whatever a descriptor holds, which is written, not replaced.
    if path.hasPrefix("/dev/") || path.hasPrefix("/proc/") { return try writeThrough(path, data) }
    var status = stat()
    guard stat(path, &status) == 0 else {
        guard errno == ENOENT else { throw OutputError.system(path) }
        // Nothing there, or a link to nothing: create the file where the link points.
        if let target = linkTarget(path) { return try writeOutput(data, to: target) }
        try createParentFolders(of: path)
        return try replaceAtomically(path, with: data, mode: nil)
    }
    switch status.st_mode & S_IFMT {
    case S_IFREG:
        // Through a link, the file replaced is its target, and the link stays.
        guard let resolved = realpath(path, nil) else { throw OutputError.system(path) }
        defer { free(resolved) }
        try replaceAtomically(String(cString: resolved), with: data, mode: status.st_mode & 0o7777)
    case S_IFDIR:
        throw OutputError(path: path, reason: "it is a folder; give a file name inside it")
    case S_IFIFO, S_IFCHR, S_IFBLK:
        try writeThrough(path, data)
    default:
        throw OutputError(path: path, reason: "it is not a regular file, a FIFO or a device")
    }
}

/// Creates the folders above `path`.
private func createParentFolders(of path: String) throws {
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty { try createFolders(folder) }
}

/// Creates the folder `path` and those above it; a file where a folder should be is named.
func createFolders(_ path: String) throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
        guard isFolder.boolValue else { throw OutputError(path: path, reason: "it is a file, not a folder") }
        return
    }
    try createParentFolders(of: path)
    guard mkdir(path, 0o777) == 0 || errno == EEXIST else { throw OutputError.system(path) }
}

/// Where the symbolic link `path` points, a relative target taken from the link's folder; nil when
/// `path` is not a link.
private func linkTarget(_ path: String) -> String? {
    var status = stat()
    guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return nil }
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(path, &buffer, buffer.count - 1)
    guard count >= 0 else { return nil }
    let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    guard !target.hasPrefix("/") else { return target }
    let folder = (path as NSString).deletingLastPathComponent
    return folder.isEmpty ? target : folder + "/" + target
}

/// Writes a temporary file beside `path` and renames it over `path`. `mode` keeps an existing
/// file's permissions; a new file gets the usual 0666 less the umask.
private func replaceAtomically(_ path: String, with data: Data, mode: mode_t?) throws {
    let folder = (path as NSString).deletingLastPathComponent
    let name = (path as NSString).lastPathComponent
    var template = Array(((folder.isEmpty ? "" : folder + "/") + ".\(name).XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else { throw OutputError.system(path) }
    let temporary = String(cString: template)
    var renamed = false
    defer { if !renamed { unlink(temporary) } }
    do {
        defer { close(descriptor) }
        try writeAll(descriptor, data, path: path)
        let mask = umask(0)
        umask(mask)
        guard fchmod(descriptor, mode ?? (0o666 & ~mask)) == 0 else { throw OutputError.system(path) }
    }
    guard rename(temporary, path) == 0 else { throw OutputError.system(path) }
    renamed = true
}

/// Opens an existing FIFO or device and writes `data` into it.
private func writeThrough(_ path: String, _ data: Data) throws {
    let descriptor = open(path, O_WRONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw OutputError.system(path) }
    defer { close(descriptor) }
    try writeAll(descriptor, data, path: path)
}

private func writeAll(_ descriptor: Int32, _ data: Data, path: String) throws {
    try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputError.system(path)
            }
            offset += written
        }
    }
}

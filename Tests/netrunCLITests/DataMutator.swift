import Foundation

/// Small valid data files in every format netrun reads, written once per fuzz test: MNIST's IDX
/// files (gzipped, under MNIST's names) and CIFAR-10 batches, for the shipped configs to read.
struct FuzzDataFiles {
    let mnistFolder: String
    let cifarFolder: String
    /// The first 240 rows of data/digits.csv: reading all 1797 in a debug build would take most of a case's time.
    let digits: String
    /// Every data file a shipped config may read: these and the repository's CSVs.
    let paths: [String]

    init(in folder: URL) throws {
        var random = FuzzRandom(seed: 7)
        let mnist = folder.appendingPathComponent("mnist"), cifar = folder.appendingPathComponent("cifar")
        for url in [mnist, cifar] { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        for (part, count) in [("train", 40), ("t10k", 10)] {
            let (images, labels) = DataMutator.idx(count: count, random: &random)
            try Data(Gzip.stored(images)).write(to: mnist.appendingPathComponent("\(part)-images-idx3-ubyte.gz"))
            try Data(Gzip.stored(labels)).write(to: mnist.appendingPathComponent("\(part)-labels-idx1-ubyte.gz"))
        }
        for name in (1...5).map({ "data_batch_\($0).bin" }) + ["test_batch.bin"] {
            try Data(DataMutator.cifar(count: 8, random: &random)).write(to: cifar.appendingPathComponent(name))
        }
        let rows = try String(contentsOf: CLIRunner.repository.appendingPathComponent("data/digits.csv"), encoding: .utf8)
            .split(separator: "\n").prefix(240)
        digits = folder.appendingPathComponent("digits.csv").path
        try (rows.joined(separator: "\n") + "\n").write(toFile: digits, atomically: false, encoding: .utf8)
        mnistFolder = mnist.path
        cifarFolder = cifar.path
        let listed = [digits] + [mnist, cifar, CLIRunner.repository.appendingPathComponent("data")].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).map { folder.appendingPathComponent($0).path }
        }
        paths = listed
    }
}

/// Data files and the mutations that break them: bytes flipped, cut, added or moved, and the
/// fields each format trusts (a CSV field, an IDX header size, a CIFAR-10 label, a gzip trailer).
enum DataMutator {
    enum Format: CaseIterable {
        case csv, csvNamedLabel, csvRegression, idx, idxGzip, cifar
    }

    /// A case's files (name → bytes) and its config, reading them from `folder`.
    struct Files {
        var files: [String: [UInt8]]
        var config: String
        var applied: [String]
    }

    static func make(_ format: Format, in folder: String, random: inout FuzzRandom) -> Files {
        var applied: [String] = ["\(format)"]
        let training = "training: {learning_rate: 0.1, batch_size: 8, epochs: 2, log_every: 1}\n"
        switch format {
        case .csv, .csvNamedLabel, .csvRegression:
            var bytes = Array(csv(named: format == .csvNamedLabel, regression: format == .csvRegression, random: &random).utf8)
            for _ in 0..<(1 + random.below(3)) { applied.append(mutateCSV(&bytes, random: &random)) }
            let path = folder + "/data.csv"
            let source = format == .csvNamedLabel ? "{path: \(path), label: kind}" : "{path: \(path), label: -1, header: false}"
            let model = format == .csvRegression ? "model: {layers: [{dense: 1}]}\nloss: mse\n"
                : "model: {layers: [{dense: {units: 4, activation: relu}}, {dense: 3}]}\nloss: softmax_cross_entropy\n"
            return Files(files: ["data.csv": bytes], config: "data:\n  csv: \(source)\n  split: {val: 3}\n"
                         + "  preprocess: {standardize: true}\n" + model + training, applied: applied)
        case .idx, .idxGzip:
            var (images, labels) = idx(count: 12, random: &random)
            for _ in 0..<(1 + random.below(3)) {
                if random.chance(0.5) { applied.append("images " + mutateIDX(&images, random: &random)) }
                else { applied.append("labels " + mutateIDX(&labels, random: &random)) }
            }
            var suffix = ""
            if format == .idxGzip {
                suffix = ".gz"
                images = Gzip.stored(images)
                labels = Gzip.stored(labels)
                if random.chance(0.6) {
                    if random.chance(0.5) { applied.append("images.gz " + mutateGzip(&images, random: &random)) }
                    else { applied.append("labels.gz " + mutateGzip(&labels, random: &random)) }
                }
            }
            return Files(files: ["images" + suffix: images, "labels" + suffix: labels],
                         config: "data:\n  idx: {images: \(folder)/images\(suffix), labels: \(folder)/labels\(suffix)}\n"
                            + "  preprocess: {scale: 0.00392156862745098}\n"
                            + "model: {layers: [{dense: 10}]}\nloss: softmax_cross_entropy\n" + training,
                         applied: applied)
        case .cifar:
            var bytes = cifar(count: 6, random: &random)
            for _ in 0..<(1 + random.below(3)) { applied.append(mutateCIFAR(&bytes, random: &random)) }
            return Files(files: ["test_batch.bin": bytes],
                         config: "data:\n  cifar10: {path: \(folder), part: test}\n  preprocess: {subtract_mean: true}\n"
                            + "model: {layers: [{dense: 10}]}\nloss: softmax_cross_entropy\n" + training,
                         applied: applied)
        }
    }

    // MARK: Valid files

    /// 24 rows of 4 numbers and a class 0…2 (or a real value for regression), with a header
    /// naming the label column `kind` when `named`.
    static func csv(named: Bool, regression: Bool, random: inout FuzzRandom) -> String {
        var lines = named ? ["a,b,c,d,kind"] : []
        for row in 0..<24 {
            let features = (0..<4).map { _ in String(format: "%.3f", random.generator.nextNormal()) }
            let label = regression ? String(format: "%.2f", random.generator.nextNormal()) : String(row % 3)
            lines.append((features + [label]).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// MNIST-style IDX files: `count` images of 6×6 pixels and their labels 0…9.
    static func idx(count: Int, random: inout FuzzRandom) -> (images: [UInt8], labels: [UInt8]) {
        var images: [UInt8] = [0, 0, 8, 3] + bigEndian(count) + bigEndian(6) + bigEndian(6)
        for _ in 0..<(count * 36) { images.append(random.byte()) }
        let labels: [UInt8] = [0, 0, 8, 1] + bigEndian(count) + (0..<count).map { UInt8($0 % 10) }
        return (images, labels)
    }

    /// `count` CIFAR-10 records: a label byte 0…9 and 3072 pixel bytes each.
    static func cifar(count: Int, random: inout FuzzRandom) -> [UInt8] {
        var bytes: [UInt8] = []
        for record in 0..<count {
            bytes.append(UInt8(record % 10))
            for _ in 0..<3072 { bytes.append(random.byte()) }
        }
        return bytes
    }

    static func bigEndian(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }

    // MARK: Mutations

    static let nastyFields = ["", " ", "abc", "NaN", "nan", "inf", "-inf", "1e39", "-1e39", "1e400", "-1", "-7", "2.5",
                              "9223372036854775807", "99999999999999999999", "0x10", "\"q\"", "\"unterminated", "\"a\"\"b\"",
                              "\"1\"x", "1,2", "\u{00e9}", "\"line\nbreak\"", "1e-50", "+3", "٣"]

    static func mutateCSV(_ bytes: inout [UInt8], random: inout FuzzRandom) -> String {
        switch random.below(8) {
        case 0:
            // One field (between commas or line ends) replaced.
            let separators = bytes.indices.filter { bytes[$0] == UInt8(ascii: ",") || bytes[$0] == UInt8(ascii: "\n") }
            guard separators.count > 2 else { return generic(&bytes, random: &random) }
            let i = random.below(separators.count - 1)
            let field = random.pick(nastyFields)
            bytes.replaceSubrange((separators[i] + 1)..<separators[i + 1], with: Array(field.utf8))
            return "field \(field.debugDescription)"
        case 1, 2:
            var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            let index = random.below(lines.count)
            let what: String
            switch random.below(3) {
            case 0:
                lines.remove(at: index)
                what = "deleteLine"
            case 1:
                lines.insert(lines[index], at: index)
                what = "duplicateLine"
            default:
                lines[index].append(contentsOf: Array(",7".utf8))
                what = "extraField"
            }
            bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
            return "\(what) \(index + 1)"
        case 3:
            let ending: [UInt8] = random.pick([[13, 10], [13], [10, 10, 10]])
            bytes = Array(bytes.split(separator: 10, omittingEmptySubsequences: false).joined(separator: ending))
            return "lineEnds \(ending)"
        case 4:
            let prefix: [UInt8] = random.pick([[0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFF], [0x00], Array(",,,,\n".utf8),
                                               Array(String(repeating: "1,", count: 5000).utf8) + [10]])
            bytes.insert(contentsOf: prefix, at: random.chance(0.5) ? 0 : random.below(bytes.count + 1))
            return "insert \(prefix.prefix(6))"
        default:
            return generic(&bytes, random: &random)
        }
    }

    static func mutateIDX(_ bytes: inout [UInt8], random: inout FuzzRandom) -> String {
        guard random.chance(0.5), bytes.count >= 8 else { return generic(&bytes, random: &random) }
        let dimensions = Int(bytes[3])
        switch random.below(3) {
        case 0:
            let at = random.below(4)
            bytes[at] = random.pick([0, 1, 8, 9, 0x0D, 2, 3, 255])
            return "magic byte \(at) = \(bytes[at])"
        case 1:
            let d = random.below(max(dimensions, 1))
            let value = random.pick([0, 1, 2, 11, 13, 36, 65536, 0x7FFF_FFFF, 0xFFFF_FFFF])
            let at = 4 + 4 * d
            guard at + 4 <= bytes.count else { return "size \(d) (beyond the file)" }
            bytes.replaceSubrange(at..<(at + 4), with: bigEndian(value))
            return "size \(d) = \(value)"
        default:
            let start = 4 + 4 * dimensions
            guard start < bytes.count else { return "values (none)" }
            let at = start + random.below(bytes.count - start)
            bytes[at] = random.pick([10, 11, 127, 255])
            return "value at \(at) = \(bytes[at])"
        }
    }

    static func mutateGzip(_ bytes: inout [UInt8], random: inout FuzzRandom) -> String {
        switch random.below(5) {
        case 0:
            // The trailer: CRC or length.
            let at = bytes.count - 1 - random.below(8)
            bytes[at] ^= 0x5A
            return "trailer byte \(at)"
        case 1:
            bytes.append(contentsOf: random.chance(0.5) ? Gzip.stored([1, 2, 3]) : [0x1F, 0x8B, 0, 1, 2])
            return "second member"
        case 2:
            let at = random.below(min(bytes.count, 12))
            bytes[at] = random.byte()
            return "header byte \(at)"
        default:
            return generic(&bytes, random: &random)
        }
    }

    static func mutateCIFAR(_ bytes: inout [UInt8], random: inout FuzzRandom) -> String {
        switch random.below(4) {
        case 0:
            let record = random.below(max(bytes.count / 3073, 1))
            guard record * 3073 < bytes.count else { return generic(&bytes, random: &random) }
            bytes[record * 3073] = random.pick([10, 11, 128, 255])
            return "label of record \(record) = \(bytes[record * 3073])"
        case 1:
            let cut = random.pick([1, 3072, 3073, 3074])
            bytes.removeLast(min(cut, bytes.count))
            return "drop last \(cut) bytes"
        default:
            return generic(&bytes, random: &random)
        }
    }

    /// Format-blind damage: a byte changed, the file cut, bytes inserted, a chunk doubled or dropped, emptied.
    static func generic(_ bytes: inout [UInt8], random: inout FuzzRandom) -> String {
        guard !bytes.isEmpty else { bytes = [random.byte()]; return "one byte" }
        let at = random.below(bytes.count)
        switch random.below(6) {
        case 0:
            bytes[at] = random.byte()
            return "byte \(at) = \(bytes[at])"
        case 1:
            bytes.removeSubrange(at...)
            return "truncate at \(at)"
        case 2:
            let count = random.pick([1, 7, 100])
            bytes.insert(contentsOf: (0..<count).map { _ in random.byte() }, at: at)
            return "insert \(count) bytes at \(at)"
        case 3:
            let end = min(bytes.count, at + 1 + random.below(200))
            bytes.insert(contentsOf: bytes[at..<end], at: end)
            return "double bytes \(at)..<\(end)"
        case 4:
            let end = min(bytes.count, at + 1 + random.below(200))
            bytes.removeSubrange(at..<end)
            return "drop bytes \(at)..<\(end)"
        default:
            bytes = []
            return "empty"
        }
    }
}

/// gzip files with stored (uncompressed) deflate blocks: enough to exercise the reader's framing,
/// checksum and length checks without a compressor.
enum Gzip {
    static func stored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255]
        var start = 0
        repeat {
            let end = min(start + 65535, data.count)
            let length = end - start
            out.append(end == data.count ? 1 : 0)  // BFINAL, BTYPE 00 (stored)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[start..<end]
            start = end
        } while start < data.count
        out += littleEndian(crc32(data)) + littleEndian(UInt32(truncatingIfNeeded: data.count))
        return out
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

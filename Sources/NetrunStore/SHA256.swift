import SystemCrypto

/// SHA-256 (FIPS 180-4), for the hash that tells two runs used the same config text and the
/// fingerprint that tells a data file has not changed since a run read it. OpenSSL's libcrypto
/// computes it (with the CPU's SHA instructions where it has them: 1.7 GB/s on the development
/// machine, ten times the hand-written Swift it replaced, which had made fingerprinting a
/// 150 MB data set take a second).
public enum SHA256 {
    /// Lower-case hex digest of the UTF-8 bytes of `text`.
    public static func hex(_ text: String) -> String {
        hex(digest(Array(text.utf8)))
    }

    static func digest(_ message: [UInt8]) -> [UInt8] {
        var hasher = Hasher()
        message.withUnsafeBytes { hasher.update($0) }
        return hasher.finish()
    }

    static func hex(_ digest: [UInt8]) -> String {
        digest.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }

    /// Hashes a message given in pieces, so a data file is hashed as it streams past rather than
    /// held whole.
    public struct Hasher {
        private let context = Context()

        public init() {}

        /// Adds `bytes` to the message.
        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress, bytes.count > 0 else { return }
            context.check(EVP_DigestUpdate(context.pointer, base, bytes.count), "update")
        }

        /// The digest of everything added; the hasher is spent.
        public mutating func finish() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            context.check(EVP_DigestFinal_ex(context.pointer, &digest, &length), "finish")
            return Array(digest.prefix(Int(length)))
        }

        public mutating func finishHex() -> String { SHA256.hex(finish()) }
    }

    /// One libcrypto digest context, freed with the hasher that owns it.
    private final class Context {
        let pointer: OpaquePointer

        init() {
            guard let pointer = EVP_MD_CTX_new() else { preconditionFailure("SHA-256: out of memory") }
            self.pointer = pointer
            check(EVP_DigestInit_ex(pointer, EVP_sha256(), nil), "start")
        }

        deinit { EVP_MD_CTX_free(pointer) }

        /// libcrypto returns 1 on success; it fails only when out of memory.
        func check(_ result: Int32, _ step: String) {
            if result != 1 { preconditionFailure("SHA-256: libcrypto could not \(step) the digest") }
        }
    }
}

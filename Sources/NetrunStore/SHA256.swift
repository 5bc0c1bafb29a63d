/// SHA-256 (FIPS 180-4), for the hash that tells two runs used the same config text and the
/// fingerprint that tells a data file has not changed since a run read it.
/// Hand-written because Foundation on Linux has no CryptoKit.
public enum SHA256 {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

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
    /// held whole (or copied for padding, as a one-shot digest would).
    public struct Hasher {
        private var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        /// The bytes of an unfinished 64-byte block.
        private var pending: [UInt8] = []
        private var length: UInt64 = 0
        private var w = [UInt32](repeating: 0, count: 64)

        public init() { pending.reserveCapacity(64) }

        /// Adds `bytes` to the message.
        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            length &+= UInt64(bytes.count)
            var rest = bytes[...]
            if !pending.isEmpty {
                let taken = min(64 - pending.count, rest.count)
                pending.append(contentsOf: rest.prefix(taken))
                rest = rest.dropFirst(taken)
                guard pending.count == 64 else { return }
                let block = pending  // compress mutates self, so not while reading `pending` in place
                block.withUnsafeBytes { compress($0) }
                pending.removeAll(keepingCapacity: true)
            }
            while rest.count >= 64 {
                compress(UnsafeRawBufferPointer(rebasing: rest.prefix(64)))
                rest = rest.dropFirst(64)
            }
            pending.append(contentsOf: rest)
        }

        /// The digest of everything added; the hasher is spent after.
        public mutating func finish() -> [UInt8] {
            // Pad: a 1 bit, zeros to 56 mod 64 bytes, then the bit length big-endian.
            let bitLength = length &* 8
            var tail: [UInt8] = [0x80]
            while (pending.count + tail.count) % 64 != 56 { tail.append(0) }
            for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
            let saved = length
            tail.withUnsafeBytes { update($0) }
            length = saved
            return h.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * $0)) } }
        }

        /// The digest as lower-case hex.
        public mutating func finishHex() -> String { SHA256.hex(finish()) }

        // Unsafe buffers and locals rather than array subscripts and a literal per block: with
        // those, hashing ran at a fraction of the speed, and a data file is hashed whole.
        private mutating func compress(_ block: UnsafeRawBufferPointer) {
            w.withUnsafeMutableBufferPointer { w in
                SHA256.k.withUnsafeBufferPointer { k in
                    for i in 0..<16 {
                        let b = 4 * i
                        w[i] = UInt32(block[b]) << 24 | UInt32(block[b + 1]) << 16 | UInt32(block[b + 2]) << 8
                            | UInt32(block[b + 3])
                    }
                    for i in 16..<64 {
                        let s0 = SHA256.rotr(w[i - 15], 7) ^ SHA256.rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                        let s1 = SHA256.rotr(w[i - 2], 17) ^ SHA256.rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                        w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                    }
                    h.withUnsafeMutableBufferPointer { h in
                        var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
                        for i in 0..<64 {
                            let s1 = SHA256.rotr(e, 6) ^ SHA256.rotr(e, 11) ^ SHA256.rotr(e, 25)
                            let choose = (e & f) ^ (~e & g)
                            let t1 = hh &+ s1 &+ choose &+ k[i] &+ w[i]
                            let s0 = SHA256.rotr(a, 2) ^ SHA256.rotr(a, 13) ^ SHA256.rotr(a, 22)
                            let majority = (a & b) ^ (a & c) ^ (b & c)
                            let t2 = s0 &+ majority
                            (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
                        }
                        h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d
                        h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
                    }
                }
            }
        }

    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}

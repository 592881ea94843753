import Crypto
import Foundation

/// Fingerprints kept beside evidence, so a copy can be shown to be the one produced.
public enum Digest {
    public static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}

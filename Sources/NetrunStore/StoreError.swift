/// A database failure, naming the file and what netrun was doing when it happened.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var action: String
    public var reason: String

    public init(path: String, action: String, reason: String) {
        self.path = path
        self.action = action
        self.reason = reason
    }

    public var description: String { "\(path): could not \(action): \(reason)" }
}

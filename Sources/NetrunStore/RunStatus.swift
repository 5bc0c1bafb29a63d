/// Where a run stands; the schema's CHECK constraint lists the same values.
public enum RunStatus: String, Sendable, CaseIterable, Codable {
    case running, finished, failed, diverged, interrupted
}

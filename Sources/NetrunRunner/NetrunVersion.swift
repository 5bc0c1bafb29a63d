/// netrun's version, stored with every run.
public enum NetrunVersion {
    public static let current = "0.1.0"
}

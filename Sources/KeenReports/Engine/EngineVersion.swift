/// The engine's version, written into manifests and `--version`.
public enum EngineVersion {
    public static let current = "0.3.0"
}

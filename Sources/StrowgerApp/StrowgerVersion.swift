/// The version of this Strowger build.
public enum StrowgerVersion {
    public static let current = "0.1.0-dev"
}

/// Named limits of the SCCP wire format. Each one says where it comes from.
public enum SkinnyLimits {
    /// Size of the frame prefix: `u32 length` and `u32 headerVersion` (reference §1). The length field counts the
    /// bytes after this prefix.
    public static let prefixSize = 8

    /// Size of the whole header including the message id.
    public static let headerSize = 12

    /// The smallest legal value of the length field: a message id and no body, as in KeepAlive (reference §1).
    public static let minimumLength: UInt32 = 4

    /// The default largest length field accepted. The biggest common messages are about 2.4 KB (LocationInfo,
    /// UserToDeviceDataV1, CapabilitiesV3Res); 8 KiB leaves room while keeping a hostile peer from making the server
    /// buffer megabytes before it can reject the frame (reference §1, "An 8 KiB cap is a safe choice").
    public static let defaultMaximumLength: UInt32 = 8 * 1024

    /// Number of capability entries in CapabilitiesRes (`struct[18]`, reference §5.1). A count above it is the
    /// bug class of CVE-2007-4280 and is rejected.
    public static let maximumCapabilities = 18

    /// Number of button entries in one ButtonTemplateRes (42 in Wireshark and real CUCM 3.x; reference §7 #3).
    public static let buttonTemplateEntries = 42

    /// Number of softkey entries in one SoftKeyTemplateRes (`[32]`, reference §5.2).
    public static let softKeyTemplateEntries = 32

    /// Number of softkey sets in one SoftKeySetRes (`[16]`, reference §5.2).
    public static let softKeySetEntries = 16

    /// Number of keys per softkey set (`templateIndex[16]`, reference §5.2).
    public static let softKeysPerSet = 16

    /// Longest text of a dynamic prompt or notify, without its NUL (reference §3).
    public static let dynamicPromptLength = 97

    /// Longest name in a dynamic message, without its NUL (reference §3).
    public static let dynamicNameLength = 121
}

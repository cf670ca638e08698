/// The id of one of several messages that share a layout.
///
/// Some SCCP messages differ only in their id: DeviceToUserData and DeviceToUserDataResponse, the audio and video
/// media acks. Their layout is written once, as a struct generic over a `SkinnyMessageKind`, and each message is a
/// type alias of it (`SkinnyMessage.DeviceToUserDataResponse`), so the wire code is not repeated.
public protocol SkinnyMessageKind: Sendable {
    static var id: SkinnyMessageID { get }
}

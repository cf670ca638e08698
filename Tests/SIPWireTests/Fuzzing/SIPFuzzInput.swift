// This file is compiled twice: into SIPWireTests, where FuzzRegressionTests replays saved inputs through it, and
// into FuzzTesting's FuzzSIPWire (a symbolic link), where libFuzzer drives it. Keep it free of test frameworks.
import NIOCore
import SIPWire

/// One fuzzer input through everything SIPWire does with peer bytes.
///
/// Layout: byte 0 picks the maximum message size (256 × (1 + byte 0 % 64)) and byte 1 the chunk size for the stream
/// decoder (1 + byte 1 % 64); the rest is the bytes. They are parsed as one datagram and, in chunks, as a TCP
/// stream; each message that parses is validated (`essentials()`), its typed headers (Contact, Route,
/// Record-Route, Expires) read, its SDP body parsed and answered, and it is serialised, parsed again and serialised
/// again: the two serialisations must be equal. Nothing may trap; a broken round trip is reported as a problem.
enum SIPFuzzInput {
    struct Outcome {
        var messages = 0
        var problems: [String] = []
    }

    static func run(_ input: [UInt8]) -> Outcome {
        var outcome = Outcome()
        guard input.count >= 2 else { return outcome }
        let maximum = 256 * (1 + Int(input[0] % 64))
        let chunk = 1 + Int(input[1] % 64)
        let bytes = Array(input.dropFirst(2))

        if let message = try? SIPMessage(parsing: bytes, maximumSize: maximum) {
            check(message, maximum: maximum, into: &outcome)
        }

        var decoder = SIPMessageDecoder(maximumMessageSize: maximum)
        var buffer = ByteBuffer()
        var offset = 0
        streaming: while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            buffer.writeBytes(bytes[offset..<end])
            offset = end
            while true {
                let item: SIPStreamItem?
                do {
                    item = try decoder.decode(buffer: &buffer)
                } catch {
                    break streaming
                }
                guard let item else { break }
                if case .message(let message) = item { check(message, maximum: maximum, into: &outcome) }
            }
        }
        return outcome
    }

    private static func check(_ message: SIPMessage, maximum: Int, into outcome: inout Outcome) {
        outcome.messages += 1
        let headers = message.headers
        switch message {
        case .request(let request): _ = try? request.essentials()
        case .response(let response): _ = try? response.essentials()
        }
        _ = try? headers.contacts()
        _ = try? headers.routes(.route)
        _ = try? headers.routes(.recordRoute)
        _ = try? headers.expires()
        if let offer = try? SessionDescription(parsing: message.body) {
            _ = offer.serialized()
            _ = try? AudioOfferAnswer.answer(
                to: offer,
                address: "192.0.2.1",
                port: 20_000,
                capabilities: AudioCapabilities(),
                sessionID: "1",
                version: 1
            )
            _ = try? AudioOfferAnswer.negotiate(offer: offer, answer: offer)
        }
        let first = message.serialized()
        guard let again = try? SIPMessage(parsing: first, maximumSize: first.count + 64) else {
            outcome.problems.append("a parsed message does not parse once serialised: \(printable(first))")
            return
        }
        let second = again.serialized()
        if first != second {
            outcome.problems.append("serialisation is not stable: \(printable(first)) became \(printable(second))")
        }
    }

    private static func printable(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription
    }
}

import Logging
import NIOCore
import NIOHTTP1
import Provisioning

/// One HTTP provisioning connection: answers GET and HEAD for provisioning files, one request at a time
/// (`HTTPServerPipelineHandler` before it holds back pipelined requests until the response is written).
final class HTTPProvisioningHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Waiting for a request head.
        case idle
        /// A head arrived; its body (which GET and HEAD should not have) is being counted.
        case receiving(HTTPRequestHead, bodyBytes: Int)
        /// The request is complete and its response is being produced.
        case responding
        /// A response that ends the connection was sent; anything more is ignored.
        case closing
    }

    private let configuration: HTTPProvisioningListener.Configuration
    private let fileProvider: any TFTPFileProvider
    /// The phone services under `/services/` (the phone's Directories, Services and Messages buttons); nil serves
    /// files only.
    private let phoneServices: PhoneServices?
    private let logger: Logger
    private let shared: HTTPProvisioningShared
    private var state = State.idle
    private var requestsOnConnection = 0
    private var context: ChannelHandlerContext?

    init(
        configuration: HTTPProvisioningListener.Configuration,
        fileProvider: any TFTPFileProvider,
        phoneServices: PhoneServices? = nil,
        logger: Logger,
        shared: HTTPProvisioningShared
    ) {
        self.configuration = configuration
        self.fileProvider = fileProvider
        self.phoneServices = phoneServices
        self.logger = logger
        self.shared = shared
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            guard case .idle = self.state else { return }
            self.requestsOnConnection += 1
            self.shared.count { $0.requests += 1 }
            self.state = .receiving(head, bodyBytes: 0)
        case .body(let body):
            guard case .receiving(let head, let bodyBytes) = self.state else { return }
            let total = bodyBytes + body.readableBytes
            guard total <= self.configuration.maximumBodyBytes else {
                self.refuse(.payloadTooLarge, head: head, keepAlive: false, context: context)
                return
            }
            self.state = .receiving(head, bodyBytes: total)
        case .end:
            guard case .receiving(let head, _) = self.state else { return }
            self.state = .responding
            self.respond(to: head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .all {
            self.shared.count { $0.idleTimeouts += 1 }
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Parse errors were answered with 400 by HTTPServerProtocolErrorHandler; socket errors end the connection.
        self.logger.debug(
            "HTTP provisioning connection error",
            metadata: ["http.peer": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")", "error": "\(error)"]
        )
        context.close(promise: nil)
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let keepAlive =
            head.isKeepAlive && self.requestsOnConnection < self.configuration.maximumRequestsPerConnection
        guard head.method == .GET || head.method == .HEAD else {
            self.refuse(.methodNotAllowed, head: head, keepAlive: keepAlive, context: context)
            return
        }
        guard head.uri.utf8.count <= self.configuration.maximumURILength else {
            self.refuse(.uriTooLong, head: head, keepAlive: false, context: context)
            return
        }
        if let phoneServices = self.phoneServices, head.uri.hasPrefix(PhoneServices.pathPrefix) {
            self.respondWithService(phoneServices, to: head, keepAlive: keepAlive, context: context)
            return
        }
        guard let filename = Self.fileName(fromTarget: head.uri) else {
            self.logger.debug("HTTP provisioning: unsafe path refused", metadata: ["http.target": "\(head.uri)"])
            self.refuse(.badRequest, head: head, keepAlive: keepAlive, context: context)
            return
        }
        let fileProvider = self.fileProvider
        let eventLoop = context.eventLoop
        let promise = eventLoop.makePromise(of: ByteBuffer?.self)
        promise.completeWithTask {
            try await fileProvider.contents(ofFile: filename)
        }
        let timeout = eventLoop.assumeIsolated().scheduleTask(in: self.configuration.lookupTimeout) {
            promise.fail(HTTPLookupTimeout())
        }
        promise.futureResult.assumeIsolated().whenComplete { result in
            timeout.cancel()
            self.lookupCompleted(head: head, filename: filename, keepAlive: keepAlive, result: result)
        }
    }

    /// Answers a request under `/services/` from the phone services, under the same lookup deadline as a file.
    private func respondWithService(
        _ services: PhoneServices,
        to head: HTTPRequestHead,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        guard
            let request = PhoneServices.Request(
                target: head.uri,
                host: head.headers["Host"].first,
                remoteAddress: context.channel.remoteAddress?.ipAddress
            )
        else {
            self.refuse(.badRequest, head: head, keepAlive: keepAlive, context: context)
            return
        }
        self.shared.count { $0.serviceRequests += 1 }
        let eventLoop = context.eventLoop
        let promise = eventLoop.makePromise(of: PhoneServices.Response.self)
        promise.completeWithTask {
            try await services.respond(to: request)
        }
        let timeout = eventLoop.assumeIsolated().scheduleTask(in: self.configuration.lookupTimeout) {
            promise.fail(HTTPLookupTimeout())
        }
        promise.futureResult.assumeIsolated().whenComplete { result in
            timeout.cancel()
            guard let context = self.context, case .responding = self.state else { return }
            switch result {
            case .success(let response):
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: response.contentType)
                headers.add(name: "Cache-Control", value: "no-cache")
                var body = context.channel.allocator.buffer(capacity: response.body.count)
                body.writeBytes(response.body)
                self.send(
                    HTTPResponseStatus(statusCode: response.status),
                    head: head,
                    headers: headers,
                    body: body,
                    keepAlive: keepAlive,
                    context: context
                )
            case .failure(let error):
                self.shared.count { $0.lookupFailures += 1 }
                self.logger.info(
                    "Phone service failed",
                    metadata: ["http.target": "\(request.path)", "error": "\(error)"]
                )
                self.send(.serviceUnavailable, head: head, body: nil, keepAlive: keepAlive, context: context)
            }
        }
    }

    private func lookupCompleted(
        head: HTTPRequestHead,
        filename: String,
        keepAlive: Bool,
        result: Result<ByteBuffer?, any Error>
    ) {
        guard let context = self.context, case .responding = self.state else { return }
        switch result {
        case .success(.some(let file)):
            self.shared.count { $0.filesServed += 1 }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: Self.contentType(of: filename))
            headers.add(name: "Cache-Control", value: "no-cache")
            self.send(.ok, head: head, headers: headers, body: file, keepAlive: keepAlive, context: context)
        case .success(.none):
            self.shared.count { $0.notFound += 1 }
            self.send(.notFound, head: head, body: nil, keepAlive: keepAlive, context: context)
        case .failure(let error):
            self.shared.count { $0.lookupFailures += 1 }
            self.logger.info(
                "HTTP provisioning file lookup failed",
                metadata: ["http.file": "\(filename)", "error": "\(error)"]
            )
            self.send(.serviceUnavailable, head: head, body: nil, keepAlive: keepAlive, context: context)
        }
    }

    private func refuse(
        _ status: HTTPResponseStatus,
        head: HTTPRequestHead,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        self.shared.count { $0.refused += 1 }
        var headers = HTTPHeaders()
        if status == .methodNotAllowed {
            headers.add(name: "Allow", value: "GET, HEAD")
        }
        self.send(status, head: head, headers: headers, body: nil, keepAlive: keepAlive, context: context)
    }

    /// Writes a whole response; a body-less status gets its reason phrase as a short text body.
    private func send(
        _ status: HTTPResponseStatus,
        head request: HTTPRequestHead,
        headers: HTTPHeaders = HTTPHeaders(),
        body: ByteBuffer?,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        var headers = headers
        let body = body ?? ByteBuffer(string: "\(status.code) \(status.reasonPhrase)\n")
        if headers["Content-Type"].isEmpty {
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        }
        headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if request.version == .http1_0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        context.write(
            self.wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
            promise: nil
        )
        if request.method != .HEAD, body.readableBytes > 0 {
            context.write(self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        let written = context.writeAndFlush(self.wrapOutboundOut(.end(nil)))
        if keepAlive {
            self.state = .idle
        } else {
            self.state = .closing
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// The most path segments a file name may have: a flat name, or a file in a locale folder of the firmware
    /// folder (`German_Germany/be-sccp.jar`) and a little deeper (`Desktops/320x212x12/List.xml`).
    static let maximumPathSegments = 4

    /// "/SEP001122AABBCC.cnf.xml?x=1" → "SEP001122AABBCC.cnf.xml", "/German_Germany/be-sccp.jar" →
    /// "German_Germany/be-sccp.jar"; nil for anything that is not a safe relative name: more than
    /// ``maximumPathSegments`` segments, an empty segment, "..", a backslash, a control or non-ASCII character
    /// (also when percent-encoded), a bad escape, or a target that is not a path.
    static func fileName(fromTarget target: String) -> String? {
        var path = Substring(target)
        if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            path = path[..<end]
        }
        guard path.hasPrefix("/") else { return nil }
        guard let decoded = Self.percentDecoded(path.dropFirst()) else { return nil }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count <= Self.maximumPathSegments, segments.allSatisfy({ !$0.isEmpty && $0 != "." }),
            TFTPServerPolicy<String>.isSafe(filename: decoded)
        else { return nil }
        return decoded
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue)
            else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func contentType(of filename: String) -> String {
        let lowercased = filename.lowercased()
        if lowercased.hasSuffix(".xml") { return "text/xml; charset=utf-8" }
        if lowercased.hasSuffix(".pem") { return "application/x-pem-file" }
        return "application/octet-stream"
    }
}

@available(*, unavailable)
extension HTTPProvisioningHandler: Sendable {}

/// The provider did not answer within `HTTPProvisioningListener.Configuration.lookupTimeout`.
struct HTTPLookupTimeout: Error, CustomStringConvertible {
    var description: String { "file lookup timed out" }
}

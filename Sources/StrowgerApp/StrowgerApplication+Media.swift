import AdminHTTP
import CoreMetrics
import Media
import ServerNIO

extension StrowgerApplication {
    /// The media engine's configuration from the server's: the port range and conference size of the command
    /// line, endpoints reported at ``ServerConfiguration/mediaAddress`` or else the bind address. A wildcard bind
    /// with no media address reports 0.0.0.0, which each phone's session replaces with the address the phone
    /// reached the server on (docs/media.md, "Addresses").
    static func mediaConfiguration(_ configuration: ServerConfiguration) -> MediaServer.Configuration {
        let host =
            configuration.mediaAddress.flatMap { MediaSocketAddress(ipv4: $0, port: 0)?.host }
            ?? MediaSocketAddress(ipv4: configuration.bindAddress, port: 0)?.host ?? .ipv4(0)
        return MediaServer.Configuration(
            bindHost: configuration.bindAddress,
            engine: MediaEngine.Configuration(
                localHost: host,
                ports: UInt16(configuration.mediaPorts.lowerBound)...UInt16(configuration.mediaPorts.upperBound),
                conferenceMaximum: configuration.conferenceMaximum
            )
        )
    }

    /// The engine's counts at `/metrics`, brought up to date at every scrape:
    /// `strowger_media_packets{direction}`, `strowger_media_dropped{reason}`,
    /// `strowger_media_jitter{event}`, and the gauges `strowger_media_streams{kind}`,
    /// `strowger_media_ports_in_use`, `strowger_media_send_late_p99_seconds`.
    static func addMediaMetrics(_ media: MediaServer, to metrics: AdminMetrics) {
        let factory = metrics.factory
        func gauge(_ label: String, _ dimensions: [(String, String)] = []) -> Gauge {
            Gauge(label: label, dimensions: dimensions, factory: factory)
        }
        let packets = ["received", "sent"].map { gauge("strowger_media_packets", [("direction", $0)]) }
        let dropReasons = ["wrong_source", "malformed", "wrong_payload_type", "unexpected", "send_buffer_full"]
        let drops = dropReasons.map { gauge("strowger_media_dropped", [("reason", $0)]) }
        let jitterEvents = ["late", "duplicate", "lost", "reset", "wrong_size"]
        let jitter = jitterEvents.map { gauge("strowger_media_jitter", [("event", $0)]) }
        let streams = ["conference", "participant", "music", "tone"].map {
            gauge("strowger_media_streams", [("kind", $0)])
        }
        let ports = gauge("strowger_media_ports_in_use")
        let exhausted = gauge("strowger_media_ports_exhausted")
        let late = gauge("strowger_media_send_late_p99_seconds")
        let skipped = gauge("strowger_media_ticks_skipped")
        metrics.addCollector {
            let (statistics, lateness, _) = await media.statistics()
            packets[0].record(statistics.packetsReceived)
            packets[1].record(statistics.packetsSent)
            let dropped = [
                statistics.droppedWrongSource, statistics.droppedMalformed, statistics.droppedWrongPayloadType,
                statistics.droppedUnexpected, statistics.droppedSendBufferFull,
            ]
            for (gauge, value) in zip(drops, dropped) { gauge.record(value) }
            let events = [
                statistics.jitterLate, statistics.jitterDuplicates, statistics.jitterLost, statistics.jitterResets,
                statistics.jitterWrongSize,
            ]
            for (gauge, value) in zip(jitter, events) { gauge.record(value) }
            let counts = [
                statistics.conferences, statistics.participants, statistics.musicListeners, statistics.toneLegs,
            ]
            for (gauge, value) in zip(streams, counts) { gauge.record(value) }
            ports.record(statistics.portsInUse)
            exhausted.record(statistics.portsExhausted)
            late.record(Double(lateness.quantile(0.99)) / 1e9)
            skipped.record(Double(statistics.skippedTicks))
        }
    }
}

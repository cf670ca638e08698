import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The server process's CPU time and memory, and a file system's free space, for the dashboard. On Linux they come
/// from `/proc` (`/proc/self/stat`, `/proc/self/status`, `/proc/meminfo`); elsewhere CPU time comes from
/// `getrusage` and memory is not shown.
enum ServerResources {
    /// CPU seconds (user + system) the process has used.
    static func cpuSeconds() -> Double? {
        var usage = rusage()
        #if canImport(Glibc)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return nil }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The process's resident memory in bytes (`VmRSS`), Linux only.
    static func residentBytes() -> Int? {
        kilobytes(named: "VmRSS:", in: "/proc/self/status").map { $0 * 1024 }
    }

    /// The machine's memory in bytes (`MemTotal`), Linux only.
    static func totalMemoryBytes() -> Int? {
        kilobytes(named: "MemTotal:", in: "/proc/meminfo").map { $0 * 1024 }
    }

    /// Free and total bytes of the file system that holds `path`.
    static func diskSpace(at path: String) -> (free: Int, total: Int)? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        let block = Int(stats.f_frsize)
        return (Int(stats.f_bavail) * block, Int(stats.f_blocks) * block)
    }

    /// The number of a `Name:   1234 kB` line of a small /proc file.
    private static func kilobytes(named name: String, in path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path), data.count < 64 << 10,
            let text = String(data: data, encoding: .utf8)
        else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count >= 2 ? Int(fields[1]) : nil
        }
        return nil
    }

    /// 56623104 → "54 MiB".
    static func bytes(_ value: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024, unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0
            ? "\(value) bytes"
            : (amount < 10 ? String(format: "%.1f", amount) : String(Int(amount)))
                + " " + units[unit]
    }
}

/// One line of the Prometheus text format: `name{label="value",…} 12`.
struct MetricSample: Hashable, Sendable {
    var name: String
    var labels: [String: String]
    var value: Double

    /// The samples of an exposition, comments skipped. Label values are read as written (`\"` unescaped).
    static func parse(_ text: String) -> [MetricSample] {
        var samples: [MetricSample] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            let series = line[..<space]
            var labels: [String: String] = [:]
            var name = Substring(series)
            if let open = series.firstIndex(of: "{"), series.hasSuffix("}") {
                name = series[..<open]
                let inner = series[series.index(after: open)..<series.index(before: series.endIndex)]
                for pair in inner.split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    labels[String(parts[0])] = String(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
                }
            }
            samples.append(MetricSample(name: String(name), labels: labels, value: value))
        }
        return samples
    }
}

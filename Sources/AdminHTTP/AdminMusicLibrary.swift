public import NIOCore
public import Store

/// Where the admin API adds and removes music-on-hold sources: the server converts the file, keeps the converted
/// audio in its data directory and loads it into the media engine (StrowgerApp's `MusicLibrary`). A protocol so
/// that the admin API needs neither the media engine nor the file system.
public protocol AdminMusicLibrary: Sendable {
    /// Converts `file` (the bytes of a WAV or raw G.711 file named `fileName`) once to 8 kHz G.711, keeps it as the
    /// source `name` and starts serving it. A file that cannot be used throws ``AdminAPIError`` (422) and changes
    /// nothing; so does a name in use unless `replacing`.
    func add(name: String, fileName: String, file: ByteBuffer, replacing: Bool) async throws -> MusicSourceRecord

    /// Stops serving the source and removes it with its file; refused while a line or device names it.
    func remove(name: String) async throws
}

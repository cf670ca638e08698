import Foundation

// Records are plain `Codable` structs; these coders turn one into the column values of a row and back, the same
// way for both backends. A property is one column: an integer, a Boolean, text, a `Date`, `Data`, an enum with a raw
// value, or an optional of one. Anything with structure of its own (a list of strings, a group's members) is stored
// as JSON text, as GRDB stored it, so databases written before the Store had two backends read back unchanged.

/// The JSON coders for structured columns. Sorted keys keep a value's text the same from one write to the next.
enum SQLJSON {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dataEncodingStrategy = .base64
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dataDecodingStrategy = .base64
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(type, from: Data(text.utf8))
    }
}

// MARK: - Encoding a record into columns

/// Encodes a record's properties, in declaration order, as (column, value) pairs. A nil optional is a NULL column,
/// not a missing one, so that an UPDATE clears it.
final class SQLRowEncoder {
    private(set) var columns: [(name: String, value: SQLValue)] = []

    static func columns(of value: some Encodable) throws -> [(name: String, value: SQLValue)] {
        let encoder = SQLRowEncoder()
        try value.encode(to: RowEncoder(owner: encoder))
        return encoder.columns
    }

    fileprivate func append(_ name: String, _ value: SQLValue) {
        if let index = columns.firstIndex(where: { $0.name == name }) {
            columns[index].value = value
        } else {
            columns.append((name, value))
        }
    }

    /// One property's column value: its own if it is a column type, its single value if it encodes as one (an
    /// enum with a raw value), else JSON text.
    fileprivate static func columnValue(_ value: some Encodable) throws -> SQLValue {
        if let convertible = value as? any SQLValueConvertible { return convertible.sqlValue }
        let probe = SingleValueProbe()
        try value.encode(to: probe)
        if !probe.isStructured, let single = probe.value { return single }
        return .text(try SQLJSON.encode(value))
    }
}

private struct RowEncoder: Encoder {
    let owner: SQLRowEncoder
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(RowKeyedContainer<Key>(owner: owner))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnsupportedUnkeyedContainer()
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        UnsupportedSingleValueContainer()
    }
}

private struct RowKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let owner: SQLRowEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { owner.append(key.stringValue, .null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        owner.append(key.stringValue, try SQLRowEncoder.columnValue(value))
    }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try put(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try put(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try put(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try put(value.map(Double.init), key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try put(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try put(value.map(Int64.init), key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try put(value.map(Int64.init), key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try put(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try put(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try put(value.map(exactInt64), key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try put(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try put(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try put(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try put(value.map(exactInt64), key) }

    private func put(_ value: (some SQLValueConvertible)?, _ key: Key) throws {
        owner.append(key.stringValue, value?.sqlValue ?? .null)
    }

    private func exactInt64(_ value: some BinaryInteger) -> Int64 { Int64(clamping: value) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(DiscardingKeyedContainer<NestedKey>())
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        UnsupportedUnkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { DiscardingEncoder() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { DiscardingEncoder() }
}

/// Finds out whether a property encodes as one value (then which) or has structure (then it goes in as JSON).
private final class SingleValueProbe: Encoder {
    var value: SQLValue?
    var isStructured = false
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        isStructured = true
        return KeyedEncodingContainer(DiscardingKeyedContainer<Key>())
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        isStructured = true
        return UnsupportedUnkeyedContainer()
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        ProbeSingleValueContainer(probe: self)
    }
}

private struct ProbeSingleValueContainer: SingleValueEncodingContainer {
    let probe: SingleValueProbe
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { probe.value = .null }
    mutating func encode(_ value: Bool) throws { probe.value = value.sqlValue }
    mutating func encode(_ value: String) throws { probe.value = value.sqlValue }
    mutating func encode(_ value: Double) throws { probe.value = value.sqlValue }
    mutating func encode(_ value: Float) throws { probe.value = Double(value).sqlValue }
    mutating func encode(_ value: Int) throws { probe.value = value.sqlValue }
    mutating func encode(_ value: Int8) throws { probe.value = .integer(Int64(value)) }
    mutating func encode(_ value: Int16) throws { probe.value = .integer(Int64(value)) }
    mutating func encode(_ value: Int32) throws { probe.value = value.sqlValue }
    mutating func encode(_ value: Int64) throws { probe.value = value.sqlValue }
    mutating func encode(_ value: UInt) throws { probe.value = .integer(Int64(clamping: value)) }
    mutating func encode(_ value: UInt8) throws { probe.value = value.sqlValue }
    mutating func encode(_ value: UInt16) throws { probe.value = value.sqlValue }
    mutating func encode(_ value: UInt32) throws { probe.value = value.sqlValue }
    mutating func encode(_ value: UInt64) throws { probe.value = .integer(Int64(clamping: value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        if let convertible = value as? any SQLValueConvertible {
            probe.value = convertible.sqlValue
        } else {
            probe.isStructured = true
        }
    }
}

private struct DiscardingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    var codingPath: [any CodingKey] { [] }
    mutating func encodeNil(forKey key: Key) throws {}
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {}
    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(DiscardingKeyedContainer<NestedKey>())
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        UnsupportedUnkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { DiscardingEncoder() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { DiscardingEncoder() }
}

/// Takes whatever is encoded into it and keeps nothing: a structured value's parts, which go in as JSON instead.
private struct UnsupportedUnkeyedContainer: UnkeyedEncodingContainer {
    var codingPath: [any CodingKey] { [] }
    var count: Int { 0 }
    mutating func encodeNil() throws {}
    mutating func encode<T: Encodable>(_ value: T) throws {}
    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(DiscardingKeyedContainer<NestedKey>())
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { UnsupportedUnkeyedContainer() }
    mutating func superEncoder() -> any Encoder { DiscardingEncoder() }
}

private struct UnsupportedSingleValueContainer: SingleValueEncodingContainer {
    var codingPath: [any CodingKey] { [] }
    mutating func encodeNil() throws {}
    mutating func encode<T: Encodable>(_ value: T) throws {}
}

private struct DiscardingEncoder: Encoder {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(DiscardingKeyedContainer<Key>())
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { UnsupportedUnkeyedContainer() }
    func singleValueContainer() -> any SingleValueEncodingContainer { UnsupportedSingleValueContainer() }
}

// MARK: - Decoding a record from a row

/// Decodes a record from a row by column name. A column that is missing or NULL decodes as nil for an optional
/// property; for any other it is an error that names the column.
struct SQLRowDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from row: SQLRow) throws -> T {
        try T(from: RowDecoder(row: row))
    }
}

private struct RowDecoder: Decoder {
    let row: SQLRow
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowKeyedDecodingContainer<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw SQLError(.other, "a row decodes into a record with named properties, not a list")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw SQLError(.other, "a row decodes into a record with named properties, not a single value")
    }
}

private struct RowKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: SQLRow
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { row.columns.names.compactMap(Key.init(stringValue:)) }

    func contains(_ key: Key) -> Bool { row.columns.position(of: key.stringValue) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = row[key.stringValue] { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try Self.decodeColumn(type, row[key.stringValue], column: key.stringValue)
    }

    static func decodeColumn<T: Decodable>(_ type: T.Type, _ value: SQLValue, column: String) throws -> T {
        if let convertible = type as? any SQLValueConvertible.Type {
            guard let decoded = convertible.init(sqlValue: value) as? T else {
                throw SQLError(.other, "column \(column) holds \(value), not a \(T.self)")
            }
            return decoded
        }
        do {
            return try T(from: ColumnDecoder(value: value, column: column))
        } catch is StructuredColumn {
            guard case .text(let json) = value else {
                throw SQLError(.other, "column \(column) holds \(value), not the JSON text of a \(T.self)")
            }
            do {
                return try SQLJSON.decode(type, from: json)
            } catch {
                throw SQLError(.other, "column \(column) holds JSON that is not a \(T.self): \(error)")
            }
        }
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        throw SQLError(.other, "column \(key.stringValue) is a single value")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw SQLError(.other, "column \(key.stringValue) is a single value")
    }

    func superDecoder() throws -> any Decoder { RowDecoder(row: row) }
    func superDecoder(forKey key: Key) throws -> any Decoder { RowDecoder(row: row) }
}

/// Thrown by ``ColumnDecoder`` when a type wants a keyed or unkeyed container: its column holds JSON.
private struct StructuredColumn: Error {}

/// Decodes a property that encodes as one value (an enum with a raw value) from its column.
private struct ColumnDecoder: Decoder, SingleValueDecodingContainer {
    let value: SQLValue
    let column: String
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw StructuredColumn()
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw StructuredColumn() }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let convertible = type as? any SQLValueConvertible.Type {
            guard let decoded = convertible.init(sqlValue: value) as? T else {
                throw SQLError(.other, "column \(column) holds \(value), not a \(T.self)")
            }
            return decoded
        }
        return try T(from: self)
    }
}

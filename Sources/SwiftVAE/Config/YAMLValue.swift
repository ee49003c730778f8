/// A position in a text file, 1-based.
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

/// A scalar resolved by the YAML 1.2 core schema.
public enum YAMLScalar: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)

    /// The YAML type name, for error messages.
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .float: return "float"
        case .string: return "string"
        }
    }
}

/// A node of the YAML subset SwiftVAE reads, with where it starts in the file.
public indirect enum YAMLValue: Equatable, Sendable {
    case scalar(YAMLScalar)
    case sequence([YAMLNode])
    /// Keys in file order (duplicates are rejected by the reader).
    case mapping([(key: String, location: SourceLocation, value: YAMLNode)])

    public static func == (lhs: YAMLValue, rhs: YAMLValue) -> Bool {
        switch (lhs, rhs) {
        case let (.scalar(a), .scalar(b)): return a == b
        case let (.sequence(a), .sequence(b)): return a == b
        case let (.mapping(a), .mapping(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    var typeName: String {
        switch self {
        case let .scalar(scalar): return scalar.typeName
        case .sequence: return "sequence"
        case .mapping: return "mapping"
        }
    }
}

/// A value and its location.
public struct YAMLNode: Equatable, Sendable {
    public var value: YAMLValue
    public var location: SourceLocation

    public static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool { lhs.value == rhs.value }
}

/// A YAML document SwiftVAE cannot read, with where and why.
public struct YAMLError: Error, Equatable, CustomStringConvertible, Sendable {
    public var location: SourceLocation
    public var message: String
    public var description: String { "\(location): \(message)" }
}

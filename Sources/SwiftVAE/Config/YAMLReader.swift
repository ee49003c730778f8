/// Reads the YAML subset that ML configuration files use into a `YAMLValue` tree.
///
/// Supported: nested block mappings (indentation by spaces), `#` comments (full-line and
/// trailing), blank lines, one optional leading `---`, plain, single-quoted and double-quoted
/// scalars (with escapes), flow sequences of scalars `[1, 2, 4]`, and scalar resolution by the
/// YAML 1.2 core schema (`1e-3`, `.5`, `0x1F` are numbers; `true`/`True`/`TRUE` booleans; `null`,
/// `~` and the empty value null; `yes`/`no`/`on`/`off` strings).
///
/// Rejected with an error naming the line, column and construct, never misread: anchors,
/// aliases, tags, block scalars, flow mappings, block sequences, nested flow sequences, several
/// documents, tabs in indentation, duplicate keys, keys without values, bad indentation.
public enum YAMLReader {
    /// Parses `text`; the top level must be a mapping (or the document empty: an empty mapping).
    public static func parse(_ text: String) throws(YAMLError) -> YAMLValue {
        var lines = try logicalLines(text)
        if let first = lines.first, first.content == "---" { lines.removeFirst() }
        var index = 0
        let root = try parseMapping(lines, &index, indent: lines.first?.indent ?? 0)
        if index < lines.count {
            let line = lines[index]
            throw YAMLError(location: SourceLocation(line: line.number, column: line.indent + 1),
                            message: "unexpected indentation")
        }
        return root
    }

    struct Line {
        var number: Int
        var indent: Int
        var content: String   // comment and trailing spaces removed
    }

    /// Splits into non-blank lines with indentation measured, comments stripped.
    static func logicalLines(_ text: String) throws(YAMLError) -> [Line] {
        var result: [Line] = []
        var number = 0
        var sawDocumentStart = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            var indent = 0
            for character in line {
                if character == " " { indent += 1; continue }
                if character == "\t" {
                    throw YAMLError(location: SourceLocation(line: number, column: indent + 1),
                                    message: "tab used for indentation (use spaces)")
                }
                break
            }
            let content = try stripComment(line.dropFirst(indent), line: number, column: indent + 1)
            if content.isEmpty { continue }
            if content == "---" || content.hasPrefix("--- ") {
                if sawDocumentStart || !result.isEmpty {
                    throw YAMLError(location: SourceLocation(line: number, column: 1),
                                    message: "several documents in one file are not supported")
                }
                sawDocumentStart = true
                if content != "---" {
                    throw YAMLError(location: SourceLocation(line: number, column: 5),
                                    message: "content after '---' is not supported")
                }
                result.append(Line(number: number, indent: indent, content: "---"))
                continue
            }
            if content == "..." {
                throw YAMLError(location: SourceLocation(line: number, column: 1),
                                message: "document end marker '...' is not supported")
            }
            if content.hasPrefix("%") {
                throw YAMLError(location: SourceLocation(line: number, column: indent + 1),
                                message: "directives ('%') are not supported")
            }
            result.append(Line(number: number, indent: indent, content: content))
        }
        return result
    }

    /// Removes a `#` comment that is outside quotes and preceded by a space (or starts the text),
    /// and trailing spaces.
    static func stripComment(_ text: Substring, line: Int, column: Int) throws(YAMLError) -> String {
        var quote: Character? = nil
        var previous: Character = " "
        var end = text.endIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if open == "\"" && character == "\\" {
                    index = text.index(after: index)
                    if index < text.endIndex { index = text.index(after: index) }
                    previous = "x"
                    continue
                }
                if character == open { quote = nil }
            } else if character == "#" && (previous == " " || previous == "\t") {
                end = index
                break
            } else if (character == "\"" || character == "'") && (previous == " " || previous == ":"
                        || previous == "[" || previous == "," || index == text.startIndex) {
                quote = character
            }
            previous = character
            index = text.index(after: index)
        }
        var result = text[text.startIndex..<end]
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return String(result)
    }

    static func parseMapping(_ lines: [Line], _ index: inout Int, indent: Int) throws(YAMLError) -> YAMLValue {
        var entries: [(key: String, location: SourceLocation, value: YAMLNode)] = []
        while index < lines.count {
            let line = lines[index]
            if line.indent < indent { break }
            if line.indent > indent {
                throw YAMLError(location: SourceLocation(line: line.number, column: line.indent + 1),
                                message: "unexpected indentation (expected \(indent) spaces)")
            }
            let keyLocation = SourceLocation(line: line.number, column: line.indent + 1)
            if line.content.hasPrefix("- ") || line.content == "-" {
                throw YAMLError(location: keyLocation,
                                message: "block sequences ('- item') are not supported; use a flow sequence [a, b]")
            }
            let (key, valueText, valueColumn) = try splitKey(line, location: keyLocation)
            if let previous = entries.first(where: { $0.key == key }) {
                throw YAMLError(location: keyLocation,
                                message: "duplicate key '\(key)' (first at line \(previous.location.line))")
            }
            index += 1
            let valueLocation = SourceLocation(line: line.number, column: valueColumn)
            if valueText.isEmpty {
                // A nested mapping follows if the next line is indented deeper; else null.
                if index < lines.count && lines[index].indent > indent {
                    let nested = try parseMapping(lines, &index, indent: lines[index].indent)
                    entries.append((key, keyLocation, YAMLNode(value: nested, location: valueLocation)))
                } else {
                    entries.append((key, keyLocation, YAMLNode(value: .scalar(.null), location: valueLocation)))
                }
            } else {
                let value = try parseInlineValue(valueText, location: valueLocation)
                entries.append((key, keyLocation, YAMLNode(value: value, location: valueLocation)))
            }
        }
        return .mapping(entries)
    }

    /// Splits `key: value` into the key (unquoted), the value text and the value's column.
    static func splitKey(_ line: Line, location: SourceLocation) throws(YAMLError) -> (String, String, Int) {
        let content = line.content
        if let first = content.first, "&*!|>{[@`%?".contains(first) {
            throw YAMLError(location: location, message: unsupportedConstruct(first, asKey: true))
        }
        var key: String
        var rest: Substring
        if let quote = content.first, quote == "\"" || quote == "'" {
            let (text, after) = try readQuoted(Substring(content), location: location)
            key = text
            rest = after
            guard rest.first == ":" else {
                throw YAMLError(location: location, message: "expected ':' after the quoted key")
            }
            rest = rest.dropFirst()
        } else {
            // The key ends at the first ": " (or a final ':').
            guard let colon = findKeySeparator(content) else {
                throw YAMLError(location: location,
                                message: "expected 'key: value', found '\(content.prefix(40))'")
            }
            key = String(content[content.startIndex..<colon])
            rest = content[content.index(after: colon)...]
            while let last = key.last, last == " " { key.removeLast() }
        }
        guard rest.isEmpty || rest.first == " " else {
            throw YAMLError(location: location, message: "expected a space after ':'")
        }
        let trimmed = rest.drop { $0 == " " }
        let valueColumn = line.indent + 1 + content.distance(from: content.startIndex, to: trimmed.startIndex)
        if key.isEmpty { throw YAMLError(location: location, message: "empty key") }
        return (key, String(trimmed), valueColumn)
    }

    static func findKeySeparator(_ content: String) -> String.Index? {
        var index = content.startIndex
        while index < content.endIndex {
            if content[index] == ":" {
                let next = content.index(after: index)
                if next == content.endIndex || content[next] == " " { return index }
            }
            index = content.index(after: index)
        }
        return nil
    }

    static func unsupportedConstruct(_ character: Character, asKey: Bool) -> String {
        switch character {
        case "&": return "anchors ('&') are not supported"
        case "*": return "aliases ('*') are not supported"
        case "!": return "tags ('!') are not supported"
        case "|", ">": return "block scalars ('\(character)') are not supported; write the value on one line"
        case "{": return "flow mappings ('{...}') are not supported; use an indented block mapping"
        case "[": return asKey ? "a sequence cannot be a key" : "nested flow sequences are not supported"
        case "?": return "complex keys ('?') are not supported"
        default: return "'\(character)' cannot start a plain scalar"
        }
    }

    /// A value on the same line as its key: a flow sequence or a scalar.
    static func parseInlineValue(_ text: String, location: SourceLocation) throws(YAMLError) -> YAMLValue {
        if text.first == "[" {
            return try parseFlowSequence(Substring(text), location: location)
        }
        let (scalar, rest) = try parseScalar(Substring(text), location: location, inFlow: false)
        if !rest.isEmpty {
            throw YAMLError(location: location, message: "unexpected text after the value: '\(rest.prefix(20))'")
        }
        return .scalar(scalar)
    }

    static func parseFlowSequence(_ text: Substring, location: SourceLocation) throws(YAMLError) -> YAMLValue {
        var rest = text.dropFirst().drop { $0 == " " }
        var items: [YAMLNode] = []
        if rest.first == "]" {
            rest = rest.dropFirst()
        } else {
            while true {
                if let first = rest.first, first == "[" || first == "{" {
                    throw YAMLError(location: location, message: unsupportedConstruct(first, asKey: false))
                }
                let (scalar, after) = try parseScalar(rest, location: location, inFlow: true)
                items.append(YAMLNode(value: .scalar(scalar), location: location))
                rest = after.drop { $0 == " " }
                guard let separator = rest.first else {
                    throw YAMLError(location: location,
                                    message: "unterminated flow sequence (missing ']'; it must end on the same line)")
                }
                rest = rest.dropFirst().drop { $0 == " " }
                if separator == "]" { break }
                guard separator == "," else {
                    throw YAMLError(location: location, message: "expected ',' or ']' in the flow sequence")
                }
            }
        }
        if !rest.isEmpty {
            throw YAMLError(location: location, message: "unexpected text after ']': '\(rest.prefix(20))'")
        }
        return .sequence(items)
    }

    /// One scalar from the start of `text`; returns it and the unparsed rest.
    static func parseScalar(_ text: Substring, location: SourceLocation, inFlow: Bool) throws(YAMLError)
        -> (YAMLScalar, Substring)
    {
        guard let first = text.first else { return (.null, text) }
        if first == "\"" || first == "'" {
            let (value, rest) = try readQuoted(text, location: location)
            return (.string(value), rest.drop { $0 == " " })
        }
        if "&*!|>{@`%".contains(first) || (!inFlow && first == "[") {
            throw YAMLError(location: location, message: unsupportedConstruct(first, asKey: false))
        }
        var end = text.endIndex
        if inFlow, let stop = text.firstIndex(where: { $0 == "," || $0 == "]" }) { end = stop }
        var plain = text[text.startIndex..<end]
        while let last = plain.last, last == " " { plain = plain.dropLast() }
        if plain.contains(": ") || plain.hasSuffix(":") {
            throw YAMLError(location: location,
                            message: "a value cannot contain ': ' unquoted (quote it, or indent a nested mapping on the next line)")
        }
        return (resolvePlain(String(plain)), text[end...])
    }

    /// Reads a single- or double-quoted scalar at the start of `text`.
    static func readQuoted(_ text: Substring, location: SourceLocation) throws(YAMLError) -> (String, Substring) {
        let quote = text.first!
        var result = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if character == quote {
                let next = text.index(after: index)
                if quote == "'" && next < text.endIndex && text[next] == "'" {
                    result.append("'")
                    index = text.index(after: next)
                    continue
                }
                return (result, text[next...])
            }
            if quote == "\"" && character == "\\" {
                index = text.index(after: index)
                guard index < text.endIndex else { break }
                let escape = text[index]
                switch escape {
                case "\\": result.append("\\")
                case "\"": result.append("\"")
                case "/": result.append("/")
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "r": result.append("\r")
                case "0": result.append("\0")
                case "b": result.append("\u{8}")
                case "f": result.append("\u{C}")
                case " ": result.append(" ")
                case "x", "u", "U":
                    let digits = escape == "x" ? 2 : escape == "u" ? 4 : 8
                    let start = text.index(after: index)
                    guard let end = text.index(start, offsetBy: digits, limitedBy: text.endIndex),
                          let code = UInt32(text[start..<end], radix: 16),
                          let scalar = Unicode.Scalar(code) else {
                        throw YAMLError(location: location, message: "bad \\\(escape) escape in a double-quoted string")
                    }
                    result.unicodeScalars.append(scalar)
                    index = text.index(before: end)
                default:
                    throw YAMLError(location: location, message: "unknown escape '\\\(escape)' in a double-quoted string")
                }
                index = text.index(after: index)
                continue
            }
            result.append(character)
            index = text.index(after: index)
        }
        throw YAMLError(location: location, message: "unterminated \(quote == "\"" ? "double" : "single")-quoted string")
    }
}

import SwiftVAE
import XCTest

final class YAMLReaderTests: XCTestCase {
    func value(_ text: String, _ path: String...) throws -> YAMLValue {
        var node = try YAMLReader.parse(text)
        for key in path {
            guard case let .mapping(entries) = node, let entry = entries.first(where: { $0.key == key }) else {
                XCTFail("no key \(key)"); return .scalar(.null)
            }
            node = entry.value.value
        }
        return node
    }

    func scalar(_ text: String) throws -> YAMLScalar {
        guard case let .scalar(s) = try value("k: \(text)\n", "k") else { XCTFail("not a scalar"); return .null }
        return s
    }

    func testCoreSchemaResolution() throws {
        XCTAssertEqual(try scalar("1e-3"), .float(1e-3))
        XCTAssertEqual(try scalar("1.0e-3"), .float(1e-3))
        XCTAssertEqual(try scalar(".5"), .float(0.5))
        XCTAssertEqual(try scalar("-2"), .int(-2))
        XCTAssertEqual(try scalar("0x1F"), .int(31))
        XCTAssertEqual(try scalar("0o17"), .int(15))
        XCTAssertEqual(try scalar("+3"), .int(3))
        for t in ["true", "True", "TRUE"] { XCTAssertEqual(try scalar(t), .bool(true)) }
        for f in ["false", "False", "FALSE"] { XCTAssertEqual(try scalar(f), .bool(false)) }
        for n in ["null", "Null", "NULL", "~", ""] { XCTAssertEqual(try scalar(n), .null, n) }
        for s in ["yes", "no", "on", "off", "1e", "0x", "1.2.3", "abc def"] { XCTAssertEqual(try scalar(s), .string(s), s) }
        XCTAssertEqual(try scalar(".inf"), .float(.infinity))
        XCTAssertEqual(try scalar("'42'"), .string("42"))
        XCTAssertEqual(try scalar("\"a\\tb\\n\\u00e9\\\"\""), .string("a\tb\né\""))
        XCTAssertEqual(try scalar("'it''s'"), .string("it's"))
        XCTAssertEqual(try scalar("\"# not a comment\"  # a comment"), .string("# not a comment"))
        XCTAssertEqual(try scalar("value#hash"), .string("value#hash"))
    }

    func testNestingCommentsBlankLinesAndFlowSequences() throws {
        let text = """
            # a full-line comment
            ---
            top: 1   # trailing comment

            section:
              inner: "x"
              deeper:
                leaf: [1, 2.5, 'three', true]
              empty: []
            last: ~\r
            """
        XCTAssertEqual(try value(text, "top"), .scalar(.int(1)))
        XCTAssertEqual(try value(text, "section", "inner"), .scalar(.string("x")))
        guard case let .sequence(items) = try value(text, "section", "deeper", "leaf") else {
            return XCTFail("not a sequence")
        }
        XCTAssertEqual(items.map(\.value), [.scalar(.int(1)), .scalar(.float(2.5)),
                                            .scalar(.string("three")), .scalar(.bool(true))])
        XCTAssertEqual(try value(text, "section", "empty"), .sequence([]))
        XCTAssertEqual(try value(text, "last"), .scalar(.null))
        XCTAssertEqual(try YAMLReader.parse("# only a comment\n"), .mapping([]))
    }

    func testRejectedConstructsNameLineColumnAndConstruct() {
        let cases: [(String, Int, Int, String)] = [
            ("a: &anchor 1\n", 1, 4, "anchors"),
            ("a: *alias\n", 1, 4, "aliases"),
            ("a: !!int 1\n", 1, 4, "tags"),
            ("a: |\n  text\n", 1, 4, "block scalars"),
            ("a: >\n  text\n", 1, 4, "block scalars"),
            ("a: {b: 1}\n", 1, 4, "flow mappings"),
            ("a: 1\n---\nb: 2\n", 2, 1, "several documents"),
            ("a:\n\tb: 1\n", 2, 1, "tab"),
            ("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first at line 1)"),
            ("a:\n  - 1\n", 2, 3, "block sequences"),
            ("a: [1, [2]]\n", 1, 4, "nested flow sequences"),
            ("a: [1, 2\n", 1, 4, "unterminated flow sequence"),
            ("a: \"open\n", 1, 4, "unterminated double-quoted"),
            ("a: \"\\q\"\n", 1, 4, "unknown escape"),
            ("a: 1\n  b: 2\n", 2, 3, "unexpected indentation"),
            ("just text\n", 1, 1, "expected 'key: value'"),
            ("a: b: c\n", 1, 4, "cannot contain ': '"),
        ]
        for (text, line, column, fragment) in cases {
            do {
                _ = try YAMLReader.parse(text)
                XCTFail("accepted \(text.debugDescription)")
            } catch {
                XCTAssertEqual(error.location, SourceLocation(line: line, column: column), "\(text.debugDescription): \(error)")
                XCTAssertTrue(error.message.contains(fragment), "\(text.debugDescription): \(error.message)")
            }
        }
    }

    /// Random and mutated documents: the reader and the schema must answer with a value or an
    /// error, never trap. Seeded, so a failure reproduces.
    func testFuzzedDocumentsNeverCrash() {
        let seeds = [try! String(contentsOf: packageRoot().appendingPathComponent("examples/default.yaml"), encoding: .utf8),
                     "a: [1, 'x', \"y\\n\"]\nb:\n  c: ~\n"]
        let alphabet = Array(" \t\n:#-[]{}'\"\\&*!|>,.0123456789eExabc~\r\u{0}é")
        var generator = Xoshiro256StarStar(seed: 99)
        var accepted = 0, rejected = 0
        for iteration in 0..<3000 {
            var characters = Array(seeds[iteration % seeds.count])
            let edits = 1 + Int(generator.next() % 6)
            for _ in 0..<edits {
                let position = characters.isEmpty ? 0 : Int(generator.next() % UInt64(characters.count))
                switch generator.next() % 3 {
                case 0 where !characters.isEmpty: characters.remove(at: position)
                case 1: characters.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
                default:
                    if !characters.isEmpty {
                        characters[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                    }
                }
            }
            do {
                _ = try ConfigurationSchema.configuration(fromYAML: String(characters), file: "fuzz.yaml")
                accepted += 1
            } catch {
                XCTAssertTrue(error.description.hasPrefix("fuzz.yaml"), error.description)
                rejected += 1
            }
        }
        XCTAssertEqual(accepted + rejected, 3000)
        XCTAssertGreaterThan(rejected, 100)
    }
}

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// An element of a parsed SVG document, read back by Foundation's XML parser (libxml2), so a document
/// that is not well-formed XML fails the test.
final class XMLElementNode {
    let name: String
    let attributes: [String: String]
    var children: [XMLElementNode] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// This element and everything below it, in document order.
    var descendants: [XMLElementNode] {
        [self] + children.flatMap(\.descendants)
    }

    func all(_ name: String, class className: String? = nil) -> [XMLElementNode] {
        descendants.filter { $0.name == name && (className == nil || $0.attributes["class"] == className) }
    }

    /// The points of a polyline as numbers.
    var points: [(x: Double, y: Double)] {
        (attributes["points"] ?? "").split(separator: " ").map { pair in
            let xy = pair.split(separator: ",").map { Double($0)! }
            return (xy[0], xy[1])
        }
    }

    func number(_ attribute: String) -> Double {
        Double(attributes[attribute] ?? "") ?? .nan
    }
}

enum SVGTestSupport {
    /// Parses `svg`, failing the test with the parser's message when it is not well-formed.
    static func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) throws -> XMLElementNode {
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            XCTFail("not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "no root") at line \(parser.lineNumber)",
                    file: file, line: line)
            throw XCTSkip("unparseable SVG")
        }
        return root
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var root: XMLElementNode?
        var stack: [XMLElementNode] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let node = XMLElementNode(name: elementName, attributes: attributes)
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?) {
            stack.removeLast()
        }
    }
}

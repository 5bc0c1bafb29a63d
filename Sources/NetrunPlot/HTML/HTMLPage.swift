/// A self-contained HTML document: escaped text, tables and inline SVG, with its CSS and one small
/// script (sortable tables, and page errors written into the page) inline, so it opens offline.
public struct HTMLPage: Sendable {
    public var title: String
    private var body: [String] = []

    public init(title: String) {
        self.title = title
    }

    /// Text for element content and quoted attribute values, in HTML and in SVG (XML): `& < > " '`
    /// become entities; control characters other than tab and newline, and the noncharacters
    /// U+FFFE and U+FFFF that XML 1.0 forbids, are dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0xFFFE...0xFFFF).contains(scalar.value): continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `<h2>`…`<h4>` with escaped text; `id` (escaped) makes it a link target.
    public mutating func heading(_ text: String, level: Int = 2, id: String? = nil) {
        let level = min(max(level, 1), 6)
        let anchor = id.map { " id=\"\(Self.escape($0))\"" } ?? ""
        body.append("<h\(level)\(anchor)>\(Self.escape(text))</h\(level)>")
    }

    public mutating func paragraph(_ text: String, className: String? = nil) {
        let kind = className.map { " class=\"\(Self.escape($0))\"" } ?? ""
        body.append("<p\(kind)>\(Self.escape(text))</p>")
    }

    /// Text kept as written (a config file), escaped.
    public mutating func preformatted(_ text: String) {
        body.append("<pre>\(Self.escape(text))</pre>")
    }

    /// An SVG document from `ChartPage.svg()`, inline; its XML declaration is dropped (HTML has none).
    public mutating func svg(_ document: String) {
        var text = Substring(document)
        if text.hasPrefix("<?xml"), let end = text.range(of: "?>") {
            text = text[end.upperBound...]
        }
        body.append("<figure class=\"chart\">\(text.drop { $0.isWhitespace })</figure>")
    }

    /// A table of escaped cells. A sortable table sorts by a column when its header is clicked
    /// (again: the other way); cells that all read as numbers sort as numbers.
    public mutating func table(_ header: [String], _ rows: [[String]], sortable: Bool = false, id: String? = nil,
                               rightAligned: Set<Int> = []) {
        var lines = ["<table" + (id.map { " id=\"\(Self.escape($0))\"" } ?? "")
                     + (sortable ? " class=\"sortable\"" : "") + ">"]
        lines.append("<thead><tr>" + header.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr></thead>")
        lines.append("<tbody>")
        for row in rows {
            let cells = row.enumerated().map { column, text in
                (rightAligned.contains(column) ? "<td class=\"number\">" : "<td>") + Self.escape(text) + "</td>"
            }
            lines.append("<tr>" + cells.joined() + "</tr>")
        }
        lines.append("</tbody></table>")
        body.append(lines.joined(separator: "\n"))
    }

    /// The whole document.
    public var html: String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escape(title))</title>
        <style>\(Self.style)</style>
        <script>\(Self.errorScript)</script>
        </head>
        <body>
        <div id="page-errors"></div>
        <h1>\(Self.escape(title))</h1>
        \(body.joined(separator: "\n"))
        <script>\(Self.sortScript)</script>
        </body>
        </html>

        """
    }

    private static let style = """

        body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
        h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
        pre { background: #f6f6f6; padding: .8em; overflow-x: auto; font-size: 90%; }
        table { border-collapse: collapse; margin: .8em 0; }
        th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: left; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        thead th { background: #f0f0f0; }
        table.sortable th { cursor: pointer; user-select: none; }
        table.sortable th[aria-sort="ascending"]::after { content: " ▲"; }
        table.sortable th[aria-sort="descending"]::after { content: " ▼"; }
        figure.chart { margin: 1em 0; }
        figure.chart svg { max-width: 100%; height: auto; }
        .note { color: #666; }
        #page-errors { color: #b00; }

        """

    /// Any script error on the page is written into it, so a reader (and the browser test) sees it.
    private static let errorScript = """

        window.onerror = function (message, source, line) {
          var box = document.getElementById("page-errors");
          var text = "page error: " + message + " (line " + line + ")";
          if (box) { var p = document.createElement("p"); p.textContent = text; box.appendChild(p); }
          else { document.title = text; }
        };

        """

    private static let sortScript = """

        document.querySelectorAll("table.sortable").forEach(function (table) {
          var headers = table.querySelectorAll("thead th");
          headers.forEach(function (th, column) {
            th.setAttribute("aria-sort", "none");
            th.addEventListener("click", function () {
              var ascending = th.getAttribute("aria-sort") !== "ascending";
              headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
              th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
              var body = table.tBodies[0];
              var rows = Array.prototype.slice.call(body.rows);
              var text = function (row) { return row.cells[column] ? row.cells[column].textContent.trim() : ""; };
              var numeric = rows.every(function (row) { var t = text(row); return t === "-" || !isNaN(parseFloat(t)); });
              rows.sort(function (a, b) {
                var x = text(a), y = text(b), order;
                if (numeric) {
                  var p = x === "-" ? -Infinity : parseFloat(x), q = y === "-" ? -Infinity : parseFloat(y);
                  order = p < q ? -1 : p > q ? 1 : 0;
                } else {
                  order = x.localeCompare(y);
                }
                return ascending ? order : -order;
              });
              rows.forEach(function (row) { body.appendChild(row); });
            });
          });
          table.setAttribute("data-sortable", "ready");
        });

        """
}

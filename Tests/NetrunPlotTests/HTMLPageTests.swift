import NetrunPlot
import XCTest

final class HTMLPageTests: XCTestCase {
    func testEscapeTurnsMarkupCharactersIntoEntitiesAndDropsControlCharacters() {
        XCTAssertEqual(HTMLPage.escape("<script>alert('x & \"y\"')</script>"),
                       "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;")
        XCTAssertEqual(HTMLPage.escape("a\u{0}b\u{7}\tc\nd é"), "ab\tc\nd é")
    }

    func testTextTitleTablesAndIDsAreEscaped() {
        var page = HTMLPage(title: "run <1>")
        page.heading("a & b", id: "x\"y")
        page.preformatted("name: <b>")
        page.table(["k<"], [["v>"]], sortable: true, id: "t")
        let html = page.html
        XCTAssertTrue(html.contains("<title>run &lt;1&gt;</title>"))
        XCTAssertTrue(html.contains("<h2 id=\"x&quot;y\">a &amp; b</h2>"))
        XCTAssertTrue(html.contains("<pre>name: &lt;b&gt;</pre>"))
        XCTAssertTrue(html.contains("<table id=\"t\" class=\"sortable\">"))
        XCTAssertTrue(html.contains("<th>k&lt;</th>"))
        XCTAssertTrue(html.contains("<td>v&gt;</td>"))
        XCTAssertFalse(html.contains("<b>"))
    }

    func testSVGIsInlinedWithoutItsXMLDeclaration() {
        var page = HTMLPage(title: "t")
        page.svg("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n")
        XCTAssertTrue(page.html.contains("<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n</figure>"))
        XCTAssertFalse(page.html.contains("<?xml"))
    }
}

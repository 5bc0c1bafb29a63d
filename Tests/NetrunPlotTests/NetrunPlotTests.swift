import XCTest
@testable import NetrunPlot

final class NetrunPlotTests: XCTestCase {
    func testModuleBuilds() {}
}

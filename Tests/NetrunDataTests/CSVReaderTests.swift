import NetrunData
import XCTest

final class CSVReaderTests: XCTestCase {
    func testHeaderRowAndLabelByNameKeepLabelsAsWrittenWithTheirPlaces() throws {
        let path = try makeFolder().write("iris.csv", """
            sepal,petal,species
            5.1,1.4,virginica
            4.9,1.5,setosa
            6.0,4.5,versicolor
            5.0,1.3,setosa
            """)
        let samples = try CSVReader.read(path, label: .name("species"), header: true)
        XCTAssertEqual(samples.rows, 4)
        XCTAssertEqual(samples.width, 2)
        XCTAssertEqual(samples.features, [5.1, 1.4, 4.9, 1.5, 6.0, 4.5, 5.0, 1.3])
        XCTAssertEqual(samples.labels.texts, ["virginica", "setosa", "versicolor", "setosa"])
        XCTAssertEqual(samples.labels.lines, [2, 3, 4, 5])
        XCTAssertEqual(samples.labels.column, 3)
    }

    func testLabelByNameImpliesAHeaderWhenDetecting() throws {
        let path = try makeFolder().write("data.csv", "1,2,kind\n3,4,0\n5,6,1\n")
        let samples = try CSVReader.read(path, label: .name("kind"), header: nil)
        XCTAssertEqual(samples.rows, 2)
        XCTAssertEqual(samples.labels.texts, ["0", "1"])
    }

    func testNoHeaderWithLabelAtNegativeIndexKeepsIntegerLabelsAsWritten() throws {
        let path = try makeFolder().write("digits.csv", "1,2,7\n3,4,2\n")
        let samples = try CSVReader.read(path, label: .index(-1), header: false)
        XCTAssertEqual(samples.features, [1, 2, 3, 4])
        XCTAssertEqual(samples.labels.texts, ["7", "2"])
    }

    func testLabelByIndexFromTheStart() throws {
        let path = try makeFolder().write("data.csv", "2,1.5,2.5\n0,-3,4e1\n")
        let samples = try CSVReader.read(path, label: .index(0), header: false)
        XCTAssertEqual(samples.features, [1.5, 2.5, -3, 40])
        XCTAssertEqual(samples.labels.texts, ["2", "0"])
        XCTAssertEqual(samples.labels.column, 1)
    }

    func testLabelByMiddleNegativeIndex() throws {
        let path = try makeFolder().write("data.csv", "1,0,2\n3,1,4\n")
        let samples = try CSVReader.read(path, label: .index(-2), header: false)
        XCTAssertEqual(samples.features, [1, 2, 3, 4])
        XCTAssertEqual(samples.labels.texts, ["0", "1"])
    }

    func testAutoDetectionFindsAHeaderOfNames() throws {
        let path = try makeFolder().write("data.csv", "x,y,class\n1,2,a\n3,4,b\n")
        let samples = try CSVReader.read(path, label: .index(-1), header: nil)
        XCTAssertEqual(samples.rows, 2)
        XCTAssertEqual(samples.labels.texts, ["a", "b"])
    }

    func testAutoDetectionKeepsANumericFirstRowAsData() throws {
        let path = try makeFolder().write("data.csv", "1,2,a\n3,4,b\n")
        let samples = try CSVReader.read(path, label: .index(-1), header: nil)
        XCTAssertEqual(samples.rows, 2)
        XCTAssertEqual(samples.features, [1, 2, 3, 4])
    }

    func testHalfNumericFirstRowIsDataAndTheErrorSuggestsAHeader() throws {
        let path = try makeFolder().write("data.csv", "x,2,label\n1,2,0\n")
        assertDataError(try CSVReader.read(path, label: .index(-1), header: nil),
                        "\(path):1:1: expected a number, got 'x' (if this row is a header, set header: true)")
    }

    func testHeaderTrueDropsTheFirstRowEvenWhenNumeric() throws {
        let path = try makeFolder().write("data.csv", "0,1,2\n5,6,1\n")
        let samples = try CSVReader.read(path, label: .index(2), header: true)
        XCTAssertEqual(samples.rows, 1)
        XCTAssertEqual(samples.features, [5, 6])
    }

    func testQuotedFieldsHoldCommasDoubledQuotesAndNewlines() throws {
        let path = try makeFolder().write("cities.csv", """
            x,y,name
            1,"2","New York, NY"
            3,4,"say ""hi""
            there"
            " 5 ",6,plain
            """)
        let samples = try CSVReader.read(path, label: .name("name"), header: true)
        XCTAssertEqual(samples.features, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(samples.labels.texts, ["New York, NY", "say \"hi\"\nthere", "plain"])
        XCTAssertEqual(samples.labels.lines, [2, 3, 5])
    }

    func testRowNumbersCountNewlinesInsideQuotes() throws {
        let path = try makeFolder().write("data.csv", "1,2,\"a\nb\"\n3,4\n")
        assertDataError(try CSVReader.read(path, label: .index(-1), header: false),
                        "\(path):3: 2 fields, the first row has 3")
    }

    func testCRLFLineEndsAndBlankTrailingLines() throws {
        let path = try makeFolder().write("data.csv", "a,b,c\r\n1,2,x\r\n\r\n3,4,y\r\n\r\n  \r\n")
        let samples = try CSVReader.read(path, label: .index(-1), header: nil)
        XCTAssertEqual(samples.rows, 2)
        XCTAssertEqual(samples.features, [1, 2, 3, 4])
        XCTAssertEqual(samples.labels.texts, ["x", "y"])
        XCTAssertEqual(samples.labels.lines, [2, 4])
    }

    func testLoneCRLineEndsSeparateRows() throws {
        let path = try makeFolder().write("data.csv", "1,2,a\r3,4,b\r")
        let samples = try CSVReader.read(path, label: .index(-1), header: false)
        XCTAssertEqual(samples.features, [1, 2, 3, 4])
        XCTAssertEqual(samples.labels.texts, ["a", "b"])
    }

    func testCRLFRowNumbersInErrors() throws {
        let path = try makeFolder().write("data.csv", "1,2,0\r\n3,4,1\r\n5,x,0\r\n")
        assertDataError(try CSVReader.read(path, label: .index(-1), header: false),
                        "\(path):3:2: expected a number, got 'x'")
    }

    func testSpacesAroundFieldsAreIgnored() throws {
        let path = try makeFolder().write("data.csv", " x , y ,\tkind\n 1 , 2 , cat \n3 ,\t4, dog\n")
        let samples = try CSVReader.read(path, label: .name("kind"), header: nil)
        XCTAssertEqual(samples.features, [1, 2, 3, 4])
        XCTAssertEqual(samples.labels.texts, ["cat", "dog"])
    }

    func testByteOrderMarkIsNotPartOfTheFirstName() throws {
        let path = try makeFolder().write("data.csv", "\u{FEFF}label,x\n3,1.5\n")
        let samples = try CSVReader.read(path, label: .name("label"), header: true)
        XCTAssertEqual(samples.labels.texts, ["3"])
        XCTAssertEqual(samples.features, [1.5])
    }

    func testRaggedCSVRowNamesItsLine() throws {
        let path = try makeFolder().write("data.csv", "a,b,c\n1,2,3\n4,5\n")
        assertDataError(try CSVReader.read(path, label: .index(-1), header: true),
                        "\(path):3: 2 fields, the header has 3")
    }

    func testNonNumericFieldNamesRowAndColumn() throws {
        let path = try makeFolder().write("data.csv", "1,2,0\n3,abc,1\n")
        guard let error = dataError(try CSVReader.read(path, label: .index(-1), header: false)) else { return }
        XCTAssertEqual(error, DataError("expected a number, got 'abc'", file: path, row: 2, column: 2))
        XCTAssertEqual(error.description, "\(path):2:2: expected a number, got 'abc'")
    }

    func testEmptyFeatureFieldNamesRowAndColumn() throws {
        let path = try makeFolder().write("data.csv", "1,2,0\n3,,1\n")
        assertDataError(try CSVReader.read(path, label: .index(-1), header: false),
                        "\(path):2:2: empty field, expected a number")
    }

    func testInfiniteFeatureIsAnError() throws {
        let path = try makeFolder().write("data.csv", "1,1e999,0\n")
        assertDataError(try CSVReader.read(path, label: .index(-1), header: false),
                        "\(path):1:2: '1e999' is out of Float's range")
    }

    func testEmptyLabelNamesRowAndColumn() throws {
        let path = try makeFolder().write("data.csv", "1,2,a\n3,4,\n")
        assertDataError(try CSVReader.read(path, label: .index(-1), header: false), "\(path):2:3: empty label")
    }

    func testEmptyCSVFileIsAnError() throws {
        let folder = try makeFolder()
        let empty = try folder.write("empty.csv", "")
        assertDataError(try CSVReader.read(empty, label: .index(-1), header: nil), "\(empty): the file is empty")
        let blank = try folder.write("blank.csv", "\n \r\n\n")
        assertDataError(try CSVReader.read(blank, label: .index(-1), header: nil), "\(blank): the file is empty")
    }

    func testHeaderWithoutDataRowsIsAnError() throws {
        let path = try makeFolder().write("data.csv", "x,y,label\n")
        assertDataError(try CSVReader.read(path, label: .name("label"), header: nil),
                        "\(path): a header row but no data rows")
    }

    func testSingleColumnIsAnError() throws {
        let path = try makeFolder().write("data.csv", "1\n2\n")
        assertDataError(try CSVReader.read(path, label: .index(0), header: false),
                        "\(path):1: 1 column; a CSV data file needs feature columns and a label column")
    }

    func testMissingCSVFileIsAnError() throws {
        let path = try makeFolder().path("absent.csv")
        assertDataError(try CSVReader.read(path, label: .index(-1), header: nil), "\(path): no such file")
    }

    func testUnknownLabelNameListsTheHeader() throws {
        let path = try makeFolder().write("data.csv", "x,y,species\n1,2,a\n")
        assertDataError(try CSVReader.read(path, label: .name("kind"), header: true),
                        "\(path):1: no column named 'kind' in the header ('x', 'y', 'species')")
    }

    func testLabelNameWithHeaderFalseIsAnError() throws {
        let path = try makeFolder().write("data.csv", "1,2,0\n")
        assertDataError(try CSVReader.read(path, label: .name("kind"), header: false),
                        "\(path): the label column is given by name ('kind'), which needs a header row, but header is false")
    }

    func testLabelIndexOutOfRangeIsAnError() throws {
        let path = try makeFolder().write("data.csv", "1,2,0\n")
        assertDataError(try CSVReader.read(path, label: .index(-4), header: false),
                        "\(path): label column -4 is out of range for 3 columns (0…2, or -1…-3 from the end)")
        XCTAssertNotNil(dataError(try CSVReader.read(path, label: .index(3), header: false)))
    }

    func testUnterminatedQuoteNamesWhereItOpens() throws {
        let path = try makeFolder().write("data.csv", "1,2,a\n3,\"4,b\n5,6,c\n")
        assertDataError(try CSVReader.read(path, label: .index(-1), header: false),
                        "\(path):2:2: unterminated quoted field: the quote opened here is never closed")
    }

    func testTextAfterAClosingQuoteIsAnError() throws {
        let path = try makeFolder().write("data.csv", "1,\"2\"x,a\n")
        assertDataError(try CSVReader.read(path, label: .index(-1), header: false),
                        "\(path):1:2: text after the closing quote; a quote inside a quoted field is written \"\"")
    }

    func testInvalidUTF8NamesItsField() throws {
        let path = try makeFolder().write("data.csv", bytes: Array("1,2,a\n3,4,".utf8) + [0xFF, 0x0A])
        assertDataError(try CSVReader.read(path, label: .index(-1), header: false), "\(path):2:3: not UTF-8 text")
    }

    func testGzippedCSVIsReadTransparently() throws {
        let folder = try makeFolder()
        let path = try folder.write("data.csv.gz", bytes: try folder.gzipped(Array("x,y,label\n1,2,a\n3,4,b\n".utf8)))
        let samples = try CSVReader.read(path, label: .name("label"), header: nil)
        XCTAssertEqual(samples.features, [1, 2, 3, 4])
        XCTAssertEqual(samples.labels.texts, ["a", "b"])
    }

    func testNaNAndInfinityFeaturesAreNotFiniteNumbers() throws {
        let path = try makeFolder().write("data.csv", "1,nan,0\n")
        assertDataError(try CSVReader.read(path, label: .index(-1), header: false),
                        "\(path):1:2: 'nan' is not a finite number")
        let infinite = try makeFolder().write("data.csv", "1,2,0\n-inf,2,0\n")
        assertDataError(try CSVReader.read(infinite, label: .index(-1), header: false),
                        "\(infinite):2:1: '-inf' is not a finite number")
    }

    func testDuplicateHeaderNameOfTheLabelNamesBothColumns() throws {
        let path = try makeFolder().write("data.csv", "x,y,z,y\n1,2,3,0\n")
        assertDataError(try CSVReader.read(path, label: .name("y"), header: nil),
                        "\(path):1:4: columns 2 and 4 are both named 'y'; rename one, or give the label column by index (label: 1)")
        let samples = try CSVReader.read(path, label: .name("z"), header: nil)
        XCTAssertEqual(samples.labels.texts, ["3"], "a duplicate name that is not the label's does not matter")
    }
}

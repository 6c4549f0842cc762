import CaravanCore
import CaravanRates
import Foundation
import Testing

@Suite struct PayloadErrorTests {
    /// The error a payload raises; fails the test when it parses.
    func failure(_ data: Data, _ source: RateSource) -> RatePayloadError? {
        do {
            let publications = try RatePayloadParser.parsePublications(data, source: source)
            Issue.record("expected an error, parsed \(publications.count) publication(s)")
            return nil
        } catch {
            #expect(!error.description.isEmpty)
            #expect(error.description.hasPrefix(source.rawValue.uppercased() + " payload"))
            return error
        }
    }

    func text(_ path: String) throws -> String { String(decoding: try Fixture.data(path), as: UTF8.self) }

    @Test(arguments: RateSource.allCases)
    func emptyBody(_ source: RateSource) {
        #expect(failure(Data(), source)?.kind == .emptyBody)
        #expect(failure(Data(" \r\n\t".utf8), source)?.kind == .emptyBody)
    }

    @Test(arguments: RateSource.allCases)
    func htmlErrorPages(_ source: RateSource) {
        let page = "<!DOCTYPE html>\n<html><head><title>503 Service\n Unavailable</title></head><body>Try later</body></html>"
        let error = failure(Data(page.utf8), source)
        #expect(error?.kind == .htmlPage(title: "503 Service Unavailable"))
        #expect(error?.description.contains("503 Service Unavailable") == true)
        #expect(failure(Data("<html>maintenance</html>".utf8), source)?.kind == .htmlPage(title: nil))
        // An error page in windows-1251 must not be reported as an encoding problem.
        let russian = Data("<html><head><title>".utf8) + Data([0xCE, 0xF8, 0xE8, 0xE1, 0xEA, 0xE0]) + Data("</title></head></html>".utf8)
        #expect(failure(russian, source).map { if case .htmlPage = $0.kind { true } else { false } } == true)
    }

    @Test(arguments: [RateSource.nbk, .nbkr, .nbt, .cbt, .cbr])
    func plainTextIsNotXML(_ source: RateSource) {
        #expect(failure(Data("Service temporarily unavailable".utf8), source)?.kind == .notXML(start: "Service temporarily unavailable"))
    }

    static let everyPayload: [(String, RateSource)] = [
        ("nbk-kz/get_rates_fdate_2026-04-01.xml", .nbk), ("nbk-kz/rss-rates_all_2016-04-18.xml", .nbk),
        ("nbkr-kg/daily_2026-05-24.xml", .nbkr), ("nbkr-kg/weekly_2026-05-23.xml", .nbkr),
        ("nbt-tj/export_xml_en_date_2026-05-18.xml", .nbt), ("cbu-uz/json_all_en_2026-04-01.json", .cbu),
        ("cbt-tm/kurs_2026-05-20.xml", .cbt), ("cbr-ru/XML_daily_2026-04-25_cp1251.xml", .cbr),
        ("cbr-ru/XML_daily_2023-09-27_utf8-resaved.xml", .cbr), ("cbr-ru/XML_dynamic_USD_R01235_2026-03-01_2026-03-05.xml", .cbr),
    ]

    @Test(arguments: everyPayload)
    func truncatedPayloadsThrowAndNeverCrash(_ file: String, _ source: RateSource) throws {
        let data = try Fixture.data(file)
        let content = data.count - data.reversed().prefix { [0x20, 0x0A, 0x0D, 0x09].contains($0) }.count
        for cut in stride(from: 1, to: content, by: max(1, content / 40)) + [content / 2, content - 1] {
            guard let error = failure(data.prefix(cut), source) else { continue }
            switch error.kind {
            case .malformed:
                #expect(source == .cbu || error.line != nil, "an XML error says where: \(error)")
            case .notJSON(let detail):
                #expect(source == .cbu)
                #expect(detail.contains("truncated"))
            case .notXML, .noQuotes, .missingField, .emptyBody, .htmlPage:
                break  // a cut can leave a prefix that is still well-formed so far, or nothing
            default:
                Issue.record("unexpected error for \(file) cut at \(cut): \(error)")
            }
        }
    }

    @Test func truncatedXMLSaysLineAndColumn() throws {
        let data = try Fixture.data("nbt-tj/export_xml_en_date_2026-05-18.xml")
        let error = failure(data.prefix(2000), .nbt)
        guard case .malformed(_, let column) = error?.kind else { Issue.record("not malformed: \(String(describing: error))"); return }
        #expect(column != nil)
        #expect((error?.line ?? 0) > 50)
        #expect(error?.description.contains("truncated") == true)
    }

    @Test func utf8DeclaredButWindows1251Bytes() throws {
        var data = try Fixture.data("cbr-ru/XML_daily_2026-04-25_cp1251.xml")
        let declaration = Data(#"encoding="windows-1251""#.utf8)
        let range = try #require(data.range(of: declaration))
        data.replaceSubrange(range, with: Data(#"encoding="utf-8"   ""#.utf8).prefix(declaration.count))
        let firstCyrillic = try #require(data.firstIndex { $0 >= 0x80 })
        let error = failure(data, .cbr)
        #expect(error?.kind == .invalidBytes(encoding: "UTF-8", offset: firstCyrillic, byte: data[firstCyrillic]))
        #expect(error?.description.contains("offset \(firstCyrillic)") == true)
    }

    @Test func windows1251BytesWithoutADeclarationAreNotUTF8() throws {
        // Without a declaration XML means UTF-8, so a stripped CBR body must not be read as text.
        let cbr = try Fixture.data("cbr-ru/XML_daily_2026-04-25_cp1251.xml")
        let body = cbr.suffix(from: try #require(cbr.range(of: Data("?>".utf8))).upperBound)
        let error = failure(Data(body), .cbr)
        guard case .invalidBytes(let encoding, _, _) = error?.kind else { Issue.record("\(String(describing: error))"); return }
        #expect(encoding == "UTF-8")
    }

    @Test func windows1251DeclaredButUTF8Bytes() throws {
        let original = try text("nbk-kz/get_rates_fdate_2026-04-01.xml")
        let relabelled = original.replacingOccurrences(of: #"encoding="utf-8""#, with: #"encoding="windows-1251""#)
        #expect(failure(Data(relabelled.utf8), .nbk)?.kind == .encodingMismatch(declared: "windows-1251", actual: "UTF-8"))
    }

    @Test func unsupportedEncodings() throws {
        let original = try text("nbkr-kg/daily_2026-05-24.xml")
        let koi = original.replacingOccurrences(of: "windows-1251", with: "koi8-r")
        #expect(failure(Data(koi.utf8), .nbkr)?.kind == .unsupportedEncoding(name: "koi8-r"))
        let utf16 = Data([0xFF, 0xFE]) + original.data(using: .utf16LittleEndian)!
        #expect(failure(utf16, .nbkr)?.kind == .unsupportedEncoding(name: "UTF-16"))
    }

    @Test func declarationIsMatchedCaseInsensitivelyAndABOMIsSkipped() throws {
        var data = try Fixture.data("cbr-ru/XML_daily_2026-04-25_cp1251.xml")
        let range = try #require(data.range(of: Data("windows-1251".utf8)))
        data.replaceSubrange(range, with: Data("WiNdOwS-1251".utf8))
        #expect(try RatePayloadParser.parse(data, source: .cbr).quotes.count == 54)
        let bom = Data([0xEF, 0xBB, 0xBF]) + (try Fixture.data("nbk-kz/get_rates_fdate_2026-04-02.xml"))
        #expect(try RatePayloadParser.parse(bom, source: .nbk).officialRate?.perUSD == exact("475.09"))
    }

    @Test(arguments: [
        ("cbr-ru/XML_daily_2026-04-25_cp1251.xml", RateSource.nbt, RateSource.cbr),
        ("nbt-tj/export_xml_en_date_2026-05-18.xml", .cbr, .nbt),
        ("nbkr-kg/daily_2026-05-24.xml", .nbk, .nbkr),
        ("cbt-tm/kurs_2026-05-20.xml", .nbkr, .cbt),
        ("nbk-kz/get_rates_fdate_2026-04-01.xml", .cbt, .nbk),
        ("cbu-uz/json_all_en_2026-04-01.json", .nbk, .cbu),
        ("nbk-kz/get_rates_fdate_2026-04-01.xml", .cbu, .nbk),
        ("nbkr-kg/weekly_2026-05-23.xml", .cbu, .nbkr),
    ])
    func anotherBanksPayloadIsNamed(_ file: String, _ wrong: RateSource, _ likely: RateSource) throws {
        let error = failure(try Fixture.data(file), wrong)
        guard case .anotherSourcesPayload(let found, _) = error?.kind else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(found == likely)
        #expect(error?.description.contains("--source \(likely.rawValue)") == true)
    }

    @Test func anUnreadableDollarIsFatalAndSaysWhere() throws {
        let broken = try text("nbkr-kg/daily_2026-05-24.xml").replacingOccurrences(of: "87,4500", with: "87;4500")
        let error = failure(Data(broken.utf8), .nbkr)
        #expect(error?.kind == .invalidNumber(field: "<Value>", text: "87;4500"))
        #expect(error?.item == "currency USD")
        #expect(error?.line == 3)
        #expect(error?.description.hasPrefix("NBKR payload at line 3, currency USD: <Value> is \"87;4500\"") == true)
    }

    @Test func anUnreadableOtherCurrencyIsSkippedAndRecorded() throws {
        let broken = try text("nbkr-kg/daily_2026-05-24.xml").replacingOccurrences(of: "101,5076", with: "n/a")
        let publication = try RatePayloadParser.parse(Data(broken.utf8), source: .nbkr)
        #expect(publication.quotes.count == 4)
        #expect(publication.ignored.map(\.item) == ["currency EUR"])
        #expect(publication.ignored.first?.reason.contains("\"n/a\"") == true)
        #expect(publication.officialRate?.perUSD == exact("87.45"))
    }

    @Test(arguments: [("0", "<quant>"), ("", "<quant>")])
    func aZeroOrMissingNominalIsRefused(_ nominal: String, _ field: String) throws {
        let original = try text("nbk-kz/get_rates_fdate_2026-04-02.xml")
        let usdItem = try #require(original.range(of: "<title>USD</title>"))
        let quant = try #require(original.range(of: "<quant>1</quant>", range: usdItem.upperBound..<original.endIndex))
        let broken = original.replacingCharacters(in: quant, with: "<quant>\(nominal)</quant>")
        let error = failure(Data(broken.utf8), .nbk)
        #expect(error?.item == "currency USD")
        #expect(error?.kind == (nominal.isEmpty ? .missingField(field) : .invalidNumber(field: field, text: nominal)))
    }

    @Test func datesThatAreMissingOrMisprinted() throws {
        let nbk = try text("nbk-kz/get_rates_fdate_2026-04-01.xml")
        let noDate = nbk.replacingOccurrences(of: "<date>01.04.2026</date>", with: "")
        #expect(failure(Data(noDate.utf8), .nbk)?.kind == .missingField("<date>"))
        let isoDate = nbk.replacingOccurrences(of: "<date>01.04.2026</date>", with: "<date>2026-04-01</date>")
        #expect(failure(Data(isoDate.utf8), .nbk)?.kind == .invalidDate(field: "<date>", text: "2026-04-01"))
        let nbkr = try text("nbkr-kg/daily_2026-05-24.xml").replacingOccurrences(of: "24.05.2026", with: "24/05/2026")
        let error = failure(Data(nbkr.utf8), .nbkr)
        #expect(error?.kind == .invalidDate(field: "attribute Date", text: "24/05/2026"))
        #expect(error?.line == 2)
        let cbt = try text("cbt-tm/kurs_2026-05-20.xml").replacingOccurrences(of: "20.05.2026", with: "31.02.2026")
        #expect(failure(Data(cbt.utf8), .cbt)?.kind == .invalidDate(field: "<date>", text: "31.02.2026"))
    }

    @Test func cbuNumbersMustBeStrings() throws {
        let original = try text("cbu-uz/json_all_en_2026-04-01.json")
        let dollarAsNumber = original.replacingOccurrences(of: #""Rate":"12194.21""#, with: #""Rate":12194.21"#)
        let error = failure(Data(dollarAsNumber.utf8), .cbu)
        #expect(error?.item == "currency USD")
        #expect(error?.description.contains("not a string") == true)
        let tengeAsNumber = original.replacingOccurrences(of: #""Rate":"25.53""#, with: #""Rate":25.53"#)
        let publication = try RatePayloadParser.parse(Data(tengeAsNumber.utf8), source: .cbu)
        #expect(publication.quote(for: .kzt) == nil)
        #expect(publication.ignored.map(\.item) == ["currency KZT"])
    }

    @Test func cbuShapes() {
        #expect(failure(Data("[]".utf8), .cbu)?.kind == .noQuotes)
        if case .notJSON(let detail) = failure(Data(#"{"error":"not found"}"#.utf8), .cbu)?.kind {
            #expect(detail.contains("top level"))
        } else {
            Issue.record("an object is not the rates array")
        }
        var latin1 = Data(#"[{"Ccy":"USD","Nominal":"1","Rate":"12194.21","Date":"01.04.2026","CcyNm_RU":""#.utf8)
        latin1 += Data([0xC4, 0xEE]) + Data(#""}]"#.utf8)
        if case .invalidBytes(let encoding, _, let byte) = failure(latin1, .cbu)?.kind {
            #expect(encoding == "UTF-8")
            #expect(byte == 0xC4)
        } else {
            Issue.record("windows-1251 bytes in JSON must be refused")
        }
    }

    @Test func aPayloadWithoutRates() {
        let empty = #"<?xml version="1.0" encoding="utf-8"?><rates><date>01.04.2026</date></rates>"#
        #expect(failure(Data(empty.utf8), .nbk)?.kind == .noQuotes)
    }

    @Test func cbrDynamicWithAnUnknownCurrencyID() throws {
        let original = try text("cbr-ru/XML_dynamic_KGS_R01370_2026-03-01_2026-03-05.xml")
        let unknown = original.replacingOccurrences(of: #"ValCurs ID="R01370""#, with: #"ValCurs ID="R09999""#)
        #expect(failure(Data(unknown.utf8), .cbr)?.kind == .unknownCurrencyID("R09999"))
    }

    @Test func aHistoryIsNotOnePublication() throws {
        let data = try Fixture.data("cbr-ru/XML_dynamic_TMT_R01710A_2026-03-01_2026-03-05.xml")
        #expect(throws: RatePayloadError(.severalDates(first: rateDay("2026-03-03"), last: rateDay("2026-03-05"), count: 3), source: .cbr)) {
            try RatePayloadParser.parse(data, source: .cbr)
        }
    }
}

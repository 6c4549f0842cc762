import CaravanCore
import Foundation
import Testing

@Suite struct DecimalRoundingTests {
    @Test(arguments: [
        ("-0.76863629717818576769638866261461662176", 4, "-0.7686"), ("0.0637451511682493143690135973184", 4, "0.0637"),
        ("2.345", 2, "2.35"), ("-2.345", 2, "-2.35"), ("2.344999", 2, "2.34"), ("87.4500", 2, "87.45"),
        ("-0.004", 2, "0"), ("0.005", 2, "0.01"), ("-0.005", 2, "-0.01"), ("12149.84", 0, "12150"), ("0", 3, "0"),
    ])
    func roundsToPlacesTiesAwayFromZero(_ value: String, _ places: Int, _ expected: String) {
        #expect(DecimalRounding.round(exact(value), places: places) == exact(expected))
    }

    @Test(arguments: [
        ("0.011435105774728416237850200114351057747", 6, "0.0114351"),
        ("0.011435105774728416237850200114351057747", 5, "0.011435"),
        ("0.011435105774728416237850200114351057747", 4, "0.01144"),
        ("0.0000820344544708777686628383921246923707", 4, "0.00008203"),
        ("0.0000781", 6, "0.0000781"), ("12149.84", 3, "12100"), ("475.09", 4, "475.1"), ("0.0999996", 4, "0.1"),
        ("-0.0000781234", 3, "-0.0000781"),
    ])
    func roundsToSignificantDigits(_ value: String, _ digits: Int, _ expected: String) {
        #expect(DecimalRounding.round(exact(value), significantDigits: digits) == exact(expected))
    }

    @Test func aRoundedZeroIsNeverNegative() {
        let rounded = DecimalRounding.round(exact("-0.0001"), places: 2)
        #expect(rounded.isZero)
        #expect(rounded.sign == .plus)
        #expect(DecimalRounding.plainText(exact("-0.0001"), fractionDigits: 2) == "0.00")
    }

    @Test(arguments: [
        ("0.0000781", 4, "0.00007810"), ("0.0999996", 4, "0.1000"), ("87.45", 4, "87.45"), ("3.5", 6, "3.50000"),
        ("0.285714285714", 6, "0.285714"), ("12149.84", 4, "12150"), ("0.00000001", 2, "0.000000010"),
    ])
    func plainTextWithSignificantDigitsKeepsTrailingZerosAndNoExponent(_ value: String, _ digits: Int, _ expected: String) {
        #expect(DecimalRounding.plainText(exact(value), significantDigits: digits) == expected)
    }

    @Test(arguments: [
        ("12149.84", 2, "12149.84"), ("3.5", 2, "3.50"), ("87.4500", 4, "87.4500"), ("475", 2, "475.00"), ("1.005", 2, "1.01"),
        ("0.0000000001", 10, "0.0000000001"),
    ])
    func plainTextWithFixedFractionDigits(_ value: String, _ places: Int, _ expected: String) {
        #expect(DecimalRounding.plainText(exact(value), fractionDigits: places) == expected)
    }

    @Test(arguments: [("475.09", 2), ("87.45", 1), ("9.345", 0), ("0.0114", -2), ("0.0000781", -5), ("12149.84", 4)])
    func leadingPower(_ value: String, _ power: Int) {
        #expect(DecimalRounding.leadingPower(of: exact(value)) == power)
    }
}

import CaravanCore
import CaravanRates
import Foundation
import FuzzDriver

// The first byte picks the bank; the rest is its payload. A payload parses or is refused with a reason.
runFuzzer { bytes in
    guard let first = bytes.first else { return }
    let sources = RateSource.allCases
    _ = try? RatePayloadParser.parsePublications(Data(bytes.dropFirst()), source: sources[Int(first) % sources.count])
}

import Foundation
import Testing

@testable import AttendanceCore

/// Each number of the policy file is one row of `PolicyNumber.all`: the file reads, writes and checks it from
/// that row alone.
@Suite struct PolicyNumberTests {
    /// The policy as the file's JSON object, with one number changed.
    func file(_ policy: Policy, setting number: PolicyNumber, to value: Int?) throws -> Data {
        var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(policy)) as? [String: Any])
        if number.section == .top {
            object[number.key] = value
        } else {
            var section = try #require(object[number.section.rawValue] as? [String: Any])
            section[number.key] = value
            object[number.section.rawValue] = section
        }
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test func eachRowIsOneNumberWithTheShippedPolicysValueAsItsDefault() {
        #expect(Set(PolicyNumber.all.map(\.field)).count == PolicyNumber.all.count)
        #expect(Set(PolicyNumber.all.map(\.path)).count == PolicyNumber.all.count)
        for number in PolicyNumber.all {
            #expect(Policy.wrexham2025[keyPath: number.path] == number.defaultValue, "\(number.field)")
            #expect(number.range.contains(number.defaultValue), "\(number.field)")
            #expect(number.since <= Policy.currentVersion && number.since >= number.section.since, "\(number.field)")
        }
    }

    @Test func thePrintedPolicyReadsBackTheSame() throws {
        let printed = try JSONEncoder().encode(Policy.wrexham2025)
        #expect(try Policy(json: printed) == .wrexham2025)
    }

    /// Outside its range a number is refused naming it; at either end it loads.
    @Test func aNumberOutsideItsRangeIsRefusedNamingIt() throws {
        for number in PolicyNumber.all {
            for bad in [number.range.lowerBound - 1, number.range.upperBound + 1] {
                do {
                    _ = try Policy(json: try file(.wrexham2025, setting: number, to: bad))
                    Issue.record("\(number.field) = \(bad) was accepted")
                } catch let error as Policy.Invalid {
                    #expect(error.field == number.field, "\(error)")
                }
            }
            // The ends may break a rule between two numbers (late pence below early): only the row's own check
            // is asked of them here.
            for good in [number.range.lowerBound, number.range.upperBound] {
                do { _ = try Policy(json: try file(.wrexham2025, setting: number, to: good)) } catch let error
                    as Policy.Invalid
                {
                    #expect(
                        error.field != number.field || !error.problem.hasPrefix("must be from"),
                        "\(number.field) = \(good): \(error)")
                }
            }
        }
    }

    /// A number the file's version added must be given; a file older than it gets the default.
    @Test func aNumberIsNeededFromItsVersionAndDefaultedBefore() throws {
        for number in PolicyNumber.all {
            let missing = try file(.wrexham2025, setting: number, to: nil)
            #expect(throws: Policy.Invalid.self, "\(number.field)") { try Policy(json: missing) }
            guard number.since > 1 else { continue }
            var object = try #require(JSONSerialization.jsonObject(with: missing) as? [String: Any])
            object["version"] = number.since - 1
            let older = try Policy(json: JSONSerialization.data(withJSONObject: object))
            #expect(older[keyPath: number.path] == number.defaultValue, "\(number.field)")
        }
    }
}

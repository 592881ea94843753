import AttendanceCore
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Errors in one place: each store error has its own status and sentence in both languages; a stored record that
/// breaks the program's rules is the server's fault, never shown as the reader's mistake.
@Suite struct ErrorMappingTests {
    let strings = try! Strings(directory: WebServer.resources.appendingPathComponent("strings"))

    @Test(arguments: [
        (StoreError.notFound("pupil"), HTTPStatus.notFound, "error.notFound"),
        (
            .reasonRequired(try! UPN("B801200005001"), SchoolSession(LocalDate(iso: "2026-11-25")!, .am), current: "N"),
            .conflict, "error.reasonRequired"
        ),
        (.unknownCode("Q"), .unprocessableEntity, "error.unknownCode"),
        (
            .duplicateMark(try! UPN("B801200005001"), SchoolSession(LocalDate(iso: "2026-11-25")!, .pm)),
            .unprocessableEntity, "error.duplicateMark"
        ),
        (.evidenceRequired, .unprocessableEntity, "contact.needsEvidence"),
        (.notPending, .conflict, "error.notPending"),
        (.notAnEmail("x"), .unprocessableEntity, "error.notAnEmail"),
        (.emailTaken("a@b.c"), .conflict, "error.emailTaken"),
        (.badGrant(.needsSchool(.headTeacher)), .unprocessableEntity, "error.grant.needsSchool"),
        (.badGrant(.needsYears), .unprocessableEntity, "error.grant.needsYears"),
        (.badGrant(.needsGroups), .unprocessableEntity, "error.grant.needsGroups"),
        (.badGrant(.needsChild), .unprocessableEntity, "error.grant.needsChild"),
        (.notADelegateRole, .unprocessableEntity, "error.notADelegateRole"),
        (.lastRole, .unprocessableEntity, "error.lastRole"),
        (.cannotCloseAs(.pending), .unprocessableEntity, "error.cannotClose"),
        (.medical(.noLetter3), .unprocessableEntity, "error.medical.noLetter3"),
        (.medical(.noMedicalAbsenceSinceLetter3), .unprocessableEntity, "error.medical.noMedicalAbsence"),
        (.medical(.alreadyReferred), .conflict, "error.medical.alreadyReferred"),
        (.medical(.outcomeNotNow), .unprocessableEntity, "error.medical.outcomeNotNow"),
        (.medical(.badPlan), .unprocessableEntity, "error.medical.badPlan"),
        (.patrolMatch(.alreadyMatched), .conflict, "error.patrol.alreadyMatched"),
        (.patrolMatch(.notOnRollThatDay), .unprocessableEntity, "error.patrol.notOnRollThatDay"),
        (.corrupt("an invalid pupil"), .internalServerError, "error.server"),
        (.badDatabaseURL("x"), .internalServerError, "error.server"),
    ])
    func eachStoreErrorHasItsStatusAndSentence(error: StoreError, status: HTTPStatus, key: String) {
        let (mapped, mappedKey, _) = PageErrorMiddleware.describe(error)
        #expect(mapped == status)
        #expect(mappedKey == key)
        for language in Language.allCases {
            #expect(strings.keys(language).contains(key), "\(language) \(key)")
        }
    }
}

extension ErrorMappingTests {
    /// A refusal is headed "You cannot open this page", not "Something went wrong", in both languages.
    @Test func aRefusalIsHeadedAsOne() throws {
        #expect(PageErrorMiddleware.titleKey(.forbidden) == "error.title.refused")
        #expect(PageErrorMiddleware.titleKey(.notFound) == "error.title.notFound")
        #expect(PageErrorMiddleware.titleKey(.unprocessableEntity) == "error.title.badRequest")
        #expect(PageErrorMiddleware.titleKey(.internalServerError) == "error.title")
        #expect(strings("error.title.refused", .en) == "You cannot open this page")
        for status in [HTTPStatus.forbidden, .notFound, .badRequest, .internalServerError] {
            #expect(strings.keys(.cy).contains(PageErrorMiddleware.titleKey(status)))
        }
    }
}

extension ErrorMappingTests {
    /// A request that waited its whole turn for a database connection is told the system is busy (503, with when to
    /// try again), in the reader's language, not that the server failed.
    @Test func aRequestThatCouldNotGetAConnectionIsToldTheSystemIsBusy() async throws {
        let (status, key, _) = PageErrorMiddleware.describe(ConnectionPoolTimeoutError.connectionRequestTimeout)
        #expect(status == .serviceUnavailable)
        #expect(key == "error.busy")
        // Another 503 (no PDF maker here) keeps the general title: only the wait is "busy".
        #expect(PageErrorMiddleware.titleKey(.serviceUnavailable) == "error.title")
        try await withWebApp { app, _ in
            app.get("busy-for-this-test") { _ -> String in throw ConnectionPoolTimeoutError.connectionRequestTimeout }
                .requires(.anyone)
            for (language, title) in [("en", "The system is busy"), ("cy", "Mae&#39;r system yn brysur")] {
                let page = try await app.testing().sendRequest(
                    .GET, "/busy-for-this-test", headers: ["Cookie": "lang=\(language)"])
                #expect(page.status == .serviceUnavailable)
                #expect(page.headers.first(name: .retryAfter) == "30")
                #expect(page.body.string.contains(title), "\(language)")
            }
        }
    }
}

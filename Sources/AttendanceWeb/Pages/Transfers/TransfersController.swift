import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation
import Vapor

/// A school's Common Transfer Files (issue 36): the office imports a file that came with a new pupil, confirms the
/// admissions it prepared with a first day and form group, and makes the file a leaving pupil's next school needs.
/// The school's office and leaders and the education lead only; every file made or imported is audited.
enum TransfersController {
    typealias Text = (String, [String: String]) -> String

    @Sendable static func page(_ request: Request) async throws -> Response {
        try await render(request)
    }

    static func render(_ request: Request, error: String? = nil, status: HTTPStatus = .ok) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let today = request.context.today
        let text: Text = { request.text($0, $1) }
        let school = try await store.reference.requireSchool(laestab).school
        let imports = try await store.transfers.imports(school: laestab)
        let names = try await request.names()
        let mayAdmit = try request.signedIn.allows(.manageAttendance, .school(laestab))
        let groups = Set(try await store.reference.onRoll(laestab, on: today).map(\.registrationGroup))
            .filter { !$0.isEmpty }.sorted(by: NaturalOrder.precedes)
        var imported: TransfersPage.Imported?
        if let id = request.query[Int.self, at: "imported"], let record = imports.first(where: { $0.id == id }) {
            imported = try await importedSummary(record, store: store, text: text)
        }
        let schools = try await request.schoolNames()
        let held = try await store.transfers.heldFiles(school: laestab).map { file in
            TransfersPage.Held(
                name: file.pupilName, href: SiteURL.pupil(file.upn), file: file.fileName,
                to: file.destination.map { "\(schools[$0] ?? "") (\($0))" } ?? text("transfers.heldForCME", [:]),
                made: DateText.moment(file.madeAt, text) + ", "
                    + RecordWords.actor(file.madeBy, names: names, text: text),
                download: SiteURL.school(.transferFile, laestab, id: file.id),
                sent: SiteURL.school(.transferFileSent, laestab, id: file.id))
        }
        let page = TransfersPage(
            title: text("transfers.title", ["school": school.name]),
            uploadAction: SiteURL.school(.transfers, laestab), error: error, imported: imported,
            notice: request.query[String.self, at: "admitted"] != nil
                ? text("transfers.admitted", [:])
                : request.query[String.self, at: "sent"] != nil ? text("transfers.markedSent", [:]) : nil,
            held: held,
            admissions: try await store.transfers.admissions(school: laestab).map { admission in
                TransfersPage.Admission(
                    id: String(admission.id), name: admission.pupil.displayName, upn: admission.pupil.upn.value,
                    born: DateText.day(admission.pupil.dateOfBirth, text), year: admission.pupil.yearGroup,
                    from: "\(admission.from.name) (\(admission.from.laestab))", file: admission.fileName,
                    action: mayAdmit ? SiteURL.school(.confirmAdmission, laestab, id: admission.id) : nil)
            }, today: today.iso, groups: groups,
            files: imports.map { record in
                TransfersPage.File(
                    name: record.fileName, from: "\(record.source.name) (\(record.source.laestab))",
                    pupils: String(record.pupils), by: RecordWords.actor(record.importedBy, names: names, text: text),
                    when: DateText.moment(record.importedAt, text))
            })
        return try Page.render(page, request: request, status: status)
    }

    /// What a file just imported brought: its pupils, its years whose marks and totals disagree, what was not read.
    static func importedSummary(
        _ record: CTFImportRecord, store: Store, text: Text
    ) async throws -> TransfersPage.Imported {
        let years = try await store.transfers.years(ofImport: record.id)
        let pupils = try await store.reference.pupils(years.map(\.upn))
        return TransfersPage.Imported(
            line: text(
                "transfers.importedLine",
                ["file": record.fileName, "count": String(record.pupils), "years": String(years.count)]),
            disagreements: years.compactMap { year in
                guard let found = year.disagreement(welsh: store.codes, rules: store.rules) else { return nil }
                return text(
                    "transfers.disagreement",
                    [
                        "name": pupils[year.upn]?.displayName ?? year.upn.value, "school": year.school.name,
                        "year": year.academicYear.description, "marks": String(found.marks.possible),
                        "marksAttended": String(found.marks.attended), "file": String(found.file.possible),
                        "fileAttended": String(found.file.attended),
                    ])
            }, unread: record.unread)
    }

    /// The uploaded file.
    struct Upload: Content {
        var file: File?
    }

    @Sendable static func upload(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        guard let upload = try? request.content.decode(Upload.self), let file = upload.file,
            file.data.readableBytes > 0
        else {
            return try await render(
                request, error: request.text("transfers.noFile"), status: .unprocessableEntity)
        }
        // The name as the office's computer gave it, without a folder or any control character.
        let base = String(file.filename.split(separator: "/").last ?? "").unicodeScalars.filter {
            !CharacterSet.controlCharacters.contains($0)
        }
        let name = base.isEmpty ? "ctf.xml" : String(String(base).prefix(200))
        do {
            let read = try CTFReader.read(Data(file.data.readableBytesView))
            let result = try await request.context.store.transfers.importCTF(
                read, fileName: name, school: laestab, today: request.context.today, by: request.actor)
            return Page.redirect(SiteURL.school(.transfers, laestab, query: ["imported": String(result.importID)]))
        } catch let problem as CTFReader.Problem {
            // The page again, saying where the file is wrong; nothing of it was written.
            return try await render(
                request, error: problemSentence(problem, text: { request.text($0, $1) }),
                status: .unprocessableEntity)
        }
    }

    /// Where a file is wrong and why, in the reader's language; the place is the file's own element names.
    static func problemSentence(_ problem: CTFReader.Problem, text: Text) -> String {
        text(
            "transfers.refused",
            [
                "place": problem.place,
                "why": text("ctf.problem.\(problem.why.key)", ["value": problem.why.value]),
            ])
    }

    /// The office's confirmation: the first day on roll and the form group.
    struct AdmitForm: Form {
        let firstDay: LocalDate
        let group: String

        init(_ fields: FormFields) throws {
            firstDay = try fields.date("first_day")
            group = try fields.words("group", limit: 20, required: true)
        }

        static let labels = ["first_day": "transfers.firstDay", "group": "transfers.group"]
    }

    @Sendable static func admit(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target,
            let id = request.parameters.get("id").flatMap(Int.init)
        else { throw Abort(.notFound) }
        let form = try request.form(AdmitForm.self)
        try await request.context.store.transfers.confirmAdmission(
            id, school: laestab, firstDay: form.firstDay, group: form.group, today: request.context.today,
            by: request.actor)
        return Page.redirect(SiteURL.school(.transfers, laestab, query: ["admitted": "1"]))
    }

    /// A held file, as a download (audited).
    @Sendable static func download(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target,
            let id = request.parameters.get("id").flatMap(Int.init)
        else { throw Abort(.notFound) }
        let (name, xml) = try await request.context.store.transfers.download(id, school: laestab, by: request.actor)
        let response = Response(status: .ok, body: .init(string: xml))
        response.headers.contentType = HTTPMediaType(
            type: "application", subType: "xml", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: name)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The office has sent a held file: it leaves the list.
    @Sendable static func sent(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target,
            let id = request.parameters.get("id").flatMap(Int.init)
        else { throw Abort(.notFound) }
        try await request.context.store.transfers.markSent(id, school: laestab, by: request.actor)
        return Page.redirect(SiteURL.school(.transfers, laestab, query: ["sent": "1"]) + "#held-heading")
    }

    /// The new school, when known (a CTF for a pupil whose next school is not known is made without one).
    struct MakeForm: Form {
        let destination: LAESTAB?

        init(_ fields: FormFields) throws { destination = try fields.optionalSchool("to") }

        static let labels = ["to": "transfers.to"]
    }

    /// A leaving pupil's CTF, as a download (the store audits it as made).
    @Sendable static func make(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target,
            let upn = request.parameters.get("upn").flatMap({ try? UPN($0) })
        else { throw Abort(.notFound) }
        let form = try request.form(MakeForm.self)
        let now = request.context.now
        let stamp = now.date.iso + "T" + now.time.description + ":00"
        let file = try await request.context.store.registers.commonTransferFile(
            from: laestab, to: form.destination, pupils: [upn], today: request.context.today, dateTime: stamp,
            by: request.actor)
        let response = Response(status: .ok, body: .init(string: CTFWriter.xml(file)))
        response.headers.contentType = HTTPMediaType(
            type: "application", subType: "xml", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: file.fileName)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

extension TransfersController {
    /// The pupil page's section: their years at other schools (for the school they are at), and for the office and
    /// leaders of the school they are at or have left, the action that makes their file.
    static func section(
        _ request: Request, upn: UPN, school: LAESTAB?, former: Bool
    ) async throws -> PupilTransfers? {
        let store = request.context.store
        let text: Text = { request.text($0, $1) }
        // A school the pupil has left sees its own time with them, not the history other schools sent since.
        let history = former ? [] : try await store.transfers.history(of: upn)
        let mayMake = try school.map { try request.signedIn.allows(.transferRecords, .school($0)) } ?? false
        guard !history.isEmpty || mayMake else { return nil }
        return PupilTransfers(
            years: history.map { year in
                let counted = year.counted(welsh: store.codes, rules: store.rules).map(OtherSchoolYear.Totals.init)
                let shown = counted ?? year.totals
                var basis = text(counted == nil ? "transfers.fromTotals" : "transfers.fromMarks", [:])
                if let found = year.disagreement(welsh: store.codes, rules: store.rules) {
                    basis +=
                        " "
                        + text(
                            "transfers.totalsSay",
                            ["possible": String(found.file.possible), "attended": String(found.file.attended)])
                }
                return PupilTransfers.Year(
                    school: "\(year.school.name) (\(year.school.laestab))", year: year.academicYear.description,
                    possible: String(shown.possible), attended: String(shown.attended),
                    authorised: String(shown.authorised), unauthorised: String(shown.unauthorised),
                    attendance: Tenths.percentText(shown.attendanceTenths), basis: basis)
            },
            makeAction: mayMake ? school.map { SiteURL.schoolPupil(.makeCTF, $0, upn) } : nil,
            destination: "")
    }
}

import Foundation

extension CodeTable {
    /// The Welsh Government code set in use since 2010 (the policy's appendix 1), shipped as the default.
    /// It is kept here as the same JSON another authority would load from a file, so both paths are one.
    public static let wales2010 = shipped(wales2010JSON)

    /// A table shipped with the program: its JSON is checked by the tests, so one that cannot load is a build
    /// mistake, stopped at start and never met by a request.
    static func shipped(_ json: String) -> CodeTable {
        do {
            return try CodeTable(json: Data(json.utf8))
        } catch {
            fatalError("a shipped code table is invalid: \(error)")
        }
    }

    public static let wales2010JSON = #"""
        {
          "name": "wales-2010",
          "codes": [
            {"code": "/", "category": "present", "usable_at_register": true,
             "name_en": "Present (morning)", "name_cy": "Presennol (bore)"},
            {"code": "\\", "category": "present", "usable_at_register": true,
             "name_en": "Present (afternoon)", "name_cy": "Presennol (prynhawn)"},
            {"code": "L", "category": "present", "usable_at_register": true, "meanings": ["late_before_close"],
             "name_en": "Late, before the register closed", "name_cy": "Hwyr, cyn cau'r gofrestr"},
            {"code": "B", "category": "approved_activity",
             "name_en": "Educated off site", "name_cy": "Addysg oddi ar y safle"},
            {"code": "D", "category": "approved_activity",
             "name_en": "Dual registered (at the other school)", "name_cy": "Cofrestriad deuol (yn yr ysgol arall)"},
            {"code": "J", "category": "approved_activity", "name_en": "Interview", "name_cy": "Cyfweliad"},
            {"code": "P", "category": "approved_activity",
             "name_en": "Approved sporting activity", "name_cy": "Gweithgaredd chwaraeon cymeradwy"},
            {"code": "T", "category": "approved_activity", "name_en": "Traveller absence", "name_cy": "Absenoldeb Teithwyr"},
            {"code": "V", "category": "approved_activity", "name_en": "Educational visit", "name_cy": "Ymweliad addysgol"},
            {"code": "W", "category": "approved_activity", "name_en": "Work experience", "name_cy": "Profiad gwaith"},
            {"code": "C", "category": "authorised", "requires_authorisation": true,
             "name_en": "Other authorised circumstances", "name_cy": "Amgylchiadau eraill wedi'u hawdurdodi"},
            {"code": "E", "category": "authorised", "requires_authorisation": true, "meanings": ["excluded"],
             "name_en": "Excluded (no alternative provision)", "name_cy": "Wedi'i wahardd (dim darpariaeth arall)"},
            {"code": "F", "category": "authorised", "requires_authorisation": true,
             "meanings": ["holiday_agreed", "extended_holiday"],
             "name_en": "Extended family holiday (agreed)", "name_cy": "Gwyliau teulu estynedig (wedi'u cytuno)"},
            {"code": "H", "category": "authorised", "requires_authorisation": true, "meanings": ["holiday_agreed"],
             "name_en": "Family holiday (agreed)", "name_cy": "Gwyliau teulu (wedi'u cytuno)"},
            {"code": "I", "category": "authorised", "requires_authorisation": true, "meanings": ["illness"],
             "name_en": "Illness", "name_cy": "Salwch"},
            {"code": "M", "category": "authorised", "requires_authorisation": true, "meanings": ["medical"],
             "name_en": "Medical or dental appointment", "name_cy": "Apwyntiad meddygol neu ddeintyddol"},
            {"code": "R", "category": "authorised", "requires_authorisation": true, "meanings": ["religious_observance"],
             "name_en": "Religious observance", "name_cy": "Defod grefyddol"},
            {"code": "S", "category": "authorised", "requires_authorisation": true,
             "name_en": "Study leave", "name_cy": "Absenoldeb astudio"},
            {"code": "G", "category": "unauthorised", "meanings": ["holiday_not_agreed"],
             "name_en": "Holiday not agreed, or beyond the agreed days",
             "name_cy": "Gwyliau heb eu cytuno, neu y tu hwnt i'r dyddiau a gytunwyd"},
            {"code": "N", "category": "unauthorised", "usable_at_register": true, "meanings": ["no_reason_yet"],
             "name_en": "No reason yet provided", "name_cy": "Dim rheswm wedi'i roi eto"},
            {"code": "O", "category": "unauthorised", "meanings": ["other_unauthorised"],
             "name_en": "Other unauthorised absence", "name_cy": "Absenoldeb arall heb ei awdurdodi"},
            {"code": "U", "category": "unauthorised", "meanings": ["late_after_close"],
             "name_en": "Late, after the register closed", "name_cy": "Hwyr, ar ôl cau'r gofrestr"},
            {"code": "X", "category": "not_counted", "meanings": ["not_compulsory_age"],
             "name_en": "Not of compulsory school age", "name_cy": "Heb fod o oedran ysgol gorfodol"},
            {"code": "Y", "category": "not_counted",
             "name_en": "Enforced closure or exceptional circumstances",
             "name_cy": "Cau gorfodol neu amgylchiadau eithriadol"},
            {"code": "Z", "category": "not_counted", "meanings": ["not_on_roll"],
             "name_en": "Not yet on roll", "name_cy": "Heb fod ar y gofrestr eto"},
            {"code": "#", "category": "not_counted", "meanings": ["school_closed"],
             "name_en": "School closed to pupils", "name_cy": "Ysgol ar gau i ddisgyblion"}
          ]
        }
        """#
}

import Foundation

extension CodeTable {
    /// England's attendance codes since August 2024 ("Working together to improve school attendance"), as a Common
    /// Transfer File carries them: one character a session, so the sub-codes C1 and C2 travel as C, J1 as J, and
    /// Y1 to Y7 as Y. Marks from a school in England are counted with this table and shown as that school's history;
    /// they never enter a Welsh register. Where England's meaning differs from Wales's (D and T are not counted as
    /// present, K is new, Q is not a possible session), this table follows England.
    public static let england2024 = shipped(england2024JSON)

    /// Welsh LA numbers run 660–681 (DOMAIN.md section 11): a school outside them keeps England's codes.
    public static func isWelsh(localAuthority la: Int) -> Bool { (660...681).contains(la) }

    public static let england2024JSON = #"""
        {
          "name": "england-2024",
          "codes": [
            {"code": "/", "category": "present", "usable_at_register": true,
             "name_en": "Present (morning)", "name_cy": "Presennol (bore)"},
            {"code": "\\", "category": "present", "usable_at_register": true,
             "name_en": "Present (afternoon)", "name_cy": "Presennol (prynhawn)"},
            {"code": "L", "category": "present", "meanings": ["late_before_close"],
             "name_en": "Late, before the register closed", "name_cy": "Hwyr, cyn cau'r gofrestr"},
            {"code": "B", "category": "approved_activity",
             "name_en": "Off-site educational activity", "name_cy": "Gweithgaredd addysgol oddi ar y safle"},
            {"code": "K", "category": "approved_activity",
             "name_en": "Education arranged by the local authority",
             "name_cy": "Addysg a drefnwyd gan yr awdurdod lleol"},
            {"code": "P", "category": "approved_activity",
             "name_en": "Approved sporting activity", "name_cy": "Gweithgaredd chwaraeon cymeradwy"},
            {"code": "V", "category": "approved_activity", "name_en": "Educational visit or trip",
             "name_cy": "Ymweliad neu daith addysgol"},
            {"code": "W", "category": "approved_activity", "name_en": "Work experience", "name_cy": "Profiad gwaith"},
            {"code": "C", "category": "authorised",
             "name_en": "Leave for exceptional circumstances (C, C1, C2)",
             "name_cy": "Caniatâd am amgylchiadau eithriadol (C, C1, C2)"},
            {"code": "E", "category": "authorised", "meanings": ["excluded"],
             "name_en": "Suspended or permanently excluded", "name_cy": "Wedi'i atal neu ei wahardd yn barhaol"},
            {"code": "I", "category": "authorised", "meanings": ["illness"], "name_en": "Illness",
             "name_cy": "Salwch"},
            {"code": "J", "category": "authorised", "name_en": "Leave to attend an interview (J1)",
             "name_cy": "Caniatâd i fynd i gyfweliad (J1)"},
            {"code": "M", "category": "authorised", "meanings": ["medical"],
             "name_en": "Medical or dental appointment", "name_cy": "Apwyntiad meddygol neu ddeintyddol"},
            {"code": "R", "category": "authorised", "meanings": ["religious_observance"],
             "name_en": "Religious observance", "name_cy": "Defod grefyddol"},
            {"code": "S", "category": "authorised", "name_en": "Study leave", "name_cy": "Absenoldeb astudio"},
            {"code": "T", "category": "authorised", "name_en": "Parent travelling for work",
             "name_cy": "Rhiant yn teithio ar gyfer gwaith"},
            {"code": "G", "category": "unauthorised", "meanings": ["holiday_not_agreed"],
             "name_en": "Holiday not authorised", "name_cy": "Gwyliau heb eu hawdurdodi"},
            {"code": "N", "category": "unauthorised", "meanings": ["no_reason_yet"],
             "name_en": "No reason yet provided", "name_cy": "Dim rheswm wedi'i roi eto"},
            {"code": "O", "category": "unauthorised", "meanings": ["other_unauthorised"],
             "name_en": "Absent in other or unknown circumstances",
             "name_cy": "Yn absennol mewn amgylchiadau eraill neu anhysbys"},
            {"code": "U", "category": "unauthorised", "meanings": ["late_after_close"],
             "name_en": "Late, after the register closed", "name_cy": "Hwyr, ar ôl cau'r gofrestr"},
            {"code": "D", "category": "not_counted", "name_en": "Dual registered (at the other school)",
             "name_cy": "Cofrestriad deuol (yn yr ysgol arall)"},
            {"code": "Q", "category": "not_counted", "name_en": "No access arrangements available",
             "name_cy": "Dim trefniadau mynediad ar gael"},
            {"code": "X", "category": "not_counted", "meanings": ["not_compulsory_age"],
             "name_en": "Not of compulsory school age", "name_cy": "Heb fod o oedran ysgol gorfodol"},
            {"code": "Y", "category": "not_counted", "name_en": "Exceptional circumstances (Y1 to Y7)",
             "name_cy": "Amgylchiadau eithriadol (Y1 i Y7)"},
            {"code": "Z", "category": "not_counted", "meanings": ["not_on_roll"],
             "name_en": "Not yet on roll", "name_cy": "Heb fod ar y gofrestr eto"},
            {"code": "#", "category": "not_counted", "meanings": ["school_closed"],
             "name_en": "Planned whole-school closure", "name_cy": "Cau'r ysgol gyfan wedi'i gynllunio"}
          ]
        }
        """#
}

"""`attendance import timetable` (issue 38): a timetable and its class lists, read whole; a bad line in either is
named and nothing is written; imported again for the same first day, it replaces that timetable only."""

import sqlite3

from test_cli import demo_into, run

SCHOOL = "6654001"


def test_a_timetable_with_a_bad_line_is_refused_naming_it_and_a_good_one_is_kept(tmp_path):
    database = str(tmp_path / "lessons.sqlite")
    demo_into(database)
    with sqlite3.connect(database) as db:
        upns = [row[0] for row in db.execute(
            "SELECT p.upn FROM pupils p JOIN enrolments e ON e.pupil_id = p.id JOIN schools s ON s.id = e.school_id "
            "WHERE s.laestab = ? AND e.on_roll_to IS NULL ORDER BY p.upn LIMIT 4", (SCHOOL,))]
        # The demo's own timetable (from the school year's first day, as the files below are).
        kept = db.execute("SELECT count(*) FROM timetable_lessons").fetchone()[0]
    lessons = tmp_path / "timetable.csv"
    classes = tmp_path / "classes.csv"
    lessons.write_text(
        "class,subject,day,period,start,end,teacher,room\n"
        "10X/Ma1,Mathematics,1,3,11:05,12:05,r.hughes@demo.example,M4\n"
        "10X/Ma1,Mathematics,7,3,11:05,10:05,r.hughes@demo.example,M4\n"
        "10X/Cy1,Cymraeg,2,1,09:10,10:10,e.price@demo.example,C1\n")
    classes.write_text("class,upn\n" + "".join(f"10X/Ma1,{upn}\n" for upn in upns) + f"10X/Cy1,{upns[0]}\n")
    bad = run("import", "timetable", str(lessons), "--classes", str(classes), "--school", SCHOOL, "--from",
              "2026-09-01", "--weeks", "2", "--database", database, check=False)
    assert bad.returncode != 0
    assert "line 3: end: the lesson ends at 10:05, before it starts at 11:05" in bad.stderr, bad.stderr
    assert "nothing was imported" in bad.stderr
    # A pupil the school does not have, in the class list: named with the class list's line.
    lessons.write_text(
        "class,subject,day,period,start,end,teacher,room\n"
        "10X/Ma1,Mathematics,1,3,11:05,12:05,r.hughes@demo.example,M4\n"
        "10X/Ma1,Mathematics,7,3,11:05,12:05,r.hughes@demo.example,M4\n"
        "10X/Cy1,Cymraeg,2,1,09:10,10:10,e.price@demo.example,C1\n")
    classes.write_text(classes.read_text() + "10X/Cy1,A999999999999\n")
    stranger = run("import", "timetable", str(lessons), "--classes", str(classes), "--school", SCHOOL, "--from",
                   "2026-09-01", "--weeks", "2", "--database", database, check=False)
    assert stranger.returncode != 0 and f"classes.csv" in stranger.stderr
    assert f"line {len(upns) + 3}: upn:" in stranger.stderr, stranger.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM timetable_lessons").fetchone()[0] == kept
    classes.write_text("class,upn\n" + "".join(f"10X/Ma1,{upn}\n" for upn in upns) + f"10X/Cy1,{upns[0]}\n")
    for _ in range(2):  # the same files twice: the same timetable
        done = run("import", "timetable", str(lessons), "--classes", str(classes), "--school", SCHOOL, "--from",
                   "2026-09-01", "--weeks", "2", "--database", database)
        assert "Imported a 2-week timetable from 2026-09-01: 3 lessons, 5 places in classes." in done.stdout
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM timetables").fetchone()[0] == 1
        assert db.execute("SELECT count(*) FROM class_members").fetchone()[0] == 5
        # The demo's import, and the two here.
        assert db.execute("SELECT count(*) FROM audit_events WHERE action = 'timetable.imported'").fetchone()[0] == 3
    refused = run("import", "timetable", str(lessons), "--school", SCHOOL, "--database", database, check=False)
    assert refused.returncode != 0 and "--classes FILE" in refused.stderr


def test_the_same_day_check_finds_exactly_the_pupils_registered_and_missing_from_a_lesson(tmp_path):
    """On the demo's lesson registers (its secondary school, the last five school days), the check's pupils are the
    test's own count: a lesson marked N in a session whose statutory mark is present or late (the code table's
    `present` category, or a late meaning), the session being the afternoon's once its register has started."""
    import json
    import record
    database = str(tmp_path / "check.sqlite")
    demo_into(database)
    table = json.loads(run("codes", "--format", "json").stdout)["codes"]
    on_site = {c["code"] for c in table if c["category"] == "present" or
               {"late_before_close", "late_after_close"} & set(c["meanings"])}
    with record.connect(database) as db:
        pm_start = db.execute("SELECT pm_start FROM schools WHERE laestab = ?", (SCHOOL,)).fetchone()[0]
        days = [row[0] for row in db.execute("SELECT DISTINCT date FROM lesson_registers ORDER BY 1")]
        assert len(days) == 5
        found_any = False
        for day in days:
            sessions = {(upn, half): code for upn, half, code in db.execute(
                "SELECT p.upn, m.session, m.code FROM marks m JOIN pupils p ON p.id = m.pupil_id WHERE m.date = ?",
                (day,))}
            expected = {}
            for upn, period, start in db.execute(
                    "SELECT p.upn, r.period, r.start_time FROM lesson_marks l JOIN lesson_registers r ON "
                    "r.id = l.lesson_register_id JOIN pupils p ON p.id = l.pupil_id WHERE r.date = ? AND l.code = 'N'",
                    (day,)):
                half = "PM" if start >= pm_start else "AM"
                if sessions.get((upn, half)) in on_site:
                    expected.setdefault(upn, []).append(period)
            answer = json.loads(run("lessons", "check", "--school", SCHOOL, "--date", day, "--format", "json",
                                    "--database", database).stdout)
            assert {line["upn"]: sorted(m["period"] for m in line["missed"]) for line in answer} == \
                {upn: sorted(periods) for upn, periods in expected.items()}, day
            # Two lessons in a row missed come first.
            flags = [line["in_a_row"] for line in answer]
            assert flags == sorted(flags, reverse=True), day
            found_any = found_any or bool(answer)
        assert found_any, "the demo has somebody missing from a lesson"
        # The lesson registers never wrote a session mark: every statutory mark is the form tutor's or the office's.
        assert db.execute("SELECT count(*) FROM marks WHERE recorded_by LIKE '%@demo.example'").fetchone()[0] == 0


def test_a_terms_lesson_marks_import_all_or_nothing_naming_the_line_and_never_touch_a_session(tmp_path):
    """`attendance import lesson-marks`: a term's lesson registers from the school's previous system. A line whose
    lesson the timetable does not have that day, or whose pupil is not in the class, is named and nothing is written;
    a good file writes its registers once (again: refused, each lesson already has its register)."""
    import record
    database = str(tmp_path / "import.sqlite")
    demo_into(database)
    with record.connect(database) as db:
        # A Monday with no lesson registers yet (the demo takes the last five school days'), and the demo teacher's
        # period 1 class that day (day 1 of the one-week cycle) with its pupils.
        class_name = db.execute(
            "SELECT class_name FROM timetable_lessons WHERE cycle_day = 1 AND period = 1 ORDER BY class_name"
        ).fetchone()[0]
        pupils = [row[0] for row in db.execute(
            "SELECT p.upn FROM class_members m JOIN pupils p ON p.id = m.pupil_id WHERE m.class_name = ? ORDER BY 1",
            (class_name,))]
        before = db.execute("SELECT count(*) FROM marks").fetchone()[0]
        registers = db.execute("SELECT count(*) FROM lesson_registers").fetchone()[0]
    day = "2026-11-02"
    lines = ["date,class,period,upn,code,minutes_late,taken_by"]
    lines += [f"{day},{class_name},1,{upn},/,,r.hughes@demo.example" for upn in pupils[1:]]
    lines.append(f"{day},{class_name},1,{pupils[0]},L,7,r.hughes@demo.example")
    marks = tmp_path / "lesson-marks.csv"
    marks.write_text("\n".join(lines + [f"{day},{class_name},4,{pupils[0]},N,,"]) + "\n")
    bad = run("import", "lesson-marks", str(marks), "--school", SCHOOL, "--database", database, check=False)
    assert bad.returncode != 0
    # In period 4 the form has another subject: that class has no lesson then.
    assert f"line {len(lines) + 1}: class: {class_name} has no lesson in period 4" in bad.stderr, bad.stderr
    marks.write_text("\n".join(lines + [f"{day},{class_name},1,A999999999999,N,,"]) + "\n")
    stranger = run("import", "lesson-marks", str(marks), "--school", SCHOOL, "--database", database, check=False)
    assert stranger.returncode != 0 and f"line {len(lines) + 1}: upn:" in stranger.stderr, stranger.stderr
    with record.connect(database) as db:
        assert db.execute("SELECT count(*) FROM lesson_registers").fetchone()[0] == registers
    marks.write_text("\n".join(lines) + "\n")
    done = run("import", "lesson-marks", str(marks), "--school", SCHOOL, "--database", database)
    assert f"Imported {len(pupils)} lesson marks in 1 lesson registers" in done.stdout, done.stdout
    again = run("import", "lesson-marks", str(marks), "--school", SCHOOL, "--database", database, check=False)
    assert again.returncode != 0 and "already has its register" in again.stderr
    with record.connect(database) as db:
        assert db.execute("SELECT count(*) FROM lesson_registers").fetchone()[0] == registers + 1
        late = db.execute(
            "SELECT l.code, l.minutes_late, l.recorded_by FROM lesson_marks l JOIN pupils p ON p.id = l.pupil_id "
            "JOIN lesson_registers r ON r.id = l.lesson_register_id WHERE p.upn = ? AND r.date = ?",
            (pupils[0], day)).fetchone()
        assert late == ("L", 7, "r.hughes@demo.example")
        assert db.execute("SELECT count(*) FROM marks").fetchone()[0] == before

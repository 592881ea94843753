"""End-to-end checks of the `attendance` command, run by .ci/run after `swift test`.

The report figures are checked against an independent count of the mark rows written here in Python from
DOMAIN.md section 3, so a mistake in the one Swift summary implementation cannot hide behind itself.
"""

import csv
import datetime
import io
import json
import pathlib
import os
import re
import urllib.error
import urllib.parse
import socket
import sqlite3
import subprocess
import time
import urllib.request
import uuid

import pytest

import record

BIN = os.environ.get("ATTENDANCE_BIN", os.path.join(os.path.dirname(__file__), "../../.build/debug/attendance"))
UNTIL = "2026-11-20"
FROM = "2025-09-01"
TO = "2026-11-20"

CATEGORY = {}
for codes, category in [
    ("/\\L", "present"),
    ("BDJPTVW", "approved_activity"),
    ("CEFHIMRS", "authorised"),
    ("GNOU", "unauthorised"),
    ("XYZ#", "not_counted"),
]:
    for code in codes:
        CATEGORY[code] = category


def run(*args, check=True):
    result = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}: {result.stderr}")
    return result


def demo_into(database):
    run("demo", "--database", database, "--schools", "2", "--pupils-per-school", "90", "--until", UNTIL, "--seed", "3")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    demo_into(path)
    return path


def schools(database):
    with sqlite3.connect(database) as db:
        return [row[0] for row in db.execute("SELECT laestab FROM schools ORDER BY laestab")]


def school_report(database, laestab):
    out = run("report", "school", laestab, "--from", FROM, "--to", TO, "--format", "json", "--database", database)
    return json.loads(out.stdout)


def expected_counts(database, laestab):
    """Per-pupil counts from the mark rows, clipped to each pupil's days on the school's roll."""
    with record.connect(database) as db:
        rows = db.execute(
            """
            SELECT p.upn, m.code, m.date FROM marks m
            JOIN pupils p ON p.id = m.pupil_id
            JOIN enrolments e ON e.pupil_id = m.pupil_id
            JOIN schools s ON s.id = e.school_id
            WHERE s.laestab = ? AND m.date >= ? AND m.date <= ?
              AND m.date >= e.on_roll_from AND (e.on_roll_to IS NULL OR m.date <= e.on_roll_to)
            """,
            (laestab, FROM, TO),
        ).fetchall()
    counts = {}
    for upn, code, _ in rows:
        c = counts.setdefault(upn, dict.fromkeys(
            ["present", "approved_activity", "authorised", "unauthorised", "not_counted", "L", "U"], 0))
        c[CATEGORY[code]] += 1
        if code in "LU":
            c[code] += 1
    return counts


def percent_and_band(attended, possible):
    if possible == 0:
        return None, None
    tenths = (attended * 2000 + possible) // (2 * possible)  # half up, in tenths, for display
    # the band of the exact figure: 91.96% is below 92%
    band = "GREEN" if attended * 1000 >= 970 * possible else "AMBER" if attended * 1000 >= 920 * possible else "RED"
    return tenths / 10, band


def test_every_command_has_help():
    for args in [[], ["serve"], ["migrate"], ["demo"], ["import"], ["report"], ["report", "pupil"], ["report", "school"],
                 ["codes"], ["users"], ["users", "add"], ["users", "list"], ["users", "reset-password"],
                 ["export"], ["export", "weekly"]]:
        result = run(*args, "--help")
        assert "USAGE" in result.stdout.upper()


def test_every_configuration_problem_is_listed_at_once(tmp_path):
    """The configuration is read and checked once at start: every problem in one message, nothing started."""
    env = dict(os.environ, ATTENDANCE_POLICY=str(tmp_path / "missing.json"), ATTENDANCE_SMTP_HOST="relay",
               ATTENDANCE_NOTIFY_API_KEY="short", PORT="eighty")
    env.pop("ATTENDANCE_SMTP_FROM", None)
    result = subprocess.run([BIN, "serve", "--database", str(tmp_path / "a.sqlite")], capture_output=True,
                            text=True, timeout=60, env=env)
    assert result.returncode != 0
    assert "4 problems" in result.stderr, result.stderr
    for part in ["missing.json could not be read", "ATTENDANCE_SMTP_FROM", "ATTENDANCE_NOTIFY_API_KEY", "PORT 'eighty'"]:
        assert part in result.stderr, (part, result.stderr)
    assert not (tmp_path / "a.sqlite").exists()


def test_school_reports_match_an_independent_count_of_the_marks(demo_db):
    for laestab in schools(demo_db):
        report = school_report(demo_db, laestab)
        expected = expected_counts(demo_db, laestab)
        assert len(report) > 80
        for row in report:
            assert row["possible"] == row["attended"] + row["authorised"] + row["unauthorised"]
            assert row["attended"] == row["present"] + row["approved_activity"]
            c = expected.get(row["upn"])
            assert c is not None, row["upn"]
            possible = c["present"] + c["approved_activity"] + c["authorised"] + c["unauthorised"]
            assert row["possible"] == possible
            assert row["present"] == c["present"]
            assert row["approved_activity"] == c["approved_activity"]
            assert row["authorised"] == c["authorised"]
            assert row["unauthorised"] == c["unauthorised"]
            assert row["late_before_close"] == c["L"]
            assert row["late_after_close"] == c["U"]
            percent, band = percent_and_band(c["present"] + c["approved_activity"], possible)
            assert row["attendance_percent"] == percent
            assert row["band"] == band
            missed = c["authorised"] + c["unauthorised"]
            assert row["persistent_absence"] == (possible > 0 and missed * 100 >= possible * 10)
        # The demo is meant to be realistic: some pupils in each band, some persistently absent.
        assert {row["band"] for row in report} >= {"GREEN", "AMBER", "RED"}
        assert any(row["persistent_absence"] for row in report)
        assert any(row["late_after_close"] > 0 for row in report)


def test_a_pupil_report_agrees_with_the_school_report(demo_db):
    laestab = schools(demo_db)[0]
    row = school_report(demo_db, laestab)[5]
    out = run("report", "pupil", row["upn"], "--from", FROM, "--to", TO, "--format", "json", "--database", demo_db)
    assert json.loads(out.stdout) == row


def test_csv_and_text_reports(demo_db):
    laestab = schools(demo_db)[0]
    csv_out = run("report", "school", laestab, "--from", FROM, "--to", TO, "--format", "csv", "--database", demo_db).stdout
    lines = csv_out.strip().split("\n")
    assert lines[0].startswith("upn,surname,forename,year_group,registration_group,from,to,possible,attended")
    assert len(lines) == len(school_report(demo_db, laestab)) + 1
    text = run("report", "school", laestab, "--database", demo_db, "--to", TO).stdout
    assert "Whole school:" in text


def count_marks(database):
    with record.connect(database) as db:
        return db.execute("SELECT COUNT(*) FROM marks").fetchone()[0], db.execute(
            "SELECT COUNT(*) FROM mark_amendments").fetchone()[0]


def test_a_bad_marks_file_lists_every_bad_line_and_writes_nothing(demo_db, tmp_path):
    laestab = schools(demo_db)[0]
    upn = school_report(demo_db, laestab)[0]["upn"]
    before = count_marks(demo_db)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "upn,date,session,code,minutes_late\n"
        f"{upn},2026-11-20,AM,/,\n"  # fine on its own
        f"{upn},2026-11-20,PM,K,\n"  # unknown code
        f"A{upn[1:]},2026-11-20,AM,/,\n"  # bad check letter
        f"{upn},2026-11-21,AM,/,\n"  # Saturday
        f"{upn},2026-11-20,AM,N,\n"  # duplicate of line 2
    )
    result = run("import", "marks", str(bad), "--database", demo_db, check=False)
    assert result.returncode == 1
    for line in ["line 3: code", "line 4: upn", "line 6: "]:
        assert line in result.stderr, result.stderr
    assert "nothing was imported" in result.stderr
    assert count_marks(demo_db) == before
    # The calendar check needs the database: fix the file's format errors and the Saturday is reported.
    bad.write_text("upn,date,session,code,minutes_late\n" f"{upn},2026-11-20,AM,/,\n" f"{upn},2026-11-21,AM,/,\n")
    result = run("import", "marks", str(bad), "--database", demo_db, check=False)
    assert result.returncode == 1
    assert "line 3: date: 2026-11-21 is not a school day" in result.stderr
    assert count_marks(demo_db) == before


def test_importing_the_same_marks_twice_changes_nothing(demo_db, tmp_path):
    laestab = schools(demo_db)[1]
    upns = [row["upn"] for row in school_report(demo_db, laestab)[:3]]
    good = tmp_path / "today.csv"
    good.write_text("upn,date,session,code,minutes_late\n" + "".join(f"{u},2026-11-20,AM,/,\n" for u in upns))
    before = count_marks(demo_db)
    first = run("import", "marks", str(good), "--school", laestab, "--database", demo_db)
    assert "3 new marks, 0 amended, 0 unchanged" in first.stdout
    second = run("import", "marks", str(good), "--school", laestab, "--database", demo_db)
    assert "0 new marks, 0 amended, 3 unchanged" in second.stdout
    assert count_marks(demo_db) == (before[0] + 3, before[1])
    # A different code for the same session is an amendment with the file named as the reason.
    good.write_text("upn,date,session,code,minutes_late\n" f"{upns[0]},2026-11-20,AM,L,10\n")
    third = run("import", "marks", str(good), "--school", laestab, "--database", demo_db)
    assert "0 new marks, 1 amended, 0 unchanged" in third.stdout
    with sqlite3.connect(demo_db) as db:
        reason, old, new = db.execute(
            "SELECT reason, old_code, new_code FROM mark_amendments ORDER BY id DESC LIMIT 1").fetchone()
    assert (reason, old, new) == ("imported from today.csv", "/", "L")


def test_the_demo_refuses_a_database_that_is_not_empty(demo_db):
    result = run("demo", "--database", demo_db, check=False)
    assert result.returncode != 0
    assert "already holds schools" in result.stderr


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """A cookie-keeping client that posts forms with the page's CSRF token."""

    def __init__(self, base):
        import http.cookiejar
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
        self.csrf = None

    def get(self, path):
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path, form):
        data = urllib.parse.urlencode({**form, "csrf": self.csrf}).encode()
        return self._open(urllib.request.Request(self.base + path, data=data))

    def _open(self, request):
        try:
            response = self.opener.open(request, timeout=10)
            status, headers, body = response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read().decode()
        match = re.search(r'name="csrf" value="([^"]+)"', body)
        if match:
            self.csrf = match.group(1)
        return status, headers, body


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_serve_demo_serves_the_sign_in_page_and_each_role_signs_in(tmp_path):
    port = free_port()
    database = str(tmp_path / "served.sqlite")
    server = subprocess.Popen(
        [BIN, "serve", "--demo", "--port", str(port), "--database", database],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 300
        status = None
        base = f"http://127.0.0.1:{port}"
        while time.time() < deadline and status is None:
            try:
                status, headers, _ = Session(base).get("/")
            except OSError:
                assert server.poll() is None, server.stdout.read()
                time.sleep(1)
        assert status == 303, "the home page should ask for sign-in"
        assert headers["Location"].startswith("/sign-in?next=")
        client = Session(base)
        status, _, page = client.get("/sign-in")
        assert status == 200 and "Demonstration system" in page
        accounts = re.findall(r"<td[^>]*>([a-z]+@demo\.example)</td><td[^>]*><code>(demo-[a-z]+)</code>", page)
        assert len(accounts) == 13  # one per role: the patrol, the adviser, the mentor and the teacher included
        for email, password in accounts:
            client = Session(base)
            client.get("/sign-in")
            status, headers, _ = client.post("/sign-in", {"email": email, "password": password, "next": "/"})
            assert status == 303 and headers["Location"] == "/", email
            status, headers, home = client.get("/")
            if email == "patrol@demo.example":
                # A patrol's home is its page: the form to log a child and the day's entries.
                assert status == 303 and headers["Location"] == "/patrols", email
                status, _, home = client.get("/patrols")
                assert status == 200 and "patrol-entry" in home, email
            else:
                assert status == 200 and "Hello, " in home, email
        lead = Session(base)
        lead.get("/sign-in")
        lead.post("/sign-in", {"email": "lead@demo.example", "password": "demo-lead", "next": "/"})
        _, _, home = lead.get("/")
        for laestab in schools(database):
            assert laestab in home
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_users_are_added_listed_and_reset_with_temporary_passwords(demo_db):
    laestab = schools(demo_db)[0]
    added = run("users", "add", "--email", "New.Head@Example.org", "--role", "head_teacher", "--school", laestab,
                "--name", "New Head", "--database", demo_db)
    assert "Temporary password" in added.stdout
    password = added.stdout.strip().split()[-1]
    assert re.fullmatch(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", password)
    again = run("users", "add", "--email", "new.head@example.org", "--role", "governor", "--school", laestab,
                "--database", demo_db)
    assert "Added governor" in again.stdout and "Temporary password" not in again.stdout
    listed = run("users", "list", "--database", demo_db).stdout
    assert "new.head@example.org  New Head  [temporary password]" in listed
    assert f"head_teacher at {laestab}" in listed and f"governor at {laestab}" in listed
    missing = run("users", "add", "--email", "x@example.org", "--role", "form_tutor", "--school", laestab,
                  "--database", demo_db, check=False)
    assert missing.returncode != 0 and "registration groups" in missing.stderr
    unknown = run("users", "add", "--email", "x@example.org", "--role", "parent", "--parent-of", "B801200005001",
                  "--database", demo_db, check=False)
    assert unknown.returncode != 0 and "was not found" in unknown.stderr
    reset = run("users", "reset-password", "--email", "new.head@example.org", "--database", demo_db)
    assert "New temporary password" in reset.stdout
    with sqlite3.connect(demo_db) as db:
        hashes = [row[0] for row in db.execute("SELECT password_hash FROM users")]
        actions = [row[0] for row in db.execute("SELECT action FROM audit_events WHERE subject = 'new.head@example.org'")]
    assert all(h.startswith("$2") for h in hashes), "passwords are stored as bcrypt hashes"
    assert password not in "".join(hashes)
    assert {"user.created", "user.role_added", "user.password_reset"} <= set(actions)
    deactivated = run("users", "deactivate", "--email", "new.head@example.org", "--database", demo_db)
    assert "is deactivated" in deactivated.stdout
    assert "new.head@example.org  New Head  [deactivated, temporary password]" in run(
        "users", "list", "--database", demo_db).stdout
    run("users", "reset-password", "--email", "new.head@example.org", "--database", demo_db)
    assert "deactivated" not in run("users", "list", "--database", demo_db).stdout
    # A token for an authority's scripts: printed once, kept as a digest, audited.
    made = run("users", "token", "--email", "new.head@example.org", "--name", "MIS sync", "--database", demo_db)
    token = made.stdout.strip().split()[-1]
    assert token.startswith("att_") and "shown once" in made.stdout
    with sqlite3.connect(demo_db) as db:
        kept = [row for row in db.execute("SELECT name, token_hash FROM api_tokens")]
        audited = [row[0] for row in db.execute(
            "SELECT action FROM audit_events WHERE action LIKE 'token%' AND subject = 'new.head@example.org'")]
    assert any(name == "MIS sync" for name, _ in kept)
    assert all(token not in h for _, h in kept)
    assert audited, "making a token is audited"
    nobody = run("users", "token", "--email", "nobody@example.org", "--database", demo_db, check=False)
    assert nobody.returncode != 0 and "was not found" in nobody.stderr


def test_penalty_notices_are_listed_and_moved_on_by_date(demo_db):
    assert json.loads(run("fpn", "list", "--format", "json", "--database", demo_db).stdout) == []
    assert "0 notices unpaid after 42 days." in run("fpn", "run", "--as-of", "2026-12-01", "--database", demo_db).stdout
    bad = run("fpn", "list", "--status", "lost", "--database", demo_db, check=False)
    assert bad.returncode != 0 and "status" in bad.stderr
    assert json.loads(run("fpn", "report", "--format", "json", "--database", demo_db).stdout) == []


@pytest.mark.skipif("TEST_POSTGRES_URL" not in os.environ, reason="TEST_POSTGRES_URL is not set")
def test_postgresql_gives_the_same_reports_as_sqlite(demo_db):
    base = os.environ["TEST_POSTGRES_URL"]
    name = "attendance_cli_" + uuid.uuid4().hex[:8]
    admin = base.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin.split("?")[0], "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    try:
        url = base.rsplit("/", 1)[0] + "/" + name + "?sslmode=disable"
        fresh = demo_db + ".fresh.sqlite"
        demo_into(fresh)
        demo_into(url)
        for laestab in schools(fresh):
            assert school_report(url, laestab) == school_report(fresh, laestab)
    finally:
        subprocess.run(["psql", admin.split("?")[0], "-c", f"DROP DATABASE IF EXISTS {name}"], capture_output=True)


def test_the_code_table_prints_and_another_loads(tmp_path):
    shipped = run("codes", "--format", "json").stdout
    table = json.loads(shipped)
    assert table["name"] == "wales-2010"
    assert {c["code"] for c in table["codes"]} == set(CATEGORY)
    assert all(c["category"] == CATEGORY[c["code"]] for c in table["codes"])
    table["name"] = "wrexham-local"
    own = tmp_path / "codes.json"
    own.write_text(json.dumps(table))
    assert "Code table wrexham-local" in run("codes", "--codes", str(own)).stdout
    del table["codes"][0]["name_cy"]
    own.write_text(json.dumps(table))
    result = run("codes", "--codes", str(own), check=False)
    assert result.returncode != 0
    assert "name_cy is missing" in result.stderr


def test_reports_and_imports_are_in_the_audit_trail(demo_db, tmp_path):
    laestab = schools(demo_db)[0]
    run("report", "school", laestab, "--format", "csv", "--to", TO, "--database", demo_db)
    with sqlite3.connect(demo_db) as db:
        export = db.execute(
            "SELECT actor, subject FROM audit_events WHERE action = 'export' ORDER BY id DESC LIMIT 1").fetchone()
    assert export[0].startswith("cli:") and export[1].startswith("report school") and export[1].endswith("csv")
    upn = school_report(demo_db, laestab)[0]["upn"]
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(f"upn,name,relationship,priority,mobile,language\n{upn},Nain,Grandmother,3,07700 900333,cy\n")
    run("import", "contacts", str(contacts), "--database", demo_db)
    with sqlite3.connect(demo_db) as db:
        row = db.execute(
            "SELECT action, subject, after FROM audit_events WHERE upn = ? ORDER BY id DESC LIMIT 1", (upn,)).fetchone()
    assert row[0] == "contact.created" and row[1] == "contacts.csv" and '"name":"Nain"' in row[2]


def test_the_procedure_dry_run_counts_match_the_pupil_reports_and_a_second_run_records_nothing(tmp_path):
    database = str(tmp_path / "procedure.sqlite")
    demo_into(database)
    out = run("procedure", "run", "--as-of", UNTIL, "--dry-run", "--format", "json", "--database", database).stdout
    lines = json.loads(out)
    assert {"letter_1", "persistent_absence"} <= {line["action"] for line in lines}
    checked = 0
    for line in lines:
        assert set(line) >= {"upn", "school", "action", "basis", "count", "as_of", "sessions"}
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} (AM|PM)", s) for s in line["sessions"])
        if line["action"] in ("letter_1", "letter_2", "phone_call", "letter_3", "attendance_meeting", "esw_referral"):
            report = json.loads(run("report", "pupil", line["upn"], "--to", UNTIL, "--format", "json",
                                    "--database", database).stdout)
            counted = report["authorised"] + report["unauthorised"] if line["basis"] == "absence" else report["unauthorised"]
            assert line["count"] == counted, line
            checked += 1
    assert checked > 5
    # The same list as CSV, for a spreadsheet: a header, then each line with its sessions in one field.
    rows = list(csv.DictReader(io.StringIO(run("procedure", "run", "--as-of", UNTIL, "--dry-run", "--format", "csv",
                                               "--database", database).stdout)))
    assert [(r["upn"], r["action"], int(r["count"]), r["sessions"].split(";") if r["sessions"] else [],
             r["already_recorded"] == "true") for r in rows] == [
        (l["upn"], l["action"], l["count"], l["sessions"], l["already_recorded"]) for l in lines]
    # A command whose output is no table offers no CSV, and says which formats it has.
    refused = run("fpn", "list", "--format", "csv", "--database", database, check=False)
    assert refused.returncode == 64 and "'json' and 'text'" in refused.stderr
    first = run("procedure", "run", "--as-of", UNTIL, "--database", database).stdout
    assert f"{len(lines)} actions due" in first
    second = run("procedure", "run", "--as-of", UNTIL, "--database", database).stdout
    assert ": 0 recorded now, 0 withdrawn" in second
    # A correction takes a pupil back under the Letter 1 line: the next run lists the withdrawal and its cause.
    # (At the head's school: correcting an authorised absence is the head's, so the file is imported as the head.)
    with sqlite3.connect(database) as db:
        head_school = db.execute("SELECT school_laestab FROM role_grants WHERE role = 'head_teacher'").fetchone()[0]
    letter = next(line for line in lines if line["action"] == "letter_1" and line["count"] - 9 <= len(line["sessions"])
                  and line["school"] == head_school)
    corrections = tmp_path / "corrections.csv"
    rows = []
    for session in letter["sessions"][: letter["count"] - 9]:
        date, half = session.split(" ")
        rows.append(f"{letter['upn']},{date},{half},{'/' if half == 'AM' else chr(92)},")
    corrections.write_text("upn,date,session,code,minutes_late\n" + "\n".join(rows) + "\n")
    run("import", "marks", str(corrections), "--as", "head@demo.example", "--database", database)
    third = json.loads(run("procedure", "run", "--as-of", UNTIL, "--format", "json", "--database", database).stdout)
    withdrawn = [line for line in third if line.get("withdrawn")]
    assert any(line["upn"] == letter["upn"] and line["action"] == "letter_1" for line in withdrawn), withdrawn
    assert all("imported from corrections.csv" in line["withdrawn_because"] for line in withdrawn)
    assert all(not line.get("withdrawn") and "withdrawn_because" not in line for line in third if line not in withdrawn)


def test_a_marks_import_keeps_the_heads_authority(demo_db, tmp_path):
    # Issue 31, 17: O over a present mark is the head's decision; the import names the line, writes nothing, and
    # goes through only as an account that may authorise absence (--as, for the audit and the check).
    with sqlite3.connect(demo_db) as db:
        laestab = db.execute("SELECT school_laestab FROM role_grants WHERE role = 'head_teacher'").fetchone()[0]
    upn = school_report(demo_db, laestab)[0]["upn"]
    # Present first (whatever the demo had, changed by the head's authority).
    present = tmp_path / "present.csv"
    present.write_text("upn,date,session,code,minutes_late\n" f"{upn},2026-11-20,AM,/,\n")
    run("import", "marks", str(present), "--school", laestab, "--as", "head@demo.example", "--database", demo_db)
    truant = tmp_path / "truant.csv"
    truant.write_text("upn,date,session,code,minutes_late\n" f"{upn},2026-11-20,AM,O,\n")
    refused = run("import", "marks", str(truant), "--school", laestab, "--database", demo_db, check=False)
    assert refused.returncode == 1
    assert "line 2: code: O" in refused.stderr and "--as" in refused.stderr, refused.stderr
    unknown = run("import", "marks", str(truant), "--as", "nobody@demo.example", "--database", demo_db, check=False)
    assert unknown.returncode != 0 and "--as" in unknown.stderr
    done = run("import", "marks", str(truant), "--school", laestab, "--as", "head@demo.example", "--database", demo_db)
    assert "1 amended" in done.stdout
    with sqlite3.connect(demo_db) as db:
        changed_by = db.execute("SELECT changed_by FROM mark_amendments ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert changed_by == "head@demo.example"


def test_the_weekly_return_matches_an_independent_count_of_the_week(demo_db, tmp_path):
    """Issue 34, point 8: Welsh Government's weekly figures by sex, year group and FSM, counted here from the
    mark rows of each pupil's days on each school's roll."""
    out = tmp_path / "weekly.csv"
    result = run("export", "weekly", "--week", "2026-11-18", "--out", str(out), "--database", demo_db)
    assert "2026-11-16 to 2026-11-20" in result.stdout
    lines = out.read_text().splitlines()
    assert lines[0] == ("laestab,week_start,week_end,breakdown,value,pupils,sessions_possible,sessions_attended,"
                        "sessions_authorised_absence,sessions_unauthorised_absence")
    rows = {}
    for line in lines[1:]:
        cells = line.split(",")
        assert cells[1:3] == ["2026-11-16", "2026-11-20"]
        rows[(cells[0], cells[3], cells[4])] = [int(value) for value in cells[5:]]
    with record.connect(demo_db) as db:
        marks = db.execute(
            """
            SELECT s.laestab, p.upn, p.sex, p.year_group, p.free_school_meals, m.code FROM marks m
            JOIN pupils p ON p.id = m.pupil_id
            JOIN enrolments e ON e.pupil_id = m.pupil_id
            JOIN schools s ON s.id = e.school_id
            WHERE m.date >= '2026-11-16' AND m.date <= '2026-11-20'
              AND m.date >= e.on_roll_from AND (e.on_roll_to IS NULL OR m.date <= e.on_roll_to)
            """).fetchall()
        on_roll = db.execute(
            """
            SELECT s.laestab, p.upn, p.sex, p.year_group, p.free_school_meals FROM enrolments e
            JOIN pupils p ON p.id = e.pupil_id JOIN schools s ON s.id = e.school_id
            WHERE e.on_roll_from <= '2026-11-20' AND (e.on_roll_to IS NULL OR e.on_roll_to >= '2026-11-16')
            """).fetchall()

    def keys(laestab, sex, year, fsm):
        return [(laestab, "all", ""), (laestab, "sex", sex), (laestab, "year_group", year),
                (laestab, "fsm", "yes" if fsm in (1, "1", True, "true") else "no")]

    expected = {}
    pupils = {}
    for laestab, upn, sex, year, fsm in on_roll:
        for key in keys(laestab, sex, year, fsm):
            expected.setdefault(key, [0, 0, 0, 0])
            pupils.setdefault(key, set()).add(upn)
    for laestab, upn, sex, year, fsm, code in marks:
        category = CATEGORY[code]
        for key in keys(laestab, sex, year, fsm):
            counts = expected[key]
            if category != "not_counted":
                counts[0] += 1
            if category in ("present", "approved_activity"):
                counts[1] += 1
            elif category == "authorised":
                counts[2] += 1
            elif category == "unauthorised":
                counts[3] += 1
    assert set(expected) == set(rows)
    for key, counts in expected.items():
        assert rows[key] == [len(pupils[key])] + counts, key
    for laestab in schools(demo_db):
        whole = rows[(laestab, "all", "")]
        for breakdown in ("sex", "year_group", "fsm"):
            parts = [value for (school, kind, _), value in rows.items() if school == laestab and kind == breakdown]
            assert [sum(column) for column in zip(*parts)] == whole, (laestab, breakdown)
    # A week that has not begun is refused, and nothing is written.
    refused = run("export", "weekly", "--week", "2099-01-05", "--database", demo_db, check=False)
    assert refused.returncode != 0 and "has not begun" in refused.stderr


def test_the_welsh_government_termly_return_adds_up_to_the_school_report(demo_db, tmp_path):
    """Issue 36, point 3: one row per pupil of compulsory school age on the roll in the term; for the pupils of
    that age all term, the sessions are the school report's for the term's days."""
    for laestab in schools(demo_db):
        out = tmp_path / f"wg-{laestab}.csv"
        result = run("export", "wg-return", "--school", laestab, "--term", "autumn", "--year", "2026", "--out",
                     str(out), "--database", demo_db)
        assert "autumn term of 2026/27" in result.stdout
        lines = out.read_text().splitlines()
        header = lines[0].split(",")
        assert header[:7] == ["la", "estab", "school_year", "term", "term_start", "term_end", "upn"]
        rows = [dict(zip(header, line.split(","))) for line in lines[1:]]
        assert rows and all(row["school_year"] == "2026/27" and row["term"] == "autumn" for row in rows)
        start, end = rows[0]["term_start"], rows[0]["term_end"]
        whole_term = {row["upn"]: row for row in rows if (row["counted_from"], row["counted_to"]) == (start, end)}
        report = json.loads(run("report", "school", laestab, "--from", start, "--to", end, "--format", "json",
                                "--database", demo_db).stdout)
        for line in report:
            row = whole_term.get(line["upn"])
            if row is None:
                continue
            assert int(row["sessions_possible"]) == line["possible"], line["upn"]
            assert int(row["sessions_attended"]) == line["attended"], line["upn"]
            assert int(row["sessions_authorised_absence"]) == line["authorised"], line["upn"]
            assert int(row["sessions_unauthorised_absence"]) == line["unauthorised"], line["upn"]
        assert len(whole_term) > 40
    # A term that is not one, a school year to come, or a school not held: refused, nothing written.
    for args in (["--term", "winter", "--year", "2026"], ["--term", "autumn", "--year", "2099"],
                 ["--school", "9999999", "--term", "autumn", "--year", "2026"]):
        bad = run("export", "wg-return", *args, "--out", str(tmp_path / "bad.csv"), "--database", demo_db,
                  check=False)
        assert bad.returncode != 0, args
        assert not (tmp_path / "bad.csv").exists()


def test_a_common_transfer_file_is_written_for_named_pupils(demo_db, tmp_path):
    """Issue 36, point 2: the file is named as schools' systems expect, and each pupil's year data is the
    pupil's report for the year at the school."""
    import xml.etree.ElementTree as ElementTree
    laestab = schools(demo_db)[0]
    report = school_report(demo_db, laestab)
    upns = [row["upn"] for row in report[:2]]
    folder = tmp_path / "ctf"
    folder.mkdir()
    result = run("export", "ctf", "--school", laestab, "--upn", *upns, "--out", str(folder), "--database", demo_db)
    assert "2 pupils written" in result.stdout
    written = list(folder.iterdir())
    assert [path.name for path in written] == [f"{laestab}_CTF_XXXXXXX_001.xml"]
    root = ElementTree.parse(written[0]).getroot()
    pupils = root.findall("CTFpupilData/Pupil")
    assert [pupil.findtext("UPN") for pupil in pupils] == upns
    for pupil in pupils:
        for year in pupil.findall("Attendance/YearData"):
            start = int(year.findtext("Year"))
            line = json.loads(run("report", "pupil", pupil.findtext("UPN"), "--from", f"{start}-09-01", "--to",
                                  min(f"{start + 1}-08-31", TO), "--format", "json", "--database", demo_db).stdout)
            assert int(year.findtext("SessionsPossible")) == line["possible"]
            assert int(year.findtext("SessionsAttended")) == line["attended"]
    bad = run("export", "ctf", "--school", laestab, "--upn", "C801200005001", "--out", str(tmp_path / "x.xml"),
              "--database", demo_db, check=False)
    assert bad.returncode != 0 and not (tmp_path / "x.xml").exists()


CTF_FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "ctf"


def ctf_counts(database):
    with sqlite3.connect(database) as db:
        return {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ["pupils", "contacts", "enrolments", "ctf_imports", "ctf_admissions", "other_school_years"]}


def test_a_common_transfer_file_imports_and_the_pupil_report_gives_its_marks(tmp_path):
    """Issue 36, point 1: a hand-written CTF imports into an empty database; the first pupil's report gives the
    possible, attended, authorised and unauthorised sessions of its marks, beside this school's own figures; a file
    with a bad UPN check letter, a code in neither set or broken XML is refused naming the element, writing nothing."""
    import xml.etree.ElementTree as ElementTree
    database = str(tmp_path / "ctf.sqlite")
    schools_csv = tmp_path / "schools.csv"
    schools_csv.write_text("la,estab,name,phase,am_start,am_close,pm_start,pm_close\n"
                           "665,4001,Ysgol Uwchradd Glan Alyn,secondary,08:50,09:20,13:30,13:50\n")
    run("migrate", "--database", database)
    run("import", "schools", str(schools_csv), "--database", database)
    fixture = CTF_FIXTURES / "hand-written.xml"
    before = ctf_counts(database)
    text = fixture.read_text()
    for name, broken, element in [
        ("upn.xml", text.replace("B801200005001", "C801200005001"), "Pupil 1/UPN"),
        ("code.xml", text.replace("IIO\\/\\/L", "IIA\\/\\/L"),
         "Pupil 1 (UPN B801200005001)/Attendance/YearData 1/AttendSessions/AttendanceMarks"),
        ("xml.xml", text.replace("</Forename>", "</Forenam>"), "not well-formed XML"),
    ]:
        path = tmp_path / name
        path.write_text(broken)
        result = run("import", "ctf", str(path), "--database", database, check=False)
        assert result.returncode != 0, name
        assert element in result.stderr, (name, result.stderr)
        assert ctf_counts(database) == before, name
    result = run("import", "ctf", str(fixture), "--database", database)
    assert "2 new" in result.stdout and "2 admissions for the office to confirm" in result.stdout, result.stdout
    after = ctf_counts(database)
    assert after["pupils"] == before["pupils"] + 2 and after["other_school_years"] == 2
    assert after["ctf_admissions"] == 1 + 1 and after["enrolments"] == before["enrolments"]
    # The report counts the file's marks on the window's days, with the same categories as this school's marks.
    pupil = ElementTree.parse(fixture).getroot().find("CTFpupilData/Pupil")
    sessions = pupil.find("Attendance/YearData/AttendSessions")
    start = datetime.date.fromisoformat(sessions.findtext("AttendanceStartDate"))
    marks = sessions.findtext("AttendanceMarks")
    counts = dict.fromkeys(["present", "approved_activity", "authorised", "unauthorised", "not_counted"], 0)
    for index, code in enumerate(marks):
        if code != "#" and start + datetime.timedelta(days=index // 2) <= datetime.date(2026, 11, 30):
            counts[CATEGORY[code]] += 1
    line = json.loads(run("report", "pupil", "B801200005001", "--from", "2026-09-01", "--to", "2026-11-30",
                          "--format", "json", "--database", database).stdout)
    assert line["possible"] == 0, "another school's marks are never this school's figures"
    elsewhere = line["elsewhere"]
    assert [row["school"] for row in elsewhere] == ["6654002"] and elsewhere[0]["counted_from"] == "marks"
    attended = counts["present"] + counts["approved_activity"]
    assert elsewhere[0]["attended"] == attended
    assert elsewhere[0]["authorised"] == counts["authorised"]
    assert elsewhere[0]["unauthorised"] == counts["unauthorised"]
    assert elsewhere[0]["possible"] == attended + counts["authorised"] + counts["unauthorised"]
    text_report = run("report", "pupil", "H665400125007", "--from", "2025-09-01", "--to", "2026-08-31",
                      "--database", database).stdout
    assert "at 6654002 Ysgol y Grango, 2025/26: possible 380" in text_report and "(from its totals)" in text_report

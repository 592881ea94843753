"""Issue 37, as the people who run the system would do it: encrypted backups taken while a server saves registers
and restored into empty databases (SQLite and PostgreSQL), every row compared; and two servers on one PostgreSQL
database behind no proxy at all, sharing sessions and saves and doing the day's run once between them."""

import datetime
import json
import re
import os
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from test_cli import BIN, Session, demo_into, free_port
from test_durability import DAYS, SCHOOL, open_policy, save, start

POSTGRES = os.environ.get("TEST_POSTGRES_URL")


def attendance(*args, env=None, check=True):
    result = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=600,
                            env={**os.environ, **(env or {})})
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}: {result.stderr}")
    return result


def new_key():
    return {"ATTENDANCE_BACKUP_KEY": attendance("backup", "--new-key").stdout.strip()}


def token_for(database):
    attendance("users", "add", "--email", "saver@example.org", "--role", "attendance_administrator", "--school",
               SCHOOL, "--database", database)
    return attendance("users", "token", "--email", "saver@example.org", "--database", database).stdout.split()[-1]


def registers(database_rows):
    groups = {}
    for group, upn in database_rows:
        groups.setdefault(group, []).append(upn)
    return groups


def sqlite_tables(path):
    with sqlite3.connect(path) as db:
        names = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1")]
        return {name: sorted(map(repr, db.execute(f'SELECT * FROM "{name}"'))) for name in names}


def test_a_sqlite_backup_taken_while_the_server_saves_restores_every_row(tmp_path):
    database = str(tmp_path / "school.sqlite")
    demo_into(database)
    policy = open_policy(tmp_path)
    token = token_for(database)
    with sqlite3.connect(database) as db:
        groups = registers(db.execute(
            "SELECT p.registration_group, p.upn FROM pupils p JOIN enrolments e ON e.pupil_id = p.id "
            "JOIN schools s ON s.id = e.school_id WHERE s.laestab = ? AND e.on_roll_to IS NULL", (SCHOOL,)))
    key = new_key()
    # Without the key there is no backup, and a key that is not one is named.
    refused = attendance("backup", "--out", str(tmp_path / "none.backup"), "--database", database, check=False)
    assert refused.returncode != 0 and "ATTENDANCE_BACKUP_KEY" in refused.stderr
    bad = attendance("backup", "--out", str(tmp_path / "none.backup"), "--database", database,
                     env={"ATTENDANCE_BACKUP_KEY": "short"}, check=False)
    assert bad.returncode != 0 and "ATTENDANCE_BACKUP_KEY: not 32 bytes" in bad.stderr
    port = free_port()
    server = start(database, port, policy)
    try:
        statuses = []
        every = [(group, day, half) for day in DAYS for half in ("am", "pm") for group in sorted(groups)]

        def saving():
            for register in every:
                statuses.append(save(port, token, *register, groups[register[0]]))

        saver = threading.Thread(target=saving)
        saver.start()
        time.sleep(0.3)
        during = str(tmp_path / "during.backup")
        made = attendance("backup", "--out", during, "--database", database, env=key)
        assert "SQLite backup" in made.stdout and "encrypted" in made.stdout
        saver.join(timeout=300)
        assert statuses and all(status == 200 for status in statuses), statuses[:5]
        after = str(tmp_path / "after.backup")
        attendance("backup", "--out", after, "--database", database, env=key)
        # Never over an existing file.
        again = attendance("backup", "--out", after, "--database", database, env=key, check=False)
        assert again.returncode != 0 and "exists already" in again.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
    with open(after, "rb") as f:
        sealed = f.read()
    assert b"SQLite format" not in sealed and b"pupil_year_marks" not in sealed
    # The copy made during the saves: whole, and the record as it stood at one moment.
    copy = str(tmp_path / "during.sqlite")
    restored = attendance("restore", during, "--database", copy, env=key)
    assert "Restored" in restored.stdout
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    original = sqlite_tables(database)
    copied = sqlite_tables(copy)
    record_audit = set(original["audit_events"])
    assert all(line in record_audit for line in copied["audit_events"] if "backup.restored" not in line)
    # The copy made once the saves ended holds every row of every table (but the audit lines of the backup itself,
    # written once it was made, and of the restore).
    whole = str(tmp_path / "after.sqlite")
    attendance("restore", after, "--database", whole, env=key)
    copied = sqlite_tables(whole)
    assert copied.keys() == original.keys()
    for table in original:
        rows = [row for row in copied[table] if "'backup." not in row]
        expected = [row for row in original[table] if "'backup." not in row]
        assert rows == expected, table
    # Restored only into an empty database; opened only with its key.
    refused = attendance("restore", after, "--database", whole, env=key, check=False)
    assert refused.returncode != 0 and "is not empty" in refused.stderr
    wrong = attendance("restore", after, "--database", str(tmp_path / "wrong.sqlite"), env=new_key(), check=False)
    assert wrong.returncode != 0 and "the key does not open this backup" in wrong.stderr
    assert not os.path.exists(tmp_path / "wrong.sqlite")


def psql(url, sql):
    parts = urllib.parse.urlparse(url)
    return subprocess.run(
        ["psql", "-h", parts.hostname, "-p", str(parts.port or 5432), "-U", parts.username, "-d", parts.path[1:],
         "-v", "ON_ERROR_STOP=1", "-tAc", sql],
        env={**os.environ, "PGPASSWORD": parts.password or ""}, capture_output=True, text=True, check=True,
        timeout=120).stdout.strip()


def fresh_database():
    name = "ops_" + uuid.uuid4().hex[:12]
    psql(POSTGRES, f"CREATE DATABASE {name}")
    return name, urllib.parse.urlparse(POSTGRES)._replace(path="/" + name).geturl()


def drop_database(name):
    psql(POSTGRES, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def postgres_tables(url):
    names = psql(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                      "ORDER BY 1").split()
    return {name: psql(url, f"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') "
                            f"FROM \"{name}\" t") for name in names}


@pytest.mark.skipif(POSTGRES is None, reason="TEST_POSTGRES_URL is not set")
def test_a_postgresql_backup_restores_every_row_into_a_new_database(tmp_path):
    source, source_url = fresh_database()
    target, target_url = fresh_database()
    try:
        demo_into(source_url)
        key = new_key()
        backup = str(tmp_path / "authority.backup")
        made = attendance("backup", "--out", backup, "--database", source_url, env=key)
        assert "PostgreSQL backup" in made.stdout
        assert "postgres:postgres" not in made.stdout  # the password is not printed
        attendance("restore", backup, "--database", target_url, env=key)
        original, copied = postgres_tables(source_url), postgres_tables(target_url)
        assert original.keys() == copied.keys() and "pupil_year_marks" in original
        for table in original:
            if table != "audit_events":  # the copy has one line more: its restore
                assert copied[table] == original[table], table
        assert int(psql(target_url, "SELECT count(*) FROM audit_events WHERE action = 'backup.restored'")) == 1
        refused = attendance("restore", backup, "--database", target_url, env=key, check=False)
        assert refused.returncode != 0 and "is not empty" in refused.stderr
        sqlite_target = attendance("restore", backup, "--database", str(tmp_path / "x.sqlite"), env=key, check=False)
        assert sqlite_target.returncode != 0 and "PostgreSQL backup" in sqlite_target.stderr
    finally:
        drop_database(source)
        drop_database(target)


def get(port, path, token=None, cookie=None):
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def two_ports():
    """Two free ports, and two different ones: each found with its socket still open (two calls of `free_port` one
    after the other may give the same port, and then one server answers for both)."""
    import socket
    sockets = [socket.socket(), socket.socket()]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def serve(url, port, policy, procedure_at):
    """A server on the port; what it logs is kept in `server.log` (a file), for a test to show when it fails."""
    import tempfile
    log = tempfile.NamedTemporaryFile(prefix=f"serve-{port}-", suffix=".log", delete=False)
    server = subprocess.Popen(
        [BIN, "serve", "--port", str(port), "--database", url, "--procedure-at", procedure_at, "--policy", policy],
        stdout=subprocess.DEVNULL, stderr=log)
    server.log = log.name
    deadline = time.time() + 120
    while time.time() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            if get(port, "/ready")[0] == 200:
                return server
        except OSError:
            pass  # not listening yet
        time.sleep(0.3)
    raise AssertionError("the server did not become ready")


@pytest.mark.skipif(POSTGRES is None, reason="TEST_POSTGRES_URL is not set")
def test_two_servers_on_one_postgresql_database_share_saves_and_sessions_and_run_the_day_once(tmp_path):
    name, url = fresh_database()
    servers = []
    try:
        demo_into(url)
        policy = open_policy(tmp_path)
        token = token_for(url)
        added = attendance("users", "add", "--email", "office@example.org", "--role", "attendance_administrator",
                           "--school", SCHOOL, "--database", url).stdout
        password = added.split()[-1]
        rows = psql(url, "SELECT p.registration_group || ' ' || p.upn FROM pupils p JOIN enrolments e ON "
                         "e.pupil_id = p.id JOIN schools s ON s.id = e.school_id WHERE s.laestab = "
                         f"'{SCHOOL}' AND e.on_roll_to IS NULL").splitlines()
        groups = registers(row.split(" ", 1) for row in rows)
        # Both run the procedure from midnight: each reaches the day's run within its first seconds.
        ports = two_ports()
        servers = [serve(url, port, policy, "00:00") for port in ports]
        # Saves alternate between the servers; each reads what the other saved.
        every = [(group, day, half) for day in DAYS[:2] for half in ("am", "pm") for group in sorted(groups)]
        for index, register in enumerate(every):
            assert save(ports[index % 2], token, *register, groups[register[0]]) == 200, register
        for index, (group, day, half) in enumerate(every):
            path = f"/api/registers/{SCHOOL}/{urllib.parse.quote(group)}/{day}/{half}"
            status, body = get(ports[(index + 1) % 2], path, token=token)
            assert status == 200, path
            marks = json.loads(body)["pupils"]
            assert sorted(m["upn"] for m in marks if m.get("code")) == sorted(groups[group]), path
        # A person signed in on one server is signed in on the other (sessions are in the database).
        client = Session(f"http://127.0.0.1:{ports[0]}")
        client.get("/sign-in")
        status, _, _ = client.post("/sign-in", {"email": "office@example.org", "password": password, "next": "/"})
        assert status == 303
        jar = next(h.cookiejar for h in client.opener.handlers if hasattr(h, "cookiejar"))
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        other = Session(f"http://127.0.0.1:{ports[1]}")
        other.opener.addheaders = [("Cookie", cookie)]
        status, headers, _ = other.get("/account")
        # Signed in there too: the account page, or the password change a temporary password asks for first.
        assert status == 200 or (status == 303 and not headers["Location"].startswith("/sign-in")), status
        # The day's run: done once, by one of them, with nothing recorded twice.
        today = datetime.date.today().isoformat()
        deadline = time.time() + 120
        while time.time() < deadline and psql(
                url, f"SELECT count(*) FROM scheduled_runs WHERE work = 'daily_run' AND day = '{today}'") != "1":
            time.sleep(1)
        assert psql(url, f"SELECT count(*) FROM scheduled_runs WHERE day = '{today}'") == "1"
        # Past the other server's next minute, when it asks again and finds the day done.
        time.sleep(65)
        assert psql(url, f"SELECT count(*) FROM scheduled_runs WHERE day = '{today}'") == "1"
        assert psql(url, "SELECT count(*) FROM (SELECT school_id, as_of FROM procedure_runs GROUP BY 1, 2 "
                         "HAVING count(*) > 1) d") == "0"
        assert psql(url, "SELECT count(*) FROM (SELECT school_id, checked_on FROM data_checks GROUP BY 1, 2 "
                         "HAVING count(*) > 1) d") == "0"
        assert psql(url, "SELECT count(*) FROM audit_events WHERE action = 'procedure.recorded'") == psql(
            url, "SELECT count(*) FROM procedure_actions")
        for server in servers:
            assert server.poll() is None
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        drop_database(name)


@pytest.mark.skipif(POSTGRES is None, reason="TEST_POSTGRES_URL is not set")
def test_a_job_whose_server_is_killed_mid_way_is_reported_interrupted_by_the_other(tmp_path):
    name, url = fresh_database()
    servers = []
    try:
        demo_into(url)
        policy = open_policy(tmp_path)
        added = attendance("users", "add", "--email", "office@example.org", "--role", "attendance_administrator",
                           "--school", SCHOOL, "--database", url).stdout
        password = added.split()[-1]
        ports = two_ports()
        servers = [serve(url, port, policy, "00:00") for port in ports]
        # The day's run has put letters in the queue.
        today = datetime.date.today().isoformat()
        deadline = time.time() + 120
        while time.time() < deadline and psql(
                url, f"SELECT count(*) FROM scheduled_runs WHERE work = 'daily_run' AND day = '{today}'") != "1":
            time.sleep(1)
        client = Session(f"http://127.0.0.1:{ports[0]}")
        client.get("/sign-in")
        assert client.post("/sign-in", {"email": "office@example.org", "password": password, "next": "/"})[0] == 303
        client.get("/account/password")
        fresh = "Tq9-vB2-xLm4-Zr7-morning"
        changed = client.post("/account/password", {"current": password, "new": fresh, "confirm": fresh})
        assert changed[0] == 303, re.findall(r"class=\"error\"[^<]*<[^<]*", changed[2])
        client.get(f"/schools/{SCHOOL}/actions")
        # The day's letters are made as a job on the first server, which is killed while it makes them.
        status, headers, _ = client.post(f"/schools/{SCHOOL}/letters/due", {})
        assert status == 303
        job = headers["Location"]
        job_id = job.rstrip("/").split("/")[-1]
        # Killed once it has made some of the letters and not all.
        deadline = time.time() + 60
        while time.time() < deadline:
            state, done, total = psql(url, f"SELECT status, done, total FROM jobs WHERE id = {job_id}").split("|")
            if int(done) >= 1 or state != "running":
                break
            time.sleep(0.05)
        servers[0].kill()
        servers[0].wait(timeout=30)
        state, done, total = psql(url, f"SELECT status, done, total FROM jobs WHERE id = {job_id}").split("|")
        assert state == "running" and 1 <= int(done) < int(total), (state, done, total)
        # Two minutes on (its last sign of life made older, rather than waited for), the other server says so.
        silent = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=3)).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z")
        psql(url, f"UPDATE jobs SET alive_at = '{silent}' WHERE id = {job_id}")
        jar = next(h.cookiejar for h in client.opener.handlers if hasattr(h, "cookiejar"))
        other = Session(f"http://127.0.0.1:{ports[1]}")
        other.opener.addheaders = [("Cookie", "; ".join(f"{c.name}={c.value}" for c in jar))]
        with open(servers[1].log) as log:
            assert servers[1].poll() is None, f"the other server stopped: {log.read()[-3000:]}"
        status, _, page = other.get(job)
        assert status == 200 and "The server stopped while the letters were being made" in page, page[:500]
        assert servers[1].poll() is None
    finally:
        for server in servers:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=30)
        drop_database(name)


def test_json_logs_are_one_object_a_line_and_name_nobody(tmp_path):
    database = str(tmp_path / "logged.sqlite")
    demo_into(database)
    with sqlite3.connect(database) as db:
        upns = [row[0] for row in db.execute("SELECT upn FROM pupils LIMIT 5")]
        names = [row[0] for row in db.execute("SELECT legal_surname FROM pupils LIMIT 5")]
    port = free_port()
    log = open(tmp_path / "server.log", "w")
    server = subprocess.Popen(
        [BIN, "serve", "--port", str(port), "--database", database, "--procedure-at", "00:00"],
        stdout=subprocess.DEVNULL, stderr=log, env={**os.environ, "ATTENDANCE_LOG_FORMAT": "json"})
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if get(port, "/ready")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        client = Session(f"http://127.0.0.1:{port}")
        client.get("/sign-in")
        client.post("/sign-in", {"email": "someone@example.org", "password": "wrong", "next": "/"})
        for upn in upns:
            get(port, f"/pupils/{upn}")
            get(port, f"/api/pupils/{upn}/summary", token="not-a-token")
        get(port, "/no-such-page")
        time.sleep(2)  # the day's run logs its lines
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    lines = open(tmp_path / "server.log").read().splitlines()
    assert len(lines) >= 3
    for line in lines:
        entry = json.loads(line)
        assert {"time", "level", "label", "message"} <= entry.keys(), line
        assert "@" not in line and not any(upn in line for upn in upns) and not any(n in line for n in names), line
    assert any("procedure ran for" in json.loads(line)["message"] for line in lines)
    bad = attendance("serve", "--database", database, env={"ATTENDANCE_LOG_FORMAT": "xml"}, check=False)
    assert bad.returncode != 0 and "ATTENDANCE_LOG_FORMAT: 'xml' is not text or json" in bad.stderr


def test_the_retention_dry_run_lists_and_removes_nothing(tmp_path):
    database = str(tmp_path / "kept.sqlite")
    demo_into(database)
    with sqlite3.connect(database) as db:
        before = db.execute("SELECT count(*) FROM pupil_year_marks").fetchone()[0]
    now = attendance("retention", "--database", database).stdout
    assert "a dry run: nothing is removed" in now
    assert all(line.endswith("nothing due") for line in now.splitlines()[1:]), now
    later = json.loads(attendance("retention", "--database", database, "--as-of", "2035-01-01", "--format",
                                  "json").stdout)
    registers = next(line for line in later if line["record"] == "registers")
    assert int(registers["rows_due"]) >= before and registers["kept_from"] == "2031/32"
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM pupil_year_marks").fetchone()[0] == before
        assert db.execute("SELECT count(*) FROM audit_events WHERE action = 'retention.dry_run'").fetchone()[0] == 2
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"keep_school_years_after": {
        "registers": 2, "procedure_actions": 6, "letters": 6, "esw_cases": 6, "penalty_cases": 6, "audit_trail": 6}}))
    refused = attendance("retention", "--database", database, "--rules", str(rules), check=False)
    assert refused.returncode != 0 and "registers: kept at least 3 school years after its own" in refused.stderr


def test_a_retention_run_removes_exactly_what_the_dry_run_listed(tmp_path):
    database = str(tmp_path / "cut.sqlite")
    demo_into(database)
    listed = json.loads(attendance("retention", "--database", database, "--as-of", "2035-01-01", "--format",
                                   "json").stdout)
    total = sum(int(line["rows_due"]) for line in listed)
    text = attendance("retention", "--database", database, "--as-of", "2035-01-01").stdout
    assert f"--remove --expecting {total}" in text
    # Without the dry run's number, or with another, nothing is removed.
    missing = attendance("retention", "--database", database, "--as-of", "2035-01-01", "--remove", check=False)
    assert missing.returncode != 0 and "--remove needs --expecting" in missing.stderr
    wrong = attendance("retention", "--database", database, "--as-of", "2035-01-01", "--remove", "--expecting",
                       str(total - 1), check=False)
    assert wrong.returncode != 0 and f"the dry run listed {total - 1} rows due" in wrong.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM pupil_year_marks").fetchone()[0] > 0
    # The dry runs' own audit lines are kept (retention's record of itself), so the number read stands.
    removed = attendance("retention", "--database", database, "--as-of", "2035-01-01", "--remove", "--expecting",
                         str(total), "--format", "json").stdout
    assert sum(int(line["rows_due"]) for line in json.loads(removed)) == total
    with sqlite3.connect(database) as db:
        for table in ["pupil_year_marks", "pupil_year_recordings", "mark_amendments", "mark_details"]:
            assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
        run = db.execute("SELECT run_by, finished_at, removed FROM retention_runs").fetchall()
        assert len(run) == 1 and run[0][1] is not None and json.loads(run[0][2])["registers"] > 0
        actions = [row[0] for row in db.execute("SELECT action FROM audit_events ORDER BY id")]
        assert actions == ["retention.dry_run"] * 2 + ["retention.removed"], actions
        # The exception ended with the run: the audit trail is append-only again.
        try:
            db.execute("DELETE FROM audit_events")
            raise AssertionError("the audit trail took a deletion after the run")
        except sqlite3.DatabaseError as error:
            assert "append-only" in str(error)

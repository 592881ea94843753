"""A server saving registers under load is killed with SIGKILL and restarted, five times: every save it
acknowledged is in the database afterwards, and no register is half-written (SQLite's group commit answers a save
only after its batch has committed)."""

import datetime
import json
import queue
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request

import record
from test_cli import BIN, demo_into, free_port, run

SCHOOL = "6654001"
DAYS = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-30"]


def open_policy(folder):
    """The shipped policy with registers locking a few school days after today rather than one after their week
    (DOMAIN.md section 8): the saves are new registers of the days in DAYS, not changes after a lock."""
    policy = json.loads(run("procedure", "policy").stdout)
    day, weekdays = datetime.date.fromisoformat(DAYS[0]), 0
    while day <= datetime.date.today() + datetime.timedelta(days=7):
        weekdays += day.weekday() < 5
        day += datetime.timedelta(days=1)
    policy["casework"]["register_lock_grace_school_days"] = min(190, weekdays)
    path = str(folder / "policy.json")
    with open(path, "w") as f:
        json.dump(policy, f)
    return path


def start(database, port, policy):
    server = subprocess.Popen(
        [BIN, "serve", "--port", str(port), "--database", database, "--procedure-at", "off", "--policy", policy],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            assert server.poll() is None, "the server stopped"
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def save(port, token, group, day, half, upns):
    code = "/" if half == "am" else "\\"
    body = json.dumps({"marks": [{"upn": upn, "code": code} for upn in upns]}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/registers/{SCHOOL}/{urllib.request.quote(group)}/{day}/{half}", data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None  # the server died before it answered: not acknowledged


def test_every_acknowledged_save_survives_kill_9(tmp_path):
    database = str(tmp_path / "durable.sqlite")
    demo_into(database)
    policy = open_policy(tmp_path)
    run("users", "add", "--email", "saver@example.org", "--role", "attendance_administrator", "--school", SCHOOL,
        "--database", database)
    token = run("users", "token", "--email", "saver@example.org", "--database", database).stdout.strip().split()[-1]
    with record.connect(database) as db:
        rows = db.execute(
            "SELECT p.registration_group, p.upn FROM pupils p JOIN enrolments e ON e.pupil_id = p.id "
            "JOIN schools s ON s.id = e.school_id WHERE s.laestab = ? AND e.on_roll_to IS NULL", (SCHOOL,)).fetchall()
        assert db.execute("SELECT count(*) FROM marks WHERE date >= ?", (DAYS[0],)).fetchone()[0] == 0
    groups = {}
    for group, upn in rows:
        groups.setdefault(group, []).append(upn)
    every = [(group, day, half) for day in DAYS for half in ("am", "pm") for group in sorted(groups)]
    rounds = [every[i::5] for i in range(5)]  # twelve registers a round
    acknowledged, tried, refused = [], [], []
    lock = threading.Lock()
    port = free_port()
    for registers in rounds:
        server = start(database, port, policy)
        waiting = queue.Queue()
        for register in registers:
            waiting.put(register)
        saved = threading.Semaphore(0)

        def client():
            while True:
                try:
                    register = waiting.get_nowait()
                except queue.Empty:
                    return
                with lock:
                    tried.append(register)
                status = save(port, token, *register, groups[register[0]])
                if status == 200:
                    with lock:
                        acknowledged.append(register)
                    saved.release()
                elif status is not None:
                    with lock:
                        refused.append((register, status))

        clients = [threading.Thread(target=client) for _ in range(6)]
        for thread in clients:
            thread.start()
        # Half the round's registers saved, the rest in flight or waiting: kill.
        for _ in range(len(registers) // 2):
            saved.acquire(timeout=30)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        for thread in clients:
            thread.join(timeout=60)
    # A save is answered 200 or not at all (the server died first): a refusal means the test's registers are not
    # open to new marks (a lock), and the kills would test nothing.
    assert refused == [], f"saves refused: {refused[:3]}"
    assert len(acknowledged) >= 10, "the server should have saved registers between the kills"
    assert len(tried) > len(acknowledged), "some saves should have been in flight at a kill"
    server = start(database, port, policy)  # the last start recovers the WAL as any would
    server.terminate()
    server.wait(timeout=30)
    with record.connect(database) as db:
        def marks(group, day, half):
            return db.execute(
                "SELECT count(*) FROM marks m JOIN pupils p ON p.id = m.pupil_id "
                "WHERE p.registration_group = ? AND m.date = ? AND m.session = ?", (group, day, half.upper())).fetchone()[0]
        # Every mark names who recorded it: a code without its recorder would be a save half-written.
        assert db.execute("SELECT count(*) FROM marks WHERE recorded_by IS NULL").fetchone()[0] == 0
        for register in acknowledged:
            assert marks(*register) == len(groups[register[0]]), f"acknowledged save {register} lost"
        for register in tried:
            assert marks(*register) in (0, len(groups[register[0]])), f"save {register} half-written"

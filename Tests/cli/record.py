"""The register as the database records it, read without the program's own reading code.

The record is one year string per pupil per school year (`pupil_year_marks.marks`): one byte a session, morning
then afternoon, for every day from 1 September, holding the code's number from the code table (0 for no mark).
Who recorded each mark is a second string (`pupil_year_recordings.recordings`): four bytes a session, least
significant first, naming a row of `register_recordings` (school, who, when). `connect` decodes both into a
temporary table `marks (pupil_id, school_id, date, session, code, recorded_by, recorded_at)` (the last three NULL
for a mark whose recorder is missing), so a test can count the marks with SQL of its own.
"""
import datetime
import functools
import json
import os
import sqlite3
import subprocess

BIN = os.environ.get("ATTENDANCE_BIN", os.path.join(os.path.dirname(__file__), "../../.build/debug/attendance"))


@functools.lru_cache(maxsize=None)
def code_letters():
    """The code table's numbers and codes, as `attendance codes --format json` prints the table in use."""
    table = json.loads(subprocess.run([BIN, "codes", "--format", "json"], capture_output=True, text=True,
                                      check=True, timeout=60).stdout)
    return {code["id"]: code["code"] for code in table["codes"]}


def connect(database):
    """A connection to the database with its marks decoded into the temporary table `marks`."""
    db = sqlite3.connect(database)
    letters = code_letters()
    recorders = {row[0]: row[1:] for row in db.execute(
        "SELECT id, school_id, recorded_by, recorded_at FROM register_recordings")}
    numbers = {(pupil_id, year): blob for pupil_id, year, blob in db.execute(
        "SELECT pupil_id, academic_year, recordings FROM pupil_year_recordings")}
    rows = []
    for pupil_id, year, blob in db.execute("SELECT pupil_id, academic_year, marks FROM pupil_year_marks"):
        first = datetime.date(year, 9, 1)
        who = numbers.get((pupil_id, year), b"")
        for slot, number in enumerate(blob):
            if number:
                day = (first + datetime.timedelta(days=slot // 2)).isoformat()
                recorder = recorders.get(int.from_bytes(who[slot * 4:slot * 4 + 4], "little"), (None, None, None))
                rows.append((pupil_id, recorder[0], day, "AM" if slot % 2 == 0 else "PM", letters[number],
                             recorder[1], recorder[2]))
    db.execute("CREATE TEMP TABLE marks (pupil_id INTEGER, school_id INTEGER, date TEXT, session TEXT, code TEXT, "
               "recorded_by TEXT, recorded_at TEXT)")
    db.executemany("INSERT INTO marks VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return db

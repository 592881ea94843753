#!/usr/bin/env python3
"""The write side of register saves on a kept bench database, to see what SQLite's checkpoints do to a commit's time.

Usage: wal-checkpoint-model.py DATABASE auto|hybrid  (a database kept by `attendance bench --keep`; it is changed)

Thirty consecutive pupils' year strings rewritten and an audit row added, one transaction each, 200 a second for 30 s,
with synchronous=FULL in WAL mode. `auto`: SQLite's own checkpoint at 1,000 pages, in the commit that crosses them
(as the server does). `hybrid`: the same, and a passive checkpoint from another connection every 200 ms (as the
`WALCheckpointer` tried in issue 39 did after batches of saves, commit 3d8ba7e, since taken out; see BENCHMARKS.md).
Prints each commit's p50, p99 and maximum.
"""
import random
import sqlite3
import sys
import threading
import time

if len(sys.argv) != 3 or sys.argv[2] not in ("auto", "hybrid"):
    sys.exit("usage: wal-checkpoint-model.py DATABASE auto|hybrid")
path, mode = sys.argv[1], sys.argv[2]
writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
writer.execute("PRAGMA journal_mode=WAL")
writer.execute("PRAGMA synchronous=FULL")
year = writer.execute("SELECT max(academic_year) FROM pupil_year_marks").fetchone()[0]
pupils = [row[0] for row in writer.execute(
    "SELECT pupil_id FROM pupil_year_marks WHERE academic_year = ? ORDER BY pupil_id", (year,))]
stopping = False
checkpoints = []


def checkpointer():
    own = sqlite3.connect(path, isolation_level=None)
    while not stopping:
        time.sleep(0.2)
        start = time.perf_counter()
        own.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        checkpoints.append(time.perf_counter() - start)


if mode == "hybrid":
    threading.Thread(target=checkpointer, daemon=True).start()
random.seed(1)
times = []
end = time.time() + 30
due = time.perf_counter()
while time.time() < end:
    first = random.randrange(0, len(pupils) - 30)
    start = time.perf_counter()
    writer.execute("BEGIN IMMEDIATE")
    for pupil in pupils[first:first + 30]:
        writer.execute(
            "UPDATE pupil_year_marks SET marks = randomblob(length(marks)) WHERE pupil_id = ? AND academic_year = ?",
            (pupil, year))
    writer.execute(
        "INSERT INTO audit_events (at, actor, action, subject) SELECT at, actor, action, subject FROM audit_events LIMIT 1")
    writer.execute("COMMIT")
    times.append(time.perf_counter() - start)
    due += 1 / 200
    time.sleep(max(0, due - time.perf_counter()))
stopping = True
times.sort()
n = len(times)
print(f"{mode}: {n} commits, p50 {times[n // 2] * 1e3:.1f} ms, p99 {times[int(n * 0.99)] * 1e3:.1f} ms, "
      f"max {times[-1] * 1e3:.1f} ms" + (f"; {len(checkpoints)} checkpoints, longest {max(checkpoints) * 1e3:.1f} ms"
                                        if checkpoints else ""))

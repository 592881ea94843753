"""schemathesis against /openapi.json on a demo server, with a token for each of three roles (head, parent, governor).

Fails on any 5xx or any answer the document does not describe (status, content type, body). Each role runs twice:
once with the path parameters fixed to the demo's own school, pupil and form (so that calls reach the handlers),
once with them generated freely (malformed and unknown values). Bounded: 25 examples an operation and a time
budget a run, at most four minutes in all.

Usage: python3 Tests/api/run_schemathesis.py [path to the attendance binary]
"""

import datetime
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

BINARY = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/attendance"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
SECONDS_PER_RUN = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    folder = tempfile.mkdtemp(prefix="attendance-st-")
    database = os.path.join(folder, "demo.sqlite")
    subprocess.run([BINARY, "demo", "--database", database], check=True, stdout=subprocess.DEVNULL)
    users = subprocess.run(
        [BINARY, "users", "list", "--database", database], check=True, capture_output=True, text=True
    ).stdout
    laestab = re.search(r"head_teacher at (\d{7})", users).group(1)
    child = re.search(r"parent of ([A-Z0-9]{13})", users).group(1)
    group = re.search(r"form_tutor at \d{7} \(groups ([^,)]+)", users).group(1)
    tokens = {}
    for role in ["head", "parent", "governor"]:
        made = subprocess.run(
            [BINARY, "users", "token", "--email", f"{role}@demo.example", "--database", database],
            check=True, capture_output=True, text=True,
        ).stdout
        tokens[role] = re.search(r"att_[A-Za-z0-9_-]+", made).group(0)
    port = free_port()
    log = open(os.path.join(folder, "serve.log"), "w")
    server = subprocess.Popen(
        [BINARY, "serve", "--port", str(port), "--database", database], stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    failed = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        fixed = os.path.join(folder, "fixed.toml")
        with open(fixed, "w") as config:
            config.write(
                "[parameters]\n"
                f'"path.laestab" = "{laestab}"\n"path.upn" = "{child}"\n"path.group" = "{group}"\n'
                f'"path.date" = "{datetime.date.today().isoformat()}"\n"path.session" = "AM"\n'
            )
        empty = os.path.join(folder, "free.toml")
        open(empty, "w").close()
        started = time.monotonic()
        for role, token in tokens.items():
            for name, config in [("fixed", fixed), ("free", empty)]:
                run = subprocess.run(
                    [
                        sys.executable, "-m", "schemathesis.cli", "--config-file", config, "--no-color", "run", base + "/openapi.json",
                        "-H", f"Authorization: Bearer {token}", "--max-examples", "25", "--checks", CHECKS,
                        "--max-time", str(SECONDS_PER_RUN), "--seed", "30",
                        "--generation-database", "none",
                    ],
                    capture_output=True, text=True,
                )
                summary = [line for line in run.stdout.splitlines() if "generated" in line or "passed" in line]
                print(f"schemathesis {role} ({name} paths): exit {run.returncode}; {' '.join(summary[-1:])}")
                if run.returncode != 0:
                    failed.append(f"{role} ({name})")
                    print(run.stdout[-6000:])
        print(f"schemathesis: {time.monotonic() - started:.0f} s in all")
        server.poll()
        if server.returncode is not None:
            failed.append("the server stopped")
        else:
            urllib.request.urlopen(base + "/health", timeout=5)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if failed:
        print("schemathesis failed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

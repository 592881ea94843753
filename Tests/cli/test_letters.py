"""Letters and messages end to end: a real SMTP server (aiosmtpd) receives the emailed letter with its PDF,
byte for byte the copy kept on the pupil's record; a send to a server that is not there is recorded as failed
and retried until it goes; and text messages reach a local test double of GOV.UK Notify's documented API.
"""

import base64
import email
import email.policy
import hashlib
import hmac
import json
import sqlite3
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from aiosmtpd.controller import Controller

from test_cli import free_port, run

TODAY = "2026-11-25"
SCHOOL = "6654001"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def letters_db(tmp_path):
    path = str(tmp_path / "letters.sqlite")
    run("demo", "--database", path, "--schools", "1", "--pupils-per-school", "40", "--until", TODAY, "--seed", "5")
    run("procedure", "run", "--database", path, "--as-of", TODAY)
    with sqlite3.connect(path) as db:
        # Every contact gets an email address, so letters go by email.
        db.execute("UPDATE contacts SET email = 'parent' || id || '@example.org'")
    return path


def smtp_env(port):
    return {"ATTENDANCE_SMTP_HOST": "127.0.0.1", "ATTENDANCE_SMTP_PORT": str(port),
            "ATTENDANCE_SMTP_SECURITY": "none", "ATTENDANCE_SMTP_FROM": "presenoldeb@ysgol.example"}


def run_with(env, *args):
    import os
    import subprocess
    from test_cli import BIN
    result = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=600, env={**os.environ, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout


def kept_pdf(database, letter_id, tmp_path):
    out = tmp_path / f"kept-{letter_id}.pdf"
    run("letters", "show", str(letter_id), "--database", database, "--pdf", str(out))
    return out.read_bytes()


def test_an_emailed_letter_arrives_with_the_kept_pdf_byte_for_byte(letters_db, tmp_path):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        output = run_with(smtp_env(controller.port), "letters", "due", "--database", letters_db,
                          "--school", SCHOOL, "--as-of", TODAY)
        assert "by email" in output
        with sqlite3.connect(letters_db) as db:
            letters = db.execute("SELECT id, recipient_email, languages FROM letters WHERE channel = 'email'").fetchall()
            statuses = {row[0] for row in db.execute("SELECT status FROM deliveries")}
        assert letters and statuses == {"sent"}
        assert len(inbox.messages) == len(letters)
        sent = {}
        for recipients, content in inbox.messages:
            message = email.message_from_bytes(content, policy=email.policy.default)
            attachments = list(message.iter_attachments())
            assert len(attachments) == 1 and attachments[0].get_content_type() == "application/pdf"
            sent[attachments[0].get_content()] = (recipients, message.get_body(("plain",)).get_content())
        for letter_id, address, languages in letters:
            # The copy on the record is exactly what went: the same bytes, to that letter's recipient.
            recipients, text = sent[kept_pdf(letters_db, letter_id, tmp_path)]
            assert recipients == [address]
            assert text.startswith("Mae llythyr gan" if languages.startswith("cy") else "Please find attached")
    finally:
        controller.stop()


def test_a_send_to_an_unreachable_server_is_recorded_failed_and_retried(letters_db, tmp_path):
    port = free_port()  # nothing listens here yet
    output = run_with(smtp_env(port), "letters", "produce", "letter_1", "--database", letters_db,
                      "--school", SCHOOL, "--upn", first_upn(letters_db), "--as-of", TODAY)
    letter_id = int(output.split()[1].rstrip(","))
    with sqlite3.connect(letters_db) as db:
        status, attempts, error = db.execute(
            "SELECT status, attempts, last_error FROM deliveries WHERE letter_id = ?", (letter_id,)).fetchone()
        logged = db.execute("SELECT count(*) FROM delivery_attempts").fetchone()[0]
    assert (status, attempts, logged) == ("failed", 1, 1)
    assert "could not connect" in error
    listing = run("letters", "list", "--database", letters_db, "--upn", first_upn(letters_db)).stdout
    assert "failed after 1 attempt" in listing
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        output = run_with(smtp_env(port), "letters", "send", "--retry-now", "--database", letters_db)
        assert output.startswith("1 sent")
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    with sqlite3.connect(letters_db) as db:
        status, attempts = db.execute(
            "SELECT status, attempts FROM deliveries WHERE letter_id = ?", (letter_id,)).fetchone()
    assert (status, attempts) == ("sent", 2)


def first_upn(database):
    """The first pupil with a contact who is still on the school's roll (a school writes only to its own) and has
    reached Letter 1's line (a letter says only what the record shows)."""
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT p.upn FROM pupils p JOIN contacts c ON c.pupil_id = p.id JOIN enrolments e ON e.pupil_id = p.id "
            "JOIN procedure_actions a ON a.pupil_id = p.id AND a.action = 'letter_1' "
            "WHERE e.on_roll_to IS NULL OR e.on_roll_to >= ? ORDER BY p.upn LIMIT 1", (TODAY,)).fetchone()[0]


SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"attendance_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.uuid4())


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class NotifyDouble(BaseHTTPRequestHandler):
    """GOV.UK Notify's POST /v2/notifications/sms as documented: a JWT (HS256, iss = service id, iat within
    30 seconds) in a bearer header, a JSON body with phone_number, template_id and personalisation; 201 with the
    notification's id, or 400/403 with {"status_code", "errors": [{"error", "message"}]}."""

    received = []

    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        import time
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path != "/v2/notifications/sms":
            return self.reply(404, {"status_code": 404, "errors": [{"error": "NotFound", "message": "no route"}]})
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        try:
            header, payload, signature = token.split(".")
            expected = hmac.new(SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
            claims = json.loads(b64url_decode(payload))
            assert json.loads(b64url_decode(header))["alg"] == "HS256"
            assert hmac.compare_digest(expected, b64url_decode(signature))
            assert claims["iss"] == SERVICE_ID and abs(claims["iat"] - time.time()) <= 30
        except Exception:
            return self.reply(403, {"status_code": 403, "errors": [
                {"error": "AuthError", "message": "Invalid token: signature, api token is not valid"}]})
        if body.get("template_id") != TEMPLATE_ID or not body.get("phone_number") or \
                "message" not in body.get("personalisation", {}):
            return self.reply(400, {"status_code": 400, "errors": [
                {"error": "BadRequestError", "message": "Missing personalisation: message"}]})
        NotifyDouble.received.append(body)
        self.reply(201, {"id": str(uuid.uuid4()), "reference": body.get("reference"),
                         "content": {"body": body["personalisation"]["message"], "from_number": "GOVUK"},
                         "template": {"id": TEMPLATE_ID, "version": 1, "uri": "https://example/template"}})


def test_first_day_texts_reach_notify_in_each_contacts_language(letters_db, tmp_path):
    with sqlite3.connect(letters_db) as db:
        pupils = db.execute(
            "SELECT DISTINCT p.id, p.upn FROM pupils p JOIN contacts c ON c.pupil_id = p.id "
            "JOIN enrolments e ON e.pupil_id = p.id AND e.on_roll_to IS NULL LIMIT 3").fetchall()
        for pupil_id, _ in pupils:
            db.execute("UPDATE contacts SET mobile = '07700900123', language = 'cy' WHERE pupil_id = ?", (pupil_id,))
    # Each is marked absent with no reason yet on the morning of the 26th.
    absent = tmp_path / "absent.csv"
    absent.write_text("upn,date,session,code,minutes_late\n" + "".join(f"{upn},2026-11-26,AM,N,\n" for _, upn in pupils))
    run("import", "marks", str(absent), "--database", letters_db)
    server = HTTPServer(("127.0.0.1", 0), NotifyDouble)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    NotifyDouble.received = []
    env = {"ATTENDANCE_NOTIFY_API_KEY": API_KEY, "ATTENDANCE_NOTIFY_TEMPLATE_ID": TEMPLATE_ID,
           "ATTENDANCE_NOTIFY_URL": f"http://127.0.0.1:{server.server_port}"}
    try:
        output = run_with(env, "letters", "first-day", "--database", letters_db, "--school", SCHOOL,
                          "--as-of", "2026-11-26")
        assert output.startswith(f"{len(pupils)} messages queued; {len(pupils)} sent")
        assert len(NotifyDouble.received) == len(pupils)
        assert all(m["personalisation"]["message"].count("nid yw") == 1 for m in NotifyDouble.received)
        # A second run the same day sends nothing twice.
        assert run_with(env, "letters", "first-day", "--database", letters_db, "--school", SCHOOL,
                        "--as-of", "2026-11-26").startswith("0 messages queued")
        # A wrong key is refused by Notify: recorded as failed, with Notify's reason.
        bad = {**env, "ATTENDANCE_NOTIFY_API_KEY": f"attendance_test-{SERVICE_ID}-{uuid.uuid4()}"}
        with sqlite3.connect(letters_db) as db:
            db.execute("UPDATE deliveries SET status = 'failed', next_attempt_at = '2000-01-01T00:00:00.000Z'")
        output = run_with(bad, "letters", "send", "--database", letters_db)
        assert output.startswith(f"0 sent, {len(pupils)} failed")
        with sqlite3.connect(letters_db) as db:
            errors = {row[0] for row in db.execute("SELECT last_error FROM deliveries")}
        assert any("403" in e and "AuthError" in e for e in errors)
    finally:
        server.shutdown()

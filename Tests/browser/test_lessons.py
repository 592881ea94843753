"""Lesson registers in Chromium at tablet size (issue 38).

A demo server runs as if at 11:40 on Monday 23 November (`--demo-at`), so period 3 (11:10–12:00) is open. The office
takes the morning register of the teacher's form (all present); the teacher takes their period 3 register on a
tablet, one pupil absent who was present at registration; the office sees that pupil on the same-day check within a
minute and records "found on site". The session's mark stays the register's.
"""

import subprocess
import time
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from test_browser import BIN, axe_problems, browser, free_port, record, shot, sign_in  # noqa: F401

DAY = "2026-11-23"
SCHOOL = "6654001"


@pytest.fixture(scope="module")
def lesson_server(tmp_path_factory):
    database = str(tmp_path_factory.mktemp("lessons") / "demo.sqlite")
    subprocess.run(
        [BIN, "demo", "--database", database, "--schools", "3", "--pupils-per-school", "90", "--until", DAY],
        check=True, capture_output=True, timeout=600)
    port = free_port()
    process = subprocess.Popen(
        [BIN, "serve", "--demo", "--demo-at", DAY + "T11:40", "--port", str(port), "--database", database],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    yield base, database
    process.terminate()
    process.wait(timeout=30)


def teachers_period_three(database):
    """The demo teacher's class in period 3 on a Monday (day 1 of the demo's one-week cycle)."""
    with record.connect(database) as db:
        return db.execute(
            "SELECT class_name FROM timetable_lessons WHERE teacher = 'teacher@demo.example' AND cycle_day = 1 "
            "AND period = 3").fetchone()[0]


def test_a_teacher_takes_period_three_and_the_office_finds_the_pupil_on_the_same_day_check(lesson_server, browser):
    base, database = lesson_server
    class_name = teachers_period_three(database)
    form = class_name.split("/")[0]
    browser.set_window_size(768, 1024)
    try:
        # The morning register: everyone present.
        sign_in(browser, base, "office@demo.example")
        browser.get(f"{base}/registers/{SCHOOL}/{form}/{DAY}/AM")
        browser.find_element(By.ID, "all-present").click()
        browser.find_element(By.ID, "save-register").click()
        WebDriverWait(browser, 10).until(lambda d: "saved=" in d.current_url)

        # The teacher's lessons of the day, and period 3's register.
        sign_in(browser, base, "teacher@demo.example")
        browser.find_element(By.LINK_TEXT, "Lessons").click()
        lesson = next(item for item in browser.find_elements(By.CSS_SELECTOR, "ul.registers > li")
                      if class_name in item.text)
        assert "Open now" in lesson.text
        lesson.find_element(By.LINK_TEXT, "Take the register").click()
        assert class_name in browser.find_element(By.TAG_NAME, "h1").text
        assert axe_problems(browser) == []
        browser.find_element(By.ID, "all-present").click()
        rows = browser.find_elements(By.CSS_SELECTOR, "table.register tbody tr")
        assert len(rows) >= 15
        away = rows[1].get_attribute("id").removeprefix("row-")
        name = rows[1].find_element(By.CSS_SELECTOR, ".name").text
        browser.find_element(By.CSS_SELECTOR, f"input[name='mark-{away}'][value='absent']").click()
        shot(browser, "lesson-register-tablet")
        browser.find_element(By.ID, "save-lesson").click()
        WebDriverWait(browser, 10).until(lambda d: "saved=" in d.current_url)
        saved_at = time.time()
        assert "The lesson register is saved." in browser.find_element(By.TAG_NAME, "main").text

        # The office's same-day check, from its menu.
        sign_in(browser, base, "office@demo.example")
        browser.find_element(By.LINK_TEXT, "Same-day check").click()
        entry = browser.find_element(By.ID, f"same-day-{away}")
        assert time.time() - saved_at < 60
        surname, forename = name.split(", ")
        assert f"{forename} {surname}" in entry.text and "Period 3" in entry.text and "Huw Jenkins" in entry.text
        assert axe_problems(browser) == []
        entry.find_element(By.CSS_SELECTOR, "input[value='found_on_site']").click()
        entry.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
        WebDriverWait(browser, 10).until(lambda d: "recorded=" in d.current_url)
        entry = browser.find_element(By.ID, f"same-day-{away}")
        assert "Found on site, recorded by Carys Ellis" in entry.text
        shot(browser, "same-day-check")

        with record.connect(database) as db:
            lesson_codes = dict(db.execute(
                "SELECT p.upn, m.code FROM lesson_marks m JOIN lesson_registers r ON r.id = m.lesson_register_id "
                "JOIN pupils p ON p.id = m.pupil_id WHERE r.date = ? AND r.class_name = ?",
                (DAY, class_name)).fetchall())
            session = db.execute(
                "SELECT m.code FROM marks m JOIN pupils p ON p.id = m.pupil_id "
                "WHERE p.upn = ? AND m.date = ? AND m.session = 'AM'", (away, DAY)).fetchone()
            found = db.execute(
                "SELECT s.outcome, s.recorded_by FROM same_day_checks s JOIN pupils p ON p.id = s.pupil_id "
                "WHERE p.upn = ?", (away,)).fetchall()
        assert lesson_codes[away] == "N" and sum(1 for c in lesson_codes.values() if c == "/") == len(rows) - 1
        assert session == ("/",)  # the lesson never wrote the session's mark
        assert found == [("found_on_site", "office@demo.example")]
    finally:
        browser.set_window_size(1024, 900)

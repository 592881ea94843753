"""A register taken in Chromium while the server cannot be reached (issue 37).

The server is stopped, not the page's network emulated: `Network.emulateNetworkConditions` on the page alone does not
take its service worker offline, and a stopped server is what a dropped school wifi looks like from the tablet. The
tutor opens a register, loses the server, marks and saves it, reloads it (from the service worker's copy), and sees
it "saved on this device, not yet sent"; the server comes back and the save is sent once, with the time it was made
on the device beside the time the server received it. Signing out leaves nothing of the register on the device. A
held save that meets someone's change made meanwhile shows it as a conflict, as a save online does.
"""

import json
import os
import subprocess
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

from test_browser import BIN, free_port, record, sign_in, tutor_group
from test_durability import open_policy

DAY = "2026-11-23"


def start(database, policy_file, port):
    process = subprocess.Popen(
        [BIN, "serve", "--demo", "--port", str(port), "--database", database, "--policy", policy_file],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)
            return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("the server did not start")


def stop(process):
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("offline")
    database = str(folder / "demo.sqlite")
    subprocess.run(
        [BIN, "demo", "--database", database, "--schools", "1", "--pupils-per-school", "60", "--until", "2026-11-20"],
        check=True, capture_output=True, timeout=600)
    # The command-line tests' policy: the week of 23 November stays open until after today.
    policy_file = open_policy(folder)
    port = free_port()
    holder = {"process": start(database, policy_file, port)}
    yield f"http://127.0.0.1:{port}", database, lambda: stop(holder["process"]), \
        lambda: holder.update(process=start(database, policy_file, port))
    if holder["process"].poll() is None:
        stop(holder["process"])


@pytest.fixture(scope="module")
def tablet():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=820,1180"]:
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


def kept_by_the_worker(driver):
    """Whether the page is controlled by the service worker and its copy of the page is kept."""
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "if (!navigator.serviceWorker.controller) { done(false); return; }"
        "caches.match(location.href).then(function (kept) { done(Boolean(kept)); }, function () { done(false); });")


def open_kept(driver, register):
    """Opens a register and waits until the service worker serves it and keeps its copy (the worker takes the page
    over once installed; the register is kept from the next load it serves)."""
    driver.get(register)
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return Boolean(navigator.serviceWorker.controller)") or d.refresh())
    driver.refresh()
    WebDriverWait(driver, 20).until(kept_by_the_worker)


def settled(driver, seconds):
    """A wait that reads the page while the worker may be replacing it: an element read as its page goes (stale,
    or no longer in the document) is read again rather than failing the test."""
    return WebDriverWait(driver, seconds, ignored_exceptions=(WebDriverException,))


def status(driver):
    element = driver.find_element(By.ID, "device-saves")
    return element.text if element.is_displayed() else ""


def held(driver):
    return driver.execute_script("return JSON.parse(localStorage.getItem('attendance-unsent-saves') || '[]');")


def test_a_register_taken_without_the_server_is_kept_on_the_tablet_and_sent_once_when_it_returns(site, tablet):
    base, database, stop_server, start_server = site
    group = tutor_group(database)
    register = base + f"/registers/6654001/{group}/{DAY}/AM"
    sign_in(tablet, base, "tutor@demo.example")
    open_kept(tablet, register)
    rows = tablet.find_elements(By.CSS_SELECTOR, "table.register tbody tr")
    upns = [row.get_attribute("id").removeprefix("row-") for row in rows]
    assert len(upns) >= 5

    stop_server()
    tablet.find_element(By.CSS_SELECTOR, f"label:has(input[name='mark-{upns[0]}'][value='absent'])").click()
    tablet.find_element(By.ID, "all-present").click()
    before = time.time()
    tablet.find_element(By.ID, "save-register").click()
    settled(tablet, 10).until(lambda d: "not yet sent" in status(d))
    assert len(held(tablet)) == 1 and tablet.current_url == register
    # Reloaded without the server: the worker's copy of the register, and the save still waiting on the device.
    tablet.refresh()
    assert tablet.find_elements(By.CSS_SELECTOR, "table.register tbody tr")
    settled(tablet, 5).until(lambda d: "not yet sent" in status(d))
    with record.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM marks WHERE date = ?", (DAY,)).fetchone()[0] == 0

    time.sleep(2)  # the device's time for the marks is before the server's time for receiving them
    start_server()
    settled(tablet, 40).until(lambda d: d.find_element(By.ID, "device-saves").text.startswith("Sent"))
    assert held(tablet) == []
    with record.connect(database) as db:
        codes = dict(db.execute(
            "SELECT p.upn, m.code FROM marks m JOIN pupils p ON p.id = m.pupil_id WHERE m.date = ? AND m.session = 'AM'"
            " AND p.registration_group = ?", (DAY, group)).fetchall())
        recordings = db.execute(
            "SELECT recorded_by, recorded_at, made_at FROM register_recordings WHERE made_at IS NOT NULL").fetchall()
        keys = db.execute("SELECT COUNT(*) FROM register_saves").fetchone()[0]
    assert codes[upns[0]] == "N" and all(codes[u] == "/" for u in upns[1:]) and len(codes) == len(upns)
    assert keys == 1 and len(recordings) == 1
    who, received, made = recordings[0]
    assert who == "tutor@demo.example" and made < received
    made_seconds = time.mktime(time.strptime(made[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
    assert abs(made_seconds - before) < 30

    # Signing out on the shared tablet: nothing of the register is left on it (the sign-in page's worker keeps the
    # site's styles and scripts again, and nothing else).
    tablet.find_element(By.CSS_SELECTOR, "form.sign-out button").click()
    WebDriverWait(tablet, 10).until(lambda d: "/sign-in" in d.current_url)
    left = tablet.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "caches.keys().then(function (names) {"
        "  return Promise.all(names.map(function (name) { return caches.open(name).then(function (c) { return c.keys(); }); }));"
        "}).then(function (lists) {"
        "  var urls = [].concat.apply([], lists).map(function (r) { return new URL(r.url).pathname; });"
        "  done({kept: urls.sort(), stored: localStorage.length});"
        "});")
    assert left["stored"] == 0
    assert set(left["kept"]) <= {"/styles.css", "/register.js", "/offline.js"}, left


def test_a_held_register_meets_a_change_made_meanwhile_and_the_tutor_is_shown_it(site, tablet):
    base, database, stop_server, start_server = site
    group = tutor_group(database)
    register = base + f"/registers/6654001/{group}/{DAY}/PM"
    sign_in(tablet, base, "tutor@demo.example")
    open_kept(tablet, register)
    upns = [row.get_attribute("id").removeprefix("row-")
            for row in tablet.find_elements(By.CSS_SELECTOR, "table.register tbody tr")]

    stop_server()
    tablet.find_element(By.ID, "all-present").click()
    tablet.find_element(By.ID, "save-register").click()
    settled(tablet, 10).until(lambda d: "not yet sent" in status(d))
    tablet.get("about:blank")  # the tablet is put down before the server returns

    start_server()
    # Meanwhile the office hears that the first pupil went home ill at lunch, and records it.
    token = subprocess.run([BIN, "users", "token", "--email", "office@demo.example", "--database", database],
                           check=True, capture_output=True, text=True).stdout.split()[-1]
    body = json.dumps({"marks": [{"upn": upns[0], "code": "N"}]}).encode()
    request = urllib.request.Request(
        base + f"/api/registers/6654001/{group}/{DAY}/PM", data=body, method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200

    # The tablet is picked up: its save is sent, and the register shows the office's mark as a conflict, as it
    # would have been shown online; everyone else is saved.
    tablet.get(base + "/registers")
    settled(tablet, 30).until(lambda d: "had recorded N" in d.find_element(By.TAG_NAME, "main").text)
    assert "office@demo.example" in tablet.find_element(By.TAG_NAME, "main").text
    assert held(tablet) == []
    with record.connect(database) as db:
        codes = dict(db.execute(
            "SELECT p.upn, m.code FROM marks m JOIN pupils p ON p.id = m.pupil_id WHERE m.date = ? AND m.session = 'PM'"
            " AND p.registration_group = ?", (DAY, group)).fetchall())
    assert codes[upns[0]] == "N" and all(codes[u] == "\\" for u in upns[1:]) and len(codes) == len(upns)

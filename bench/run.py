"""The newsroom benchmark: ``make bench`` (full) or ``make bench ARGS=--quick``.

1. Generates the benchmark newsrooms in their own databases (var/bench-*.sqlite3,
   or PostgreSQL databases named after BENCH_DATABASE_URL), reused when the
   size matches.
2. Serves the project with gunicorn and the production settings
   (``bench.settings`` = ``newsroom.settings.prod`` + a floor view and lifted
   comment rate limits) on a free loopback port.
3. Puts the shipped Varnish (deploy/varnish/newsroom.vcl, started by
   devtools/varnish.py as the edge test lane starts it) in front of that
   gunicorn's socket, for the rows measured through the reverse proxy.
4. Drives load with wrk from a separate process, bounded in time, and prints
   a table (req/s, p50/p99, ratio to the floor, SQL queries, peak worker RSS)
   that is also written to bench/RESULTS.md with the machine it ran on.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.varnish import (  # noqa: E402
    VARNISHD,
    answered_from_store,
    counters,
    start_varnishd,
)

BIN = Path(sys.executable).parent
VAR = ROOT / "var"
RESULTS = ROOT / "bench" / "RESULTS.md"
ADMIN_USERNAME = "bench"
ADMIN_PASSWORD = "bench-password-not-secret"
CSRF_COOKIE = "__Host-csrftoken"
# What every wrk request sends, as browsers do (wrk itself sends no
# Accept-Encoding): the floor and every page are measured with the same header.
# Load on the pages and the floor is measured in this many interleaved rounds.
ROUNDS = 3
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br, zstd"}
SESSION_COOKIE = "__Host-sessionid"


# --- Databases ------------------------------------------------------------------------


def database_url(articles: int) -> str:
    base = os.environ.get("BENCH_DATABASE_URL", "")
    if base:
        return f"{base.rstrip('/')}_{articles}"
    return f"sqlite:///{VAR / f'bench-{articles}.sqlite3'}"


def ensure_database(env: dict, articles: int, comments: int) -> tuple[str, float]:
    url = database_url(articles)
    stamp = VAR / f"bench-{articles}.stamp"
    wanted = f"{url} {articles} {comments}\n"
    if stamp.exists() and stamp.read_text() == wanted:
        # Reused: bring its schema up to date (a new index) and refresh the
        # planner's statistics, as a deploy would.
        subprocess.run(
            [str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": url},
            check=True,
        )
        analyze(url)
        return url, 0.0
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        recreate_postgres_database(url)
    started = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "python"),
            "bench/generate.py",
            "--articles",
            str(articles),
            "--comments",
            str(comments),
        ],
        cwd=ROOT,
        env={**env, "DATABASE_URL": url},
        check=True,
    )
    stamp.write_text(wanted)
    return url, time.perf_counter() - started


def analyze(url: str) -> None:
    if url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            connection.execute("ANALYZE")
    else:
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("ANALYZE")


def recreate_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


# --- Server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn on a free loopback port; with ``proxied``, also on a unix socket
    (``socket_path``) for the reverse proxy, as deploy/gunicorn.conf.py binds it."""

    def __init__(self, env: dict, *, workers: int, label: str, proxied: bool = False):
        self.port = free_port()
        self.log = VAR / f"bench-{label}.log"
        self.socket_path = VAR / f"bench-{label}.sock"
        binds = ["--bind", f"127.0.0.1:{self.port}"]
        if proxied:
            self.socket_path.unlink(missing_ok=True)
            binds += ["--bind", f"unix:{self.socket_path}"]
            # Varnish adds X-Forwarded-For: one proxy in front, as deployed.
            env = {**env, "NEWSROOM_TRUSTED_PROXY_COUNT": "1"}
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "newsroom.wsgi:application",
                *binds,
                "--workers",
                str(workers),
                "--no-control-socket",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def worker_pids(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(entry.name))
        return pids

    def peak_worker_rss_mb(self) -> float:
        peak = 0
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                peak = max(peak, int(match.group(1)))
        return peak / 1024

    def errors_in_log(self, pattern: str) -> int:
        return self.log.read_text(errors="replace").count(pattern)

    def stop(self) -> None:
        stop(self.process)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def request(port: int, method: str, path: str, *, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response.getheaders(), data


def cookies_from(headers) -> dict[str, str]:
    jar = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def csrf_for(port: int, path: str) -> tuple[str, str]:
    """A CSRF cookie and the matching form token, as a browser gets them."""
    status, headers, body = request(port, "GET", path)
    assert status == 200, (path, status)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    return cookies_from(headers)[CSRF_COOKIE], token


def form_token(port: int, article_path: str) -> tuple[str, str]:
    """The article's comment POST path and a form token, as the page's script fetches it.

    The shared article page holds no per-visitor value: the form token comes
    from its own endpoint (comments.js), and the POST proves its origin.
    """
    _, _, body = request(port, "GET", article_path)
    article_id = re.search(rb'action="/comments/post/(\d+)/"', body).group(1).decode()
    status, _, token_body = request(port, "GET", f"/comments/form-token/{article_id}/")
    assert status == 200, status
    return f"/comments/post/{article_id}/", json.loads(token_body)["token"]


def admin_session(port: int) -> str:
    csrf_cookie, token = csrf_for(port, "/admin/login/")
    status, headers, _ = request(
        port,
        "POST",
        "/admin/login/?next=/admin/",
        headers={
            "Cookie": f"{CSRF_COOKIE}={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urlencode(
            {
                "username": ADMIN_USERNAME,
                "password": ADMIN_PASSWORD,
                "csrfmiddlewaretoken": token,
                "next": "/admin/",
            }
        ),
    )
    session = cookies_from(headers).get(SESSION_COOKIE)
    if status != 302 or not session:
        raise RuntimeError(f"admin login failed ({status})")
    return f"{SESSION_COOKIE}={session}; {CSRF_COOKIE}={csrf_cookie}"


# --- Load ----------------------------------------------------------------------------------


def to_ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s|m)", text)
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(
    port: int,
    path: str,
    *,
    duration: int,
    threads: int = 2,
    connections: int = 16,
    headers: dict | None = None,
    script: Path | None = None,
    script_env: dict | None = None,
    accept_gzip: bool = True,
) -> dict:
    headers = {**(BROWSER_HEADERS if accept_gzip else {}), **(headers or {})}
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **(script_env or {})}
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": 0,
    }
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if non_ok:
        result["errors"] += int(non_ok.group(1))
    if socket_errors:
        result["errors"] += sum(int(n) for n in socket_errors.groups())
    return result


def measure_in_rounds(
    port: int, targets: dict[str, dict], *, duration: int, rounds: int, floor: str
) -> dict[str, dict]:
    """Each target ``rounds`` times, interleaved: round 1 of every target, then round 2...

    The machine is shared: its load drifts over a run. Interleaving puts the
    floor and each page under the same conditions in every round; a page's
    ratio to the floor is taken per round, and the medians are reported.
    ``targets`` maps a name to ``{"path": ..., **wrk keyword arguments}``, plus
    optionally ``"port"`` (another server to load, e.g. the reverse proxy in
    front of ``port``'s), ``"counters"`` (a function returning the proxy's
    counters: their growth during the target's runs is summed in ``"counted"``)
    and ``"fresh"`` (a function returning wrk keyword arguments that must be
    current before each run, e.g. an ``If-None-Match`` another row changes).
    """
    samples: dict[str, list[dict]] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, target in targets.items():
            options = {
                key: value
                for key, value in target.items()
                if key not in ("path", "port", "counters", "fresh")
            }
            if "fresh" in target:
                options |= target["fresh"]()
            read_counters = target.get("counters")
            before = read_counters() if read_counters else {}
            run = wrk(target.get("port", port), target["path"], duration=duration, **options)
            if read_counters:
                after = read_counters()
                run["counted"] = {key: after[key] - before[key] for key in after}
            samples[name].append(run)
            # wrk stops with requests still queued at the server (a slow page
            # leaves up to 16): wait until they are served, so that they do
            # not eat into the next endpoint's seconds.
            request(port, "GET", "/healthz")
    figures = {}
    for name, runs in samples.items():
        figures[name] = {
            "path": targets[name]["path"],
            "rps": statistics.median(run["rps"] for run in runs),
            "p50": statistics.median(run["p50"] for run in runs),
            "p99": statistics.median(run["p99"] for run in runs),
            "requests": sum(run["requests"] for run in runs),
            "errors": sum(run["errors"] for run in runs),
            "ratio": statistics.median(
                [
                    run["rps"] / floor_run["rps"]
                    for run, floor_run in zip(runs, samples[floor], strict=True)
                    if floor_run["rps"] > 0
                ]
                or [0.0]
            ),
            "rounds": [round(run["rps"]) for run in runs],
            "round_rps": [run["rps"] for run in runs],
        }
        if "counted" in runs[0]:
            figures[name]["counted"] = {
                key: sum(run["counted"][key] for run in runs) for key in runs[0]["counted"]
            }
        print(f"  {name:44} {figures[name]['rps']:9.0f} req/s  {figures[name]['rounds']}")
    return figures


# --- Through the reverse proxy -----------------------------------------------------------

# The pages a shared cache keeps for every anonymous reader, loaded through Varnish.
PROXY_PAGES = {
    "home (through Varnish)": "/",
    "hot article (through Varnish)": "/news/hot-story/",
}
# The floor view is not marked public, so Varnish passes every request to Django:
# the floor plus one proxy hop, what any request the proxy cannot answer costs.
PROXY_FLOOR = "floor through Varnish (passed to Django)"
PROXY_COUNTERS = ("MAIN.client_req", "MAIN.cache_hit", "MAIN.backend_req")
# A proxy row counts as answered by the proxy when this share of its requests
# were hits (an object expiring mid-run is fetched again once, in the background).
PROXY_HIT_SHARE = 0.99


class Proxy:
    """The shipped Varnish (devtools/varnish.py) in front of ``server``'s unix socket."""

    def __init__(self, server: Server, *, label: str):
        self.port = free_port()
        self.folder = VAR / f"bench-varnish-{label}"
        self.log = VAR / f"bench-varnish-{label}.log"
        self.process = start_varnishd(
            self.folder,
            port=self.port,
            socket_path=server.socket_path,
            log_path=self.log,
            storage="malloc,256m",
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"varnishd did not start; see {self.log}")

    def counters(self) -> dict[str, int]:
        """varnishd's counters once they stop moving.

        Worker threads add their counts to the global ones in batches, some only
        when a keep-alive session ends: read just after wrk closes its
        connections, the totals still lack part of its requests (which would be
        counted in the next row's). Between runs nothing else reaches Varnish.
        """
        now = counters(self.folder, *PROXY_COUNTERS)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            time.sleep(0.2)
            previous, now = now, counters(self.folder, *PROXY_COUNTERS)
            if now == previous:
                break
        return now

    def stop(self) -> None:
        stop(self.process)


def proxy_targets(proxy: Proxy) -> dict[str, dict]:
    """The rows measured through Varnish, for ``measure_in_rounds``."""
    paths = {PROXY_FLOOR: "/bench/floor/", **PROXY_PAGES}
    return {
        name: {"path": path, "port": proxy.port, "counters": proxy.counters}
        for name, path in paths.items()
    }


def measure_with_proxy(
    server: Server, targets: dict[str, dict], *, label: str, round_seconds: int
) -> tuple[dict[str, dict], list[str]]:
    """``targets`` (the direct floor first) and the rows through Varnish, in the same
    interleaved rounds; Varnish runs in front of ``server`` only while they are measured."""
    proxy = Proxy(server, label=label)
    try:
        notes = warm_proxy(proxy)
        figures = measure_in_rounds(
            server.port,
            {**targets, **proxy_targets(proxy)},
            duration=round_seconds,
            rounds=ROUNDS,
            floor="floor (no DB, no template)",
        )
    finally:
        proxy.stop()
    return figures, notes


def warm_proxy(proxy: Proxy, paths: tuple[str, ...] | None = None) -> list[str]:
    """Fill Varnish with ``paths`` (the floor and PROXY_PAGES unless given), then say how
    it answers a repeat."""
    notes = []
    for path in paths or ("/bench/floor/", *PROXY_PAGES.values()):
        request(proxy.port, "GET", path, headers=BROWSER_HEADERS)
        status, headers, body = request(proxy.port, "GET", path, headers=BROWSER_HEADERS)
        values = {name.lower(): value for name, value in headers}
        notes.append(
            f"{path} through Varnish, asked again after a first request: {status}, "
            f"X-Cache {values.get('x-cache')}, X-Varnish {values.get('x-varnish')}, "
            f"Age {values.get('age')}, Cache-Control {values.get('cache-control')}, "
            f"{len(body):,} bytes: "
            + ("answered from Varnish's store." if answered_from_store(headers) else "passed.")
        )
    return notes


def proxy_share(figure: dict) -> tuple[float, int]:
    """The share of a proxy row's requests Varnish answered from its store, and how
    many requests reached Django, from varnishd's counters over the row's runs."""
    counted = figure["counted"]
    share = counted["MAIN.cache_hit"] / counted["MAIN.client_req"] if counted else 0.0
    return share, counted["MAIN.backend_req"]


def proxy_table(results: dict[str, dict]) -> list[str]:
    lines = [
        "| endpoint | req/s | p50 ms | p99 ms | ratio to floor | errors | answered by Varnish "
        "| reached Django |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, figure in results.items():
        if "counted" not in figure:
            continue
        share, backend = proxy_share(figure)
        lines.append(
            f"| {name} | {figure['rps']:.0f} | {figure['p50']:.2f} | {figure['p99']:.2f} | "
            f"{figure['ratio']:.2f} | {figure['errors']} | {share:.1%} of "
            f"{figure['counted']['MAIN.client_req']:,} | {backend:,} |"
        )
    return lines


def proxy_target(results: dict[str, dict]) -> tuple[str, bool, str]:
    """The target row: cached pages through the proxy at 5x the (direct) floor or more."""
    figures = {name: results[name] for name in PROXY_PAGES}
    shares = {name: proxy_share(figure) for name, figure in figures.items()}
    met = all(
        figure["ratio"] >= 5 and figure["errors"] == 0 and shares[name][0] >= PROXY_HIT_SHARE
        for name, figure in figures.items()
    )
    measured = "; ".join(
        f"{name.split(' (')[0]} {figure['ratio']:.2f}x ({figure['rps']:.0f} req/s, "
        f"{shares[name][0]:.1%} answered from Varnish's store, {shares[name][1]} reached "
        f"Django, {figure['errors']} errors)"
        for name, figure in figures.items()
    )
    return (
        "through the reverse proxy (Varnish, deploy/varnish/), cached pages ≥ 5x the floor "
        "(home, hot article)",
        met,
        measured,
    )


# --- Machine --------------------------------------------------------------------------------


def typical_article_path(env: dict) -> str:
    """The newest article with at most 20 comments (asked of the benchmark database)."""
    return (
        subprocess.run(
            [
                str(BIN / "python"),
                "-c",
                "import bench.queries as q; print(q.typical_article_path())",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )


def publishing_while_reading(port: int, env: dict, path: str, *, duration: int) -> dict:
    """32 connections read ``path`` while an article is published every second."""
    publisher = subprocess.Popen(
        [str(BIN / "python"), "bench/publisher.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        publisher.stdout.readline()  # "ready": Django is set up, publishing starts now
        result = wrk(port, path, duration=duration, threads=2, connections=32)
    finally:
        publisher.terminate()
        published = publisher.communicate(timeout=60)[0].strip()
    result["published"] = int(published.splitlines()[-1]) if published else 0
    return result | {"path": path}


def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    versions = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import django, sqlite3, gunicorn; "
            "print(django.get_version(), sqlite3.sqlite_version, gunicorn.__version__)",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    varnish_version = (
        re.search(
            r"varnish-([\d.]+)",
            subprocess.run([VARNISHD, "-V"], capture_output=True, text=True).stderr,
        )
        if Path(VARNISHD).exists()
        else None
    )
    return {
        "CPUs (nproc)": str(os.cpu_count()),
        "CPU model": cpu,
        "Memory": f"{int(memory.group(1)) / 1024 / 1024:.1f} GiB" if memory else "unknown",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Django": versions[0] if versions else "?",
        "SQLite": versions[1] if len(versions) > 1 else "?",
        "gunicorn": versions[2] if len(versions) > 2 else "?",
        "wrk": wrk_version[1] if len(wrk_version) > 1 else "?",
        "Varnish": varnish_version.group(1) if varnish_version else "?",
    }


# --- The run ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="Newsroom benchmark")
    parser.add_argument("--quick", action="store_true", help="5,000 articles, 2 s per endpoint")
    parser.add_argument("--duration", type=int, help="seconds of load per endpoint")
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument(
        "--live-only",
        action="store_true",
        help="only the live story scenario (polling vs rendering), on the small database",
    )
    parser.add_argument(
        "--proxy-only",
        action="store_true",
        help="only the floor and the cached pages, direct and through Varnish, on the "
        "main database (5,000 articles with --quick)",
    )
    args = parser.parse_args()

    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install -y wrk)")
    if not Path(VARNISHD).exists():
        sys.exit("varnishd is not installed (Debian: apt-get install -y varnish varnish-modules)")
    if args.quick:
        big, small, duration = (5_000, 50_000), (1_000, 10_000), 2
    else:
        big, small, duration = (100_000, 1_000_000), (10_000, 100_000), 8
    duration = args.duration or duration
    round_seconds = max(1, round(duration / ROUNDS))
    VAR.mkdir(exist_ok=True)
    started = time.perf_counter()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        # wrk is one client: the API's per-client limit (600/minute) would answer
        # most of its requests 429 and the rows would measure the throttle.
        "NEWSROOM_API_RATE_LIMIT": "100000000/minute",
    }
    env.pop("DATABASE_URL", None)
    print(
        f"Generating {big[0]:,} articles / {big[1]:,} comments and {small[0]:,} / {small[1]:,}..."
    )
    if args.live_only:
        small_url, small_seconds = ensure_database(env, *small)
        print(f"  generated in {small_seconds:.0f} s (0 = reused)")
        collect_static({**env, "DATABASE_URL": small_url})
        results, notes = measure_live_story(
            {**env, "DATABASE_URL": small_url}, workers=args.workers, duration=duration
        )
        print(render_live_report(results, notes, size=f"{small[0]:,} articles"))
        return
    big_url, big_seconds = ensure_database(env, *big)
    if args.proxy_only:
        print(f"  generated in {big_seconds:.0f} s (0 = reused)")
        collect_static({**env, "DATABASE_URL": big_url})
        results, notes = measure_proxy_only(
            {**env, "DATABASE_URL": big_url}, workers=args.workers, round_seconds=round_seconds
        )
        print(
            render_proxy_report(
                results, notes, size=f"{big[0]:,} articles", round_seconds=round_seconds
            )
        )
        return
    small_url, small_seconds = ensure_database(env, *small)
    print(f"  generated in {big_seconds:.0f} s and {small_seconds:.0f} s (0 = reused)")
    collect_static({**env, "DATABASE_URL": big_url})

    def deep_page(articles: int) -> int:
        pages = max(1, articles // 20)
        return min(2000, max(1, int(pages * 0.8)))

    results: dict[str, dict] = {}
    notes: list[str] = []

    # 1. Everything, page cache on (as in production).
    env_big = {**env, "DATABASE_URL": big_url}
    server = Server(env_big, workers=args.workers, label="cached", proxied=True)
    try:
        deep = f"/?page={deep_page(big[0])}"
        article = "/news/hot-story/"
        endpoints = {
            "floor (no DB, no template)": "/bench/floor/",
            "home": "/",
            f"home page {deep_page(big[0])}": deep,
            "section": "/section/section-3/",
            "hot article (500 comments)": article,
            "tag": "/tag/topic-5/",
            "RSS feed": "/feeds/rss/",
            "API article list": "/api/v1/articles/",
            "API article detail": "/api/v1/articles/hot-story/",
        }
        search = "/search/?q=harbour"
        post_path, timestamp = form_token(server.port, article)
        session_cookie = admin_session(server.port)
        for path in [*endpoints.values(), search]:
            request(server.port, "GET", path)  # fill the caches once
        targets = {name: {"path": path} for name, path in endpoints.items()}
        # The same pages to a client that takes no gzip (the whole page on the wire).
        for name in ("home", "hot article (500 comments)"):
            targets[f"{name} [no gzip]"] = {"path": endpoints[name], "accept_gzip": False}
        # The same pages through the reverse proxy join the rounds.
        figures, proxy_notes = measure_with_proxy(
            server, targets, label="cached", round_seconds=round_seconds
        )
        results.update(figures)
        notes.extend(proxy_notes)
        # Search is slow (no ratio target): one run, then its queue drains.
        results["search"] = wrk(server.port, search, duration=duration) | {"path": search}
        request(server.port, "GET", "/healthz")
        for name in ("home", "hot article (500 comments)"):
            _, headers, body = request(server.port, "GET", endpoints[name], headers=BROWSER_HEADERS)
            encoding = dict(headers).get("Content-Encoding", "none")
            notes.append(
                f"{endpoints[name]} with Accept-Encoding: Content-Encoding {encoding}, "
                f"{len(body):,} bytes on the wire; without: "
                f"{len(request(server.port, 'GET', endpoints[name])[2]):,} bytes."
            )

        status, headers, _ = request(server.port, "GET", article)
        etag = dict(headers)["ETag"]
        results["conditional GET (304)"] = wrk(
            server.port,
            article,
            duration=duration,
            headers={"If-None-Match": etag},
        ) | {"path": article}
        check_status = request(server.port, "GET", article, headers={"If-None-Match": etag})[0]
        notes.append(f"The conditional GET was answered {check_status}.")

        admin_pages = {
            "admin comment queue": "/admin/comments/comment/",
            "admin article list": "/admin/articles/article/",
        }
        for name, path in admin_pages.items():
            status = request(server.port, "GET", path, headers={"Cookie": session_cookie})[0]
            notes.append(f"{path} answered {status} when logged in.")
            # A few moderators, not a crowd: one thread, two connections.
            results[name] = wrk(
                server.port,
                path,
                duration=duration,
                threads=1,
                connections=2,
                headers={"Cookie": session_cookie},
            ) | {"path": path}

        # Comment POSTs while readers load the hot article (mixed load).
        readers = subprocess.Popen(
            [
                "wrk",
                "-H",
                f"Accept-Encoding: {BROWSER_HEADERS['Accept-Encoding']}",
                "-t1",
                "-c4",
                f"-d{duration}s",
                f"http://127.0.0.1:{server.port}{article}",
            ],
            stdout=subprocess.DEVNULL,
        )
        results["comment POST (mixed load)"] = wrk(
            server.port,
            post_path,
            duration=duration,
            threads=2,
            connections=8,
            script=ROOT / "bench" / "post_comment.lua",
            script_env={
                "BENCH_PATH": post_path,
                "BENCH_ORIGIN": f"http://127.0.0.1:{server.port}",
                "BENCH_TIMESTAMP": timestamp,
            },
        ) | {"path": post_path}
        readers.wait()
        locked = server.errors_in_log("database is locked")
        server_errors = server.errors_in_log("Traceback")
        results["comment POST (mixed load)"]["locked"] = locked
        notes.append(
            f"Comment POSTs: {results['comment POST (mixed load)']['requests']} sent, "
            f"{results['comment POST (mixed load)']['errors']} non-2xx/3xx or socket errors, "
            f"'database is locked' in the server log: {locked}, tracebacks: {server_errors}."
        )
        # Breaking news: an article published every second while 32 connections
        # read the hot article (each publish changes its "Latest News" box).
        results["hot article while publishing every second (32 connections)"] = (
            publishing_while_reading(server.port, env_big, article, duration=max(5, duration))
        )
        stale = server.errors_in_log("Traceback")
        notes.append(
            "Publishing every second under load: "
            f"{results['hot article while publishing every second (32 connections)']['published']}"
            f" articles published during the run, tracebacks in the server log: {stale}."
        )
        peak_rss = server.peak_worker_rss_mb()
    finally:
        server.stop()

    # 2. First renders: the page cache off (fragments and page indexes still cached).
    uncached_paths = {
        "floor": "/bench/floor/",
        "home": "/",
        f"home page {deep_page(big[0])}": f"/?page={deep_page(big[0])}",
        "section": "/section/section-3/",
        "typical article (≤ 20 comments)": typical_article_path(env_big),
        "hot article (500 comments)": "/news/hot-story/",
    }
    server = Server({**env_big, "NEWSROOM_PAGE_CACHE": "0"}, workers=args.workers, label="uncached")
    try:
        for path in uncached_paths.values():
            request(server.port, "GET", path)
        results.update(
            measure_in_rounds(
                server.port,
                {
                    f"{name} [page cache off]": {"path": path}
                    for name, path in uncached_paths.items()
                },
                duration=round_seconds,
                rounds=ROUNDS,
                floor="floor [page cache off]",
            )
        )
        peak_rss = max(peak_rss, server.peak_worker_rss_mb())
    finally:
        server.stop()

    # 2b. A live story: readers polling for new entries against rendering the page.
    live_results, live_notes = measure_live_story(env_big, workers=args.workers, duration=duration)
    results.update(live_results)
    notes.extend(live_notes)

    # 3. Two sizes: does the cost grow with the archive?
    sizes: dict[str, dict[str, dict]] = {}
    for (articles, _comments), url in ((small, small_url), (big, big_url)):
        paths = {
            "home": "/",
            "hot article": "/news/hot-story/",
            f"deep page ({deep_page(articles)})": f"/?page={deep_page(articles)}",
        }
        figures = {}
        for cached in (True, False):
            server = Server(
                {**env, "DATABASE_URL": url, "NEWSROOM_PAGE_CACHE": "1" if cached else "0"},
                workers=args.workers,
                label=f"size-{articles}",
            )
            try:
                for name, path in paths.items():
                    request(server.port, "GET", path)
                    key = f"{name.split(' (')[0]} {'cached' if cached else 'page cache off'}"
                    figures[key] = wrk(server.port, path, duration=max(2, duration // 2))
            finally:
                server.stop()
        sizes[f"{articles:,} articles"] = figures
        print(f"  size {articles:,}: done")

    # 4. Queries per page, measured once.
    query_urls = sorted(
        {r["path"] for r in results.values() if "floor" not in r["path"]} - {post_path}
        | {"/author/reporter-4/"}
    )
    queries = json.loads(
        subprocess.run(
            [str(BIN / "python"), "bench/queries.py", json.dumps(query_urls), session_cookie],
            cwd=ROOT,
            env=env_big,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )

    elapsed = time.perf_counter() - started
    report = render_report(
        results=results,
        sizes=sizes,
        queries=queries,
        peak_rss=peak_rss,
        notes=notes,
        meta={
            "size": f"{big[0]:,} articles / {big[1]:,} comments"
            + (" (--quick)" if args.quick else ""),
            "duration": duration,
            "round_seconds": round_seconds,
            "workers": args.workers,
            "elapsed": elapsed,
            "database": "PostgreSQL" if big_url.startswith("postgres") else "SQLite",
            "cache": "Redis" if os.environ.get("REDIS_URL") else "local memory (+ file versions)",
        },
    )
    print(report)
    RESULTS.write_text(report)
    print(f"Written to {RESULTS.relative_to(ROOT)} in {elapsed:.0f} s.")


def collect_static(env_db: dict) -> None:
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env_db,
        check=True,
    )


def measure_proxy_only(env_db: dict, *, workers: int, round_seconds: int):
    """The floor and the cached pages, direct and through Varnish, in interleaved rounds."""
    direct = {
        "floor (no DB, no template)": "/bench/floor/",
        "home": "/",
        "hot article (500 comments)": "/news/hot-story/",
    }
    server = Server(env_db, workers=workers, label="proxy", proxied=True)
    try:
        for path in direct.values():
            request(server.port, "GET", path)  # fill the page cache once
        return measure_with_proxy(
            server,
            {name: {"path": path} for name, path in direct.items()},
            label="proxy",
            round_seconds=round_seconds,
        )
    finally:
        server.stop()


def render_proxy_report(results: dict, notes: list[str], *, size: str, round_seconds: int) -> str:
    target, met, measured = proxy_target(results)
    lines = [
        f"# Through the reverse proxy ({size}, bench/run.py --proxy-only)",
        "",
        *[f"- {name}: {value}" for name, value in machine().items()],
        f"- {ROUNDS} interleaved rounds of {round_seconds} s; ratios to the direct floor",
        "",
        "| endpoint | req/s | p50 ms | p99 ms | ratio to floor | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, figure in results.items():
        lines.append(
            f"| {name} | {figure['rps']:.0f} | {figure['p50']:.2f} | {figure['p99']:.2f} | "
            f"{figure['ratio']:.2f} | {figure['errors']} |"
        )
    return "\n".join(
        [
            *lines,
            "",
            *proxy_table(results),
            "",
            f"- {target}: {'met' if met else 'NOT met'}: {measured}",
            *[f"- {note}" for note in notes],
        ]
    )


# --- Live coverage -------------------------------------------------------------------

LIVE_SLUG = "live-story"
LIVE_STORY = f"/news/{LIVE_SLUG}/"
# The bench-only view (bench/urls.py) that bumps the story's own version, as a new
# entry does, then serves its page: every request is a real render.
RENDER_AGAIN = f"/bench/render-again/{LIVE_SLUG}/"
# How often a reader's page polls (NEWSROOM_LIVE_POLL_SECONDS) and how many readers.
LIVE_POLL_SECONDS = 30
LIVE_READERS = 1_000
LIVE_RENDER = "live story page (rendered again after a change, 60 entries)"
LIVE_JOINED = "live story page (page cache off: stored parts joined, 60 entries)"
LIVE_POLL_DIRECT = "live poll, nothing new ({kind}), every poll reaching Django"
LIVE_POLL_PROXY = "live poll through Varnish, nothing new ({kind})"
# Rows through Varnish run for this many of the poll's lifetimes (max-age) at
# least: what reaches Django is about one fetch per lifetime, to be counted.
LIVE_PROXY_LIFETIMES = 3


def max_age(headers) -> int:
    cache_control = dict((name.lower(), value) for name, value in headers).get("cache-control", "")
    match = re.search(r"(?:^|[ ,])max-age=(\d+)", cache_control)
    return int(match.group(1)) if match else 0


def measure_live_story(env_db: dict, *, workers: int, duration: int):
    """Polling a live story, direct and through Varnish, vs rendering its page again.

    The budget (issue 16): LIVE_READERS readers polling every LIVE_POLL_SECONDS
    must cost the server less than rendering the page once a second, in server
    time per second, computed by :func:`live_budget` two ways: every poll
    reaching Django, and through the shared cache as deployed (only Varnish's
    fetches reach Django).
    """
    latest = (
        subprocess.run(
            [str(BIN / "python"), "bench/live_story.py"],
            cwd=ROOT,
            env=env_db,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    poll = f"{LIVE_STORY}live/entries/?after={latest}"
    results: dict[str, dict] = {}
    notes: list[str] = []
    server = Server(env_db, workers=workers, label="live", proxied=True)
    try:
        status, headers, body = request(server.port, "GET", poll)
        etag = dict(headers)["ETag"]
        lifetime = max_age(headers)
        notes.append(
            f"Live poll with nothing new: {status}, {len(body)} bytes: {body[:80]!r}; "
            f"Cache-Control {dict(headers).get('Cache-Control')}, xkey {dict(headers).get('xkey')}."
        )
        status_304 = request(server.port, "GET", poll, headers={"If-None-Match": etag})[0]
        notes.append(f"The same poll with its ETag was answered {status_304}.")
        request(server.port, "GET", LIVE_STORY)
        # Through Varnish first: the rounds below bump the story's version.
        results.update(live_polls_through_proxy(server, poll, lifetime, notes, duration=duration))
        status, headers, body = request(server.port, "GET", RENDER_AGAIN)
        notes.append(
            f"{RENDER_AGAIN} (bumps article:{LIVE_SLUG}, then the article view): {status}, "
            f"X-Page-Cache {dict(headers).get('X-Page-Cache')}, {len(body):,} bytes, "
            f"{body.count(b'data-entry-id=')} entries."
        )

        def current_etag() -> dict:
            # Each render again bumps the version the poll's ETag is made of.
            return {
                "headers": {"If-None-Match": dict(request(server.port, "GET", poll)[1])["ETag"]}
            }

        results.update(
            measure_in_rounds(
                server.port,
                {
                    "floor [live]": {"path": "/bench/floor/"},
                    LIVE_POLL_DIRECT.format(kind="304"): {"path": poll, "fresh": current_etag},
                    LIVE_POLL_DIRECT.format(kind="200"): {"path": poll},
                    "live story page (cached)": {"path": LIVE_STORY},
                    LIVE_RENDER: {"path": RENDER_AGAIN},
                },
                duration=max(2, round(duration / ROUNDS)),
                rounds=ROUNDS,
                floor="floor [live]",
            )
        )
    finally:
        server.stop()
    server = Server({**env_db, "NEWSROOM_PAGE_CACHE": "0"}, workers=workers, label="live-uncached")
    try:
        request(server.port, "GET", LIVE_STORY)
        results[LIVE_JOINED] = wrk(server.port, LIVE_STORY, duration=duration) | {
            "path": LIVE_STORY
        }
    finally:
        server.stop()
    floor = results["floor [live]"]["rps"]
    for figure in results.values():
        figure.setdefault("ratio", figure["rps"] / floor if floor else 0.0)
    # The report's order: the floor, the direct rows, the page, through Varnish.
    order = ["floor [live]", *(LIVE_POLL_DIRECT.format(kind=kind) for kind in ("304", "200"))]
    order += ["live story page (cached)", LIVE_RENDER, LIVE_JOINED]
    return {name: results[name] for name in order} | results, notes


def live_polls_through_proxy(
    server: Server, poll: str, lifetime: int, notes: list[str], *, duration: int
) -> dict[str, dict]:
    """The poll through the shipped Varnish: req/s, and how many requests reached Django.

    Every reader at the same latest entry asks the same URL: one object in
    Varnish, fetched from Django once per ``lifetime`` (the poll's max-age) when
    nobody purges it (the bench sets no NEWSROOM_PURGE_URLS).
    """
    proxy = Proxy(server, label="live")
    results = {}
    try:
        notes.extend(warm_proxy(proxy, (poll,)))
        etag = dict(request(proxy.port, "GET", poll, headers=BROWSER_HEADERS)[1])["ETag"]
        seconds = max(duration, LIVE_PROXY_LIFETIMES * lifetime)
        for kind, headers in (("200", {}), ("304", {"If-None-Match": etag})):
            before = proxy.counters()
            run = wrk(proxy.port, poll, duration=seconds, headers=headers)
            after = proxy.counters()
            run["counted"] = {key: after[key] - before[key] for key in after}
            results[LIVE_POLL_PROXY.format(kind=kind)] = run | {
                "path": poll,
                "seconds": seconds,
                "max_age": lifetime,
            }
    finally:
        proxy.stop()
    return results


def live_budget(results: dict[str, dict]) -> list[tuple[str, bool, str]]:
    """The live story's budget, as target rows: polls vs one render a second.

    In server time per second (the same server, so ``1 / rps`` is what one
    request costs it): ``LIVE_READERS / LIVE_POLL_SECONDS`` polls cost
    ``polls/s / poll rps`` when every poll reaches Django; through the shared
    cache only Varnish's fetches reach it, each a poll without ``If-None-Match``
    (``fetches/s / 200-poll rps``). One render a second costs ``1 / render rps``.
    Direct ratios are the median of each round's (polls and renders measured in
    the same interleaved rounds).
    """
    render = results[LIVE_RENDER]
    render_cost = 1 / render["rps"] if render["rps"] else float("inf")
    polls_per_second = LIVE_READERS / LIVE_POLL_SECONDS
    readers = f"{LIVE_READERS:,} readers polling every {LIVE_POLL_SECONDS} s"
    targets = []
    direct = {}
    for kind in ("304", "200"):
        poll = results[LIVE_POLL_DIRECT.format(kind=kind)]
        direct[kind] = (
            statistics.median(
                polls_per_second * render_rps / poll_rps if poll_rps else float("inf")
                for poll_rps, render_rps in zip(poll["round_rps"], render["round_rps"], strict=True)
            ),
            poll["rps"],
        )
    targets.append(
        (
            f"live story, every poll reaching Django: {readers} cost less than one render "
            "a second (ratio < 1)",
            max(ratio for ratio, _ in direct.values()) < 1,
            "; ".join(
                f"{kind}: {polls_per_second:.0f} polls/s at {poll_rps:,.0f} req/s = "
                f"{polls_per_second / poll_rps:.4f} s of server time per s vs "
                f"{render_cost:.4f} for one render a second (rendered again at "
                f"{render['rps']:.1f}/s): ratio {ratio:.2f}"
                for kind, (ratio, poll_rps) in direct.items()
            ),
        )
    )
    fetch_cost = 1 / direct["200"][1] if direct["200"][1] else float("inf")
    shared = []
    for kind in ("200", "304"):
        figure = results.get(LIVE_POLL_PROXY.format(kind=kind))
        if figure is None:
            continue
        share, backend = proxy_share(figure)
        per_second = backend / figure["seconds"]
        ratio = per_second * fetch_cost / render_cost
        ok = ratio < 1 and figure["errors"] == 0 and share >= PROXY_HIT_SHARE
        shared.append(
            (
                ok,
                f"{kind}: Varnish answered {figure['rps']:,.0f} req/s ({share:.2%} from its "
                f"store, {figure['errors']} errors); {backend} of "
                f"{figure['counted']['MAIN.client_req']:,} requests reached Django in "
                f"{figure['seconds']} s = {per_second:.2f}/s (max-age {figure['max_age']} s: "
                f"about 1/{figure['max_age']} s per URL, whatever the number of readers), "
                f"each a 200 poll: {per_second * fetch_cost:.5f} s of server time per s vs "
                f"{render_cost:.4f}: ratio {ratio:.3f}",
            )
        )
    if shared:
        targets.append(
            (
                f"live story through the shared cache (Varnish, as deployed): {readers} cost "
                "Django less than one render a second (ratio < 1)",
                all(ok for ok, _ in shared),
                "; ".join(text for _, text in shared),
            )
        )
    return targets


def render_live_report(results: dict, notes: list[str], *, size: str) -> str:
    lines = [
        f"# Live story scenario ({size}, bench/run.py --live-only)",
        "",
        *[f"- {name}: {value}" for name, value in machine().items()],
        "",
        "| endpoint | req/s | p50 ms | p99 ms | ratio to floor | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, figure in results.items():
        lines.append(
            f"| {name} | {figure['rps']:.0f} | {figure['p50']:.2f} | {figure['p99']:.2f} | "
            f"{figure['ratio']:.2f} | {figure['errors']} |"
        )
    return "\n".join(
        [
            *lines,
            "",
            *proxy_table(results),
            "",
            *[
                f"- {target}: {'met' if met else 'NOT met'}: {measured}"
                for target, met, measured in live_budget(results)
            ],
            *[f"- {note}" for note in notes],
        ]
    )


def render_report(*, results, sizes, queries, peak_rss, notes, meta) -> str:
    floor = results["floor (no DB, no template)"]["rps"]
    lines = [
        "# Benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/run.py`: {meta['size']}, "
        f"{meta['database']}, cache: {meta['cache']}; gunicorn {meta['workers']} sync workers, "
        f"production settings (DEBUG off); wrk 2 threads / 16 connections; "
        f"whole run {meta['elapsed']:.0f} s.",
        "",
        f"The floor and the pages are measured in {ROUNDS} interleaved rounds of "
        f"{meta['round_seconds']} s each (round 1 of every endpoint, then round 2...), so that "
        "the load of a shared machine falls on all of them alike: req/s and latencies are the "
        "medians of the rounds, the ratio to the floor is the median of each round's ratio "
        "(the [page cache off] rows against a floor measured in their own rounds, on their own "
        f"server). The 304, admin and comment POST rows are one run of {meta['duration']} s.",
        "",
        "Every wrk request sends `Accept-Encoding: "
        f"{BROWSER_HEADERS['Accept-Encoding']}` as browsers do (wrk sends none by itself), "
        "the floor's included; rows marked [no gzip] send no Accept-Encoding, so the whole "
        "page goes over the wire.",
        "",
        "## Machine",
        "",
        *[f"- {name}: {value}" for name, value in machine().items()],
        "",
        "## Endpoints",
        "",
        "SQL queries: first render with every cache empty / page cache miss with the shared "
        "fragments cached / page cache hit.",
        "",
        "| endpoint | req/s | p50 ms | p99 ms | ratio to floor | SQL queries | errors |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for name, figure in results.items():
        # A proxy row's queries are the app's only when Varnish passes the request.
        counts = None if "counted" in figure else queries.get(figure["path"])
        query_text = (
            f"{counts['cold']} / {counts['fragments_warm']} / {counts['page_cache_hit']}"
            if counts
            else "—"
        )
        lines.append(
            f"| {name} | {figure['rps']:.0f} | {figure['p50']:.2f} | {figure['p99']:.2f} | "
            f"{figure.get('ratio', figure['rps'] / floor):.2f} | {query_text} | {figure['errors']} |"
        )
    author = queries.get("/author/reporter-4/")
    if author:
        lines.append(
            f"| author page (queries only) | | | | | {author['cold']} / "
            f"{author['fragments_warm']} / {author['page_cache_hit']} | |"
        )
    lines += ["", f"Peak RSS of a gunicorn worker: {peak_rss:.0f} MiB.", ""]

    if any("counted" in figure for figure in results.values()):
        lines += [
            "## Through the reverse proxy",
            "",
            "The shipped Varnish (`deploy/varnish/newsroom.vcl`, backend pointed at the same "
            "gunicorn's unix socket, `-s malloc,256m`) on loopback, loaded by the same wrk in the "
            "same interleaved rounds as the direct floor; the ratio is to that direct floor. "
            "The pages were requested once through Varnish before the rounds (a miss that "
            "filled it). `answered by Varnish` is varnishd's own count over the row's runs "
            "(`MAIN.cache_hit` / `MAIN.client_req` from varnishstat), `reached Django` its "
            "`MAIN.backend_req`. The floor view is not marked public, so Varnish passes "
            "each of its requests to Django: that row is the floor plus one proxy hop, what a "
            "request the proxy cannot answer costs. The live poll rows are one run each "
            "(at least three of the poll's lifetimes), their ratio to the floor [live].",
            "",
            *proxy_table(results),
            "",
        ]

    in_process = queries.get("_in_process_ms")
    if in_process:
        lines += [
            "## In process",
            "",
            "The same requests through the whole middleware stack in one Python process with "
            "Django's test client (production settings, this database, no network, no load "
            "generator competing for the CPU): the best of three means; a new visitor (no "
            "cookie) each time, gzip accepted. The quietest comparison with the floor.",
            "",
            "| request | ms per request | floor's time / this time |",
            "|---|---:|---:|",
        ]
        for name, milliseconds in in_process.items():
            lines.append(
                f"| {name} | {milliseconds:.3f} | {in_process['floor'] / milliseconds:.2f} |"
            )
        lines.append("")

    lines += [
        "## Two sizes",
        "",
        "| figure | " + " | ".join(sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    keys = list(next(iter(sizes.values())).keys())
    for key in keys:
        row = [
            f"{figures[key]['rps']:.0f} req/s, p50 {figures[key]['p50']:.2f} ms"
            for figures in sizes.values()
        ]
        lines.append(f"| {key} | " + " | ".join(row) + " |")
    lines.append("")

    def rps(name):
        return results[name]["rps"]

    def ratio(name):
        return results[name].get("ratio", results[name]["rps"] / floor)

    def p50(name):
        return results[name]["p50"]

    deep_name = next(name for name in results if name.startswith("home page ") and "[" not in name)
    budget_pages = [
        "/",
        "/section/section-3/",
        "/tag/topic-5/",
        "/author/reporter-4/",
        "/news/hot-story/",
    ]
    worst_queries = max(queries[path]["fragments_warm"] for path in budget_pages if path in queries)
    worst_cold = max(queries[path]["cold"] for path in budget_pages if path in queries)
    post = results["comment POST (mixed load)"]
    publishing = results["hot article while publishing every second (32 connections)"]
    in_process_ms = queries.get("_in_process_ms", {})
    idle_hot = in_process_ms.get("hot article (first render after a comment change)", 0.0)
    idle_hot_fragment = in_process_ms.get("hot article (first render)", 0.0)
    targets = [
        (
            "≤ 5 queries on home, section, tag, author, article (page cache miss)",
            worst_queries <= 5,
            f"at most {worst_queries} (with every cache empty: at most {worst_cold})",
        ),
        (
            "page 2,000 within 1.5x of page 1 (p50, page cache off)",
            p50(f"{deep_name} [page cache off]") <= 1.5 * p50("home [page cache off]"),
            f"{p50(f'{deep_name} [page cache off]'):.2f} ms vs {p50('home [page cache off]'):.2f} ms; "
            f"cached {p50(deep_name):.2f} vs {p50('home'):.2f} ms",
        ),
        (
            "first render of the home page ≥ 0.3x the floor",
            ratio("home [page cache off]") >= 0.3,
            f"{ratio('home [page cache off]'):.2f}x",
        ),
        (
            "first render of a typical article (≤ 20 comments) ≥ 0.3x the floor",
            ratio("typical article (≤ 20 comments) [page cache off]") >= 0.3,
            f"{ratio('typical article (≤ 20 comments) [page cache off]'):.2f}x",
        ),
        (
            "first render of the hot article (500 comments) ≥ 0.1x the floor",
            ratio("hot article (500 comments) [page cache off]") >= 0.1,
            f"{ratio('hot article (500 comments) [page cache off]'):.2f}x (its thread from "
            "the thread fragment, as after any change that is not one of its comments)",
        ),
        (
            "one idle first render of the hot article < 15 ms (in process, thread rendered "
            "again after a comment change)",
            idle_hot < 15,
            f"{idle_hot:.1f} ms (with the thread fragment: {idle_hot_fragment:.1f} ms)",
        ),
        (
            "cached pages ≥ 0.9x the floor (home, hot article)",
            min(ratio("home"), ratio("hot article (500 comments)")) >= 0.9,
            f"home {ratio('home'):.2f}x, hot article {ratio('hot article (500 comments)'):.2f}x",
        ),
        proxy_target(results),
        *live_budget(results),
        (
            "publishing every second while 32 connections read the hot article: no errors",
            publishing["errors"] == 0,
            f"{publishing['rps']:.0f} req/s, p50 {publishing['p50']:.1f} ms, p99 "
            f"{publishing['p99']:.1f} ms, {publishing['errors']} errors, "
            f"{publishing['published']} articles published",
        ),
        (
            "304 at least 2x as fast as an uncached render",
            rps("conditional GET (304)") >= 2 * rps("hot article (500 comments) [page cache off]"),
            f"{rps('conditional GET (304)') / rps('hot article (500 comments) [page cache off]'):.1f}x",
        ),
        (
            "admin comment queue < 300 ms",
            p50("admin comment queue") < 300,
            f"p50 {p50('admin comment queue'):.0f} ms, p99 {results['admin comment queue']['p99']:.0f} ms",
        ),
        (
            "admin article list < 300 ms",
            p50("admin article list") < 300,
            f"p50 {p50('admin article list'):.0f} ms, p99 {results['admin article list']['p99']:.0f} ms",
        ),
        (
            "comment POSTs: no 'database is locked', no errors",
            post["locked"] == 0 and post["errors"] == 0,
            f"{post['locked']} locked, {post['errors']} errors in {post['requests']} posts",
        ),
    ]
    lines += ["## Targets", "", "| target | met | measured |", "|---|---|---|"]
    for target, met, measured in targets:
        lines.append(f"| {target} | {'yes' if met else '**no**'} | {measured} |")
    lines += ["", "## Notes", "", *[f"- {note}" for note in notes], ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()

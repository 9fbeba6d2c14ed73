"""Benchmark: Lighthouse's mobile audit of the public pages, served as in production, and the
bytes of a first and a repeat visit. Not part of ``make test``; ``make bench-lighthouse``.

    .venv/bin/python bench/lighthouse.py [--pages home province delivery zone]
        [--languages en ur] [--runs 1] [--json PATH] [--keep] [--serve]

What it serves: the demo data (``seed_demo``, scored with ``recompute_readiness --sync``) in a
database of its own, ``<DATABASE_URL's database>_bench_lighthouse`` (created afresh, dropped at
the end unless ``--keep``; the developer's database is never touched), served by gunicorn
with ``config.settings.production`` (a throwaway ``DJANGO_SECRET_KEY``, DEBUG off, no HTTPS
redirect since it listens on 127.0.0.1 only) and WhiteNoise over a real ``collectstatic``
(hashed names, Brotli and gzip copies) into ``staticfiles/``. The preparation commands run
with the test settings, so that Celery runs eagerly and nothing is sent to a broker.

What it measures, for each page in English and in Urdu:

- Lighthouse 12.2.3 (from npm, pinned with its lock file in ``bench/npm/``, installed there by
  ``npm ci`` when missing) with Debian's Chromium: its default mobile audit (a mid-range
  phone emulated with 4x CPU slowdown over a simulated slow 4G link): the performance,
  accessibility, best-practices and SEO scores, total blocking time, time to interactive,
  largest contentful paint, cumulative layout shift, DOM size and the bytes Lighthouse's
  own load transferred. With ``--runs N`` each page is audited N times and the median run
  (by performance score) is printed.
- In Chromium driven by Playwright, with the page scrolled to its end so that every chart is
  drawn: the bytes a first visit transfers (compressed, headers included, every request the
  page makes: the HTML, stylesheets, scripts, fonts, base maps), then the bytes of a repeat
  visit in the same browser (only what is not served from its cache).

The machine's load average is printed before and after: Lighthouse's timings are simulated
from a trace recorded on this machine, so a busy machine inflates them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

BASE_DIR = Path(__file__).resolve().parent.parent
NPM_DIR = BASE_DIR / "bench" / "npm"
LIGHTHOUSE = NPM_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
SUFFIX = "bench_lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
PAGES = {
    "home": "/",
    "province": "/provinces/PK-PB/",
    "delivery": "/delivery/",
    "zone": "/zones/rashakai/",
}
LANGUAGE_PREFIXES = {"en": "", "ur": "/ur", "zh-hans": "/zh-hans"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")

# Scrolls to the end a screen at a time, so that every chart comes near the viewport, then
# waits until each is drawn (or failed) and the network is quiet.
SCROLL_TO_END = """async () => {
  for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight / 2) {
    window.scrollTo(0, y);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  window.scrollTo(0, document.documentElement.scrollHeight);
}"""
ALL_DRAWN = """() => [...document.querySelectorAll('.plot[data-figure]')]
  .every((p) => p.dataset.drawn)"""


@dataclass
class Audit:
    """One Lighthouse run of one page."""

    url: str
    scores: dict[str, float]
    tbt_ms: float
    tti_ms: float
    lcp_ms: float
    cls: float
    dom_size: int
    bytes: int
    failed: list[str] = field(default_factory=list)


@dataclass
class Transfer:
    """A first and a repeat visit to one page, every chart drawn."""

    url: str
    first: dict[str, tuple[int, str, str]]  # url -> (bytes on the wire, encoding, cache-control)
    repeat: dict[str, int]

    @property
    def first_total(self) -> int:
        return sum(size for size, _encoding, _cache in self.first.values())

    @property
    def repeat_total(self) -> int:
        return sum(self.repeat.values())


# --- the server -------------------------------------------------------------------------------


def database_urls() -> tuple[dict, str]:
    """``(server config, URL of the bench database)``; without DATABASE_URL, the embedded
    PostgreSQL of ``make run``."""
    import environ

    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        from config.embedded_pg import database_url

        base_url = database_url()
    config = environ.Env.db_url_config(base_url)
    name = common.bench_database_name(config["NAME"], SUFFIX)
    head, _, _ = base_url.rpartition("/")
    return config, f"{head}/{name}"


def server_env(database_url: str, settings: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DJANGO_SECRET_KEY": "lighthouse-bench-only-" + "x9" * 24,
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        # Nothing reaches a shared broker: the preparation runs Celery eagerly (test settings),
        # and serving pages sends no task.
        "CELERY_BROKER_URL": "memory://",
        "CELERY_RESULT_BACKEND": "cache+memory://",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def run(args: list[str], env: dict[str, str], *, timeout: float = 1800) -> None:
    result = subprocess.run(
        args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr}")


def prepare(database_url: str) -> None:
    """Migrate and seed the bench database, compile the catalogues, collect static files."""
    test_env = server_env(database_url, "config.settings.test")
    python = sys.executable
    started = time.monotonic()
    run([python, "manage.py", "migrate", "--noinput", "-v0"], test_env)
    run([python, "manage.py", "seed_demo"], test_env)
    run([python, "manage.py", "recompute_readiness", "--sync"], test_env)
    run([python, "-m", "config.catalogues"], test_env)
    production_env = server_env(database_url, "config.settings.production")
    run([python, "manage.py", "collectstatic", "--noinput", "--clear", "-v0"], production_env)
    print(f"prepared the demo data and static files in {time.monotonic() - started:.0f} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(database_url: str, port: int, log: Path) -> subprocess.Popen:
    env = server_env(database_url, "config.settings.production")
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"{HOST}:{port}",
         "--workers", "2", "--timeout", "60", "--access-logfile", "-"],
        cwd=BASE_DIR, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=5):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited: see {log}") from None
            time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"gunicorn did not answer within 60 s: see {log}")


def warm(url: str, times: int = 4) -> None:
    """Fill every worker's dashboards cache, as a site in use would have it."""
    for _ in range(times):
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
            response.read()


# --- Lighthouse -------------------------------------------------------------------------------


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    print("installing Lighthouse into bench/npm/node_modules (npm ci) ...")
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=NPM_DIR, check=True, timeout=900,
    )  # fmt: skip


def lighthouse(url: str, workdir: Path) -> Audit:
    report = workdir / "report.json"
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if result.returncode or not report.exists():
        raise SystemExit(f"lighthouse {url} failed:\n{result.stderr[-3000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    failed = sorted(
        key
        for name in CATEGORIES[1:]
        for ref in data["categories"][name]["auditRefs"]
        if ref["weight"] and (audits[ref["id"]].get("score") not in (None, 1))
        for key in [f"{name}: {ref['id']}"]
    )
    return Audit(
        url=url,
        scores={name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES},
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        tti_ms=audits["interactive"]["numericValue"],
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        cls=audits["cumulative-layout-shift"]["numericValue"],
        dom_size=int(audits["dom-size"]["numericValue"]),
        bytes=int(audits["total-byte-weight"]["numericValue"]),
        failed=failed,
    )


# --- transfer of a first and a repeat visit ---------------------------------------------------


def transfer(url: str) -> Transfer:
    """Bytes on the wire (compressed bodies and headers) of a first visit to ``url`` with every
    chart drawn, then of a second visit in the same browser, from Chromium's network events."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(viewport={"width": 412, "height": 823})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            seen: dict[str, dict] = {}

            def received(event):
                response = event["response"]
                headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
                seen[event["requestId"]] = {
                    "url": response["url"],
                    "encoding": headers.get("content-encoding", "-"),
                    "cache": headers.get("cache-control", "-"),
                    "cached": response.get("fromDiskCache") or response.get("fromPrefetchCache"),
                }

            def finished(event):
                if event["requestId"] in seen:
                    seen[event["requestId"]]["bytes"] = int(event["encodedDataLength"])

            def from_cache(event):
                seen.setdefault(event["requestId"], {})["cached"] = True

            cdp.on("Network.responseReceived", received)
            cdp.on("Network.loadingFinished", finished)
            cdp.on("Network.requestServedFromCache", from_cache)

            def visit() -> dict[str, dict]:
                seen.clear()
                page.goto(url, wait_until="load")
                page.evaluate(SCROLL_TO_END)
                page.wait_for_function(ALL_DRAWN, timeout=120_000)
                page.wait_for_load_state("networkidle")
                return dict(seen)

            first = visit()
            repeat = visit()
        finally:
            browser.close()
    return Transfer(
        url=url,
        first={
            r["url"]: (r.get("bytes", 0), r["encoding"], r["cache"])
            for r in first.values()
            if "url" in r
        },
        repeat={
            r["url"]: r.get("bytes", 0)
            for r in repeat.values()
            if "url" in r and not r.get("cached") and r.get("bytes", 0)
        },
    )


# --- output -----------------------------------------------------------------------------------


def print_audits(audits: list[tuple[str, str, Audit]]) -> None:
    print(
        "\n| page | language | performance | TBT, ms | TTI, s | LCP, s | CLS | accessibility "
        "| best practices | SEO | DOM elements | bytes (Lighthouse's load) |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, language, audit in audits:
        s = audit.scores
        print(
            f"| `{PAGES[name]}` | {language} | {s['performance']} | {audit.tbt_ms:,.0f} "
            f"| {audit.tti_ms / 1000:.1f} | {audit.lcp_ms / 1000:.1f} | {audit.cls:.3f} "
            f"| {s['accessibility']} | {s['best-practices']} | {s['seo']} "
            f"| {audit.dom_size:,} | {audit.bytes:,} |"
        )
    for name, language, audit in audits:
        if audit.failed:
            print(f"  {PAGES[name]} ({language}) below 100 because of: {', '.join(audit.failed)}")


def print_transfer(visit: Transfer, base_url: str) -> None:
    print(f"\nTransfer of {visit.url.removeprefix(base_url)} (every chart drawn):")
    for url, (size, encoding, cache) in sorted(visit.first.items(), key=lambda item: -item[1][0]):
        print(f"  {url.removeprefix(base_url):56} {size:>9,}  {encoding:4}  {cache}")
    print(f"  first visit: {visit.first_total:,} bytes ({visit.first_total / 1024:,.0f} KiB)")
    print(f"  repeat visit: {visit.repeat_total:,} bytes: {sorted(visit.repeat)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="+", choices=sorted(PAGES), default=list(PAGES))
    parser.add_argument("--languages", nargs="+", choices=sorted(LANGUAGE_PREFIXES),
                        default=["en", "ur"])  # fmt: skip
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--no-transfer", action="store_true", help="skip the transfer figures")
    parser.add_argument(
        "--serve", action="store_true", help="only serve the pages (to profile them) until Ctrl-C"
    )
    args = parser.parse_args()

    ensure_lighthouse()
    config, database_url = database_urls()
    name = database_url.rpartition("/")[2]
    common.drop_database(config, name)
    common.create_database(config, name)
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    gunicorn = None
    try:
        prepare(database_url)
        port = free_port()
        base_url = f"http://{HOST}:{port}"
        with tempfile.TemporaryDirectory(prefix="sez-lighthouse-") as tmp:
            workdir = Path(tmp)
            gunicorn = start_gunicorn(database_url, port, workdir / "gunicorn.log")
            if args.serve:
                print(f"serving {base_url}/ as in production; Ctrl-C stops", flush=True)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                signal.signal(signal.SIGTERM, signal.default_int_handler)  # kill <pid> too
                with contextlib.suppress(KeyboardInterrupt):
                    gunicorn.wait()
                return 0
            audits: list[tuple[str, str, Audit]] = []
            for language in args.languages:
                for page in args.pages:
                    url = base_url + LANGUAGE_PREFIXES[language] + PAGES[page]
                    warm(url)
                    runs = [lighthouse(url, workdir) for _ in range(args.runs)]
                    ranked = sorted(runs, key=lambda audit: audit.scores["performance"])
                    audit = ranked[len(ranked) // 2]
                    audits.append((page, language, audit))
                    print(
                        f"{language} {PAGES[page]}: performance {audit.scores['performance']}, "
                        f"TBT {audit.tbt_ms:,.0f} ms"
                        + (
                            f" (median of {args.runs}: "
                            f"{statistics.median(a.scores['performance'] for a in runs)})"
                            if args.runs > 1
                            else ""
                        ),
                        flush=True,
                    )
            visits = [] if args.no_transfer else [transfer(base_url + "/")]
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        if not args.keep:
            common.drop_database(config, name)
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print_audits(audits)
    for visit in visits:
        print_transfer(visit, base_url)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "audits": [
                        {"page": page, "language": language, **vars(audit)}
                        for page, language, audit in audits
                    ],
                    "transfer": [
                        {"url": v.url, "first": v.first_total, "repeat": v.repeat_total}
                        for v in visits
                    ],
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

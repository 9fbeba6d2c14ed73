"""axe-core for the accessibility tests, taken from its npm package into .data/ (git-ignored).

The browser tests inject ``axe.min.js`` into each page from this file: nothing is loaded from
a CDN. ``make test`` fetches it first (``python -m tests.browser.axe``); the tests fetch it
too when it is missing. Either way npm is needed once per machine.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

AXE_VERSION = "4.14.1"
CACHE_DIR = Path(__file__).resolve().parents[2] / ".data" / f"axe-core-{AXE_VERSION}"
AXE_JS = CACHE_DIR / "axe.min.js"


class AxeUnavailable(RuntimeError):
    """axe-core is not cached and cannot be fetched here."""


def ensure_axe() -> Path:
    """The path of axe.min.js, fetching ``axe-core@AXE_VERSION`` with ``npm pack`` if needed."""
    if AXE_JS.exists():
        return AXE_JS
    npm = shutil.which("npm")
    if npm is None:
        raise AxeUnavailable(
            f"axe-core {AXE_VERSION} is not in {CACHE_DIR} and npm is not installed: install "
            "Node.js and npm (Debian: apt-get install npm), then run `make test` again."
        )
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [npm, "pack", f"axe-core@{AXE_VERSION}", "--silent", "--pack-destination", tmp],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        tarballs = list(Path(tmp).glob("axe-core-*.tgz"))
        if result.returncode != 0 or not tarballs:
            raise AxeUnavailable(
                f"npm pack axe-core@{AXE_VERSION} failed: {result.stderr.strip()[-500:]}"
            )
        with tarfile.open(tarballs[0]) as archive:
            members = {m.name: m for m in archive.getmembers()}
            wanted = ("package/LICENSE", "package/package.json", "package/axe.min.js")  # js last
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            for name in wanted:
                source = archive.extractfile(members[name])
                target = CACHE_DIR / Path(name).name
                tmp_target = target.with_suffix(target.suffix + ".tmp")
                tmp_target.write_bytes(source.read())
                tmp_target.replace(target)
    return AXE_JS


if __name__ == "__main__":
    try:
        print(f"axe-core {AXE_VERSION}: {ensure_axe()}")
    except AxeUnavailable as exc:
        sys.exit(str(exc))

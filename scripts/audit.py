"""Audit the installed dependencies for known vulnerabilities with pip-audit (``make audit``).

Exit status: 1 when pip-audit reports a vulnerability not excepted in ``AUDIT_EXCEPTIONS``
(below, each with its reason); 0 otherwise. When the vulnerability service cannot be reached,
or cannot answer for some packages, the audit is *incomplete*: it says so loudly, lists them,
and exits 0 so that a closed network does not fail the test run, unless ``AUDIT_STRICT=1``
(use that where the service is reachable, e.g. before a release). See docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PIP_AUDIT = BASE_DIR / ".venv" / "bin" / "pip-audit"

# Vulnerability id -> why it does not apply to us (and until when). Empty: none excepted.
AUDIT_EXCEPTIONS: dict[str, str] = {}


def main() -> int:
    strict = os.environ.get("AUDIT_STRICT") == "1"
    command = [str(PIP_AUDIT), "--format", "json", "--progress-spinner", "off"]
    for vuln_id in AUDIT_EXCEPTIONS:
        command += ["--ignore-vuln", vuln_id]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"AUDIT INCOMPLETE: pip-audit did not run ({exc}).")
        return 1 if strict else 0
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        print("AUDIT INCOMPLETE: the vulnerability service could not be reached:")
        print("\n".join(f"  {line}" for line in tail))
        return 1 if strict else 0

    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = len(dependencies) - len(skipped)
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"VULNERABLE: {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})")
    for vuln_id, reason in AUDIT_EXCEPTIONS.items():
        print(f"excepted: {vuln_id}: {reason}")
    print(
        f"pip-audit: {audited} of {len(dependencies)} packages audited, "
        f"{len(vulnerable)} with known vulnerabilities, {len(skipped)} not audited."
    )
    if skipped:
        reasons = sorted({d["skip_reason"].split(":")[0] for d in skipped})
        names = ", ".join(sorted(d["name"] for d in skipped)[:12])
        more = "…" if len(skipped) > 12 else ""
        print(f"AUDIT INCOMPLETE: not audited ({'; '.join(reasons)}): {names}{more}")
    if vulnerable:
        return 1
    if skipped and strict:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

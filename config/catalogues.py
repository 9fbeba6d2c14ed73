"""Compile the translation catalogues (locale/*/LC_MESSAGES/*.po) into .mo files.

Django's ``compilemessages`` needs GNU gettext's ``msgfmt``, which a bare machine may lack;
polib writes the same binary format in pure Python. Like ``msgfmt``, fuzzy and untranslated
entries are left out of the .mo file. ``make run`` and ``make test`` run this first:

    python -m config.catalogues [--force]      compile
    python -m config.catalogues --check        list untranslated, fuzzy or broken entries

New strings are extracted with GNU gettext (``manage.py makemessages`` and the options in
``MAKEMESSAGES_ARGS``), then translated by hand in locale/<language>/LC_MESSAGES/django.po.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: The catalogues we keep, as gettext names them (English is the source language).
CATALOGUE_LANGUAGES = ("ur", "zh_Hans")
#: Plural rules of each catalogue's header.
PLURAL_FORMS = {"ur": "nplurals=2; plural=(n != 1);", "zh_Hans": "nplurals=1; plural=0;"}
#: ``manage.py makemessages`` arguments that extract every user-facing string of the project.
MAKEMESSAGES_ARGS = [
    *(f"--locale={language}" for language in CATALOGUE_LANGUAGES),
    "--no-obsolete",
    *(
        f"--ignore={pattern}"
        for pattern in (".venv", "node_modules", "staticfiles", ".data", "tests", "bench")
    ),
]
_PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sdfr]|%%|%[sdfr]|\{[A-Za-z_]+\}")


def compile_catalogues(*, locale_dir: Path = LOCALE_DIR, force: bool = False) -> list[Path]:
    """Write a .mo beside every .po that is newer than its .mo (every one with ``force``).

    Returns the .mo files written."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalogue = polib.pofile(str(po_path), wrapwidth=0)
        tmp_path = mo_path.with_suffix(".mo.tmp")
        catalogue.save_as_mofile(str(tmp_path))
        tmp_path.replace(mo_path)  # atomic: a running server never reads half a file
        written.append(mo_path)
    return written


def placeholders(text: str) -> list[str]:
    """The %-style and brace placeholders in ``text``, sorted (repeats kept)."""
    return sorted(_PLACEHOLDER.findall(text))


def catalogue_problems(po_path: Path) -> list[str]:
    """What keeps a catalogue from being complete: a fuzzy header or entry, an untranslated
    entry, a translation whose placeholders differ from the English, a wrong plural rule."""
    catalogue = polib.pofile(str(po_path), wrapwidth=0)
    language = po_path.parent.parent.name
    problems = []
    if catalogue.metadata_is_fuzzy:
        problems.append("the header is marked fuzzy")
    if (
        language in PLURAL_FORMS
        and catalogue.metadata.get("Plural-Forms") != PLURAL_FORMS[language]
    ):
        problems.append(f"Plural-Forms should be {PLURAL_FORMS[language]!r}")
    nplurals = int(re.search(r"nplurals=(\d+)", PLURAL_FORMS.get(language, "nplurals=2"))[1])
    for entry in catalogue:
        if entry.obsolete:
            continue
        where = f"{po_path.relative_to(po_path.parents[3])}:{entry.linenum}: {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where} is fuzzy")
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(i, "") for i in range(nplurals)]
            if not all(forms):
                problems.append(f"{where} has untranslated plural forms")
                continue
            allowed = set(placeholders(entry.msgid) + placeholders(entry.msgid_plural))
            if any(not set(placeholders(form)) <= allowed for form in forms):
                problems.append(f"{where} has placeholders the English does not have")
        elif not entry.msgstr:
            problems.append(f"{where} is untranslated")
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            problems.append(f"{where} has placeholders unlike the English")
    return problems


def main(argv: list[str]) -> int:
    if "--check" in argv:
        problems = [
            problem
            for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
            for problem in catalogue_problems(po_path)
        ]
        print("\n".join(problems) or "translation catalogues are complete")
        return 1 if problems else 0
    written = compile_catalogues(force="--force" in argv)
    for path in written:
        print(f"compiled {path.relative_to(LOCALE_DIR.parent)}")
    if not written:
        print("translation catalogues are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The Urdu and Chinese catalogues are complete: every string the code and templates mark
for translation is in them, translated, not fuzzy, with the English placeholders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from config.catalogues import (
    CATALOGUE_LANGUAGES,
    LOCALE_DIR,
    MAKEMESSAGES_ARGS,
    catalogue_problems,
)
from zones.reference_data import PROVINCES, SECTORS
from zones.vocabulary import MilestoneStatus, UtilityKind, UtilityStatus, ZoneStatus

BASE_DIR = LOCALE_DIR.parent
#: What ``makemessages`` reads: Python, templates and text files of the project's own code.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}


def catalogue(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def msgids(path: Path) -> set[tuple[str | None, str]]:
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_every_entry_is_translated_not_fuzzy_and_keeps_its_placeholders(language):
    path = catalogue(language)
    assert path.exists(), f"{path} is missing"
    problems = catalogue_problems(path)
    assert not problems, "\n".join(problems)


def test_both_catalogues_hold_the_same_messages():
    ur, zh = (msgids(catalogue(language)) for language in CATALOGUE_LANGUAGES)
    assert ur == zh, f"only in ur: {sorted(ur - zh)[:10]}; only in zh_Hans: {sorted(zh - ur)[:10]}"


def _copy_sources(destination: Path) -> None:
    """The project's source files (no virtualenv, data, tests or catalogues) under
    ``destination``, so extraction never touches the real catalogues."""
    skipped = {".venv", "node_modules", "staticfiles", ".data", ".git", "tests", "bench", "locale"}
    for folder, subfolders, files in os.walk(BASE_DIR):
        here = Path(folder)
        subfolders[:] = [
            name
            for name in subfolders
            if name != "__pycache__" and not (here == BASE_DIR and name in skipped)
        ]
        for name in files:
            if Path(name).suffix in SOURCE_SUFFIXES:
                target = destination / (here / name).relative_to(BASE_DIR)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(here / name, target)


def test_every_translatable_string_in_the_code_is_in_the_catalogues(tmp_path, monkeypatch):
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip(
            "GNU gettext (xgettext, msgmerge) is not installed, so strings cannot be extracted "
            "here; the catalogues' own completeness is still checked by the tests above"
        )
    sources = tmp_path / "project"
    _copy_sources(sources)
    extracted_locale = sources / "locale"
    extracted_locale.mkdir()
    monkeypatch.chdir(sources)
    with override_settings(LOCALE_PATHS=[extracted_locale]):
        call_command("makemessages", *MAKEMESSAGES_ARGS, verbosity=0)

    missing = {}
    for language in CATALOGUE_LANGUAGES:
        in_code = msgids(extracted_locale / language / "LC_MESSAGES" / "django.po")
        in_catalogue = msgids(catalogue(language))
        missing[language] = sorted(msgid for _ctx, msgid in in_code - in_catalogue)
    assert not any(missing.values()), (
        "strings marked for translation are missing from the catalogues; run "
        "`manage.py makemessages "
        + " ".join(MAKEMESSAGES_ARGS)
        + "` and translate them:\n"
        + "\n".join(f"{language}: {ids}" for language, ids in missing.items() if ids)
    )


REFERENCE_NAMES = [name for _code, name in PROVINCES] + [name for _slug, name in SECTORS]
CHOICE_LABELS = [
    str(label)
    for choices in (ZoneStatus, UtilityKind, UtilityStatus, MilestoneStatus)
    for label in choices.labels
]


@pytest.mark.parametrize("language", ["ur", "zh-hans"])
@pytest.mark.parametrize("english", REFERENCE_NAMES + CHOICE_LABELS)
def test_province_sector_status_and_utility_names_are_translated(language, english):
    with translation.override(language):
        shown = translation.gettext(english)
    assert shown and shown != english

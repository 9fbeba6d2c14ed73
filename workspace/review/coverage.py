"""How much of a zone's own words is translated, and what is still missing: for editors.

Counts the texts a public page shows (the zone's name and description, its milestones'
titles, its disputes' descriptions) that have English to translate; reads the records the
workspace already loaded (``editor_zones`` prefetches milestones and disputes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zones.localized import SOURCE_LANGUAGE, field_name

from ..vocabulary import ChangeRequestKind


@dataclass(frozen=True)
class MissingText:
    """One text without a translation in ``language``, and where the editor adds it."""

    what: str
    english: str
    language: str
    language_name: str
    kind: str  # the workspace editor that takes it (a ChangeRequestKind)
    record_id: int


@dataclass
class LanguageCoverage:
    language: str
    language_name: str
    translated: int = 0
    total: int = 0

    @property
    def percent(self) -> int | None:
        """Whole per cent, rounded down (100 only when nothing is missing)."""
        return None if not self.total else self.translated * 100 // self.total


@dataclass
class TranslationCoverage:
    languages: list[LanguageCoverage] = field(default_factory=list)
    missing: list[MissingText] = field(default_factory=list)


def _texts(zone):
    yield _("Zone name"), zone, "name", ChangeRequestKind.ZONE_TEXT, zone.pk
    yield _("Zone description"), zone, "description", ChangeRequestKind.ZONE_TEXT, zone.pk
    for milestone in zone.milestones.all():
        yield _("Milestone title"), milestone, "title", ChangeRequestKind.MILESTONE, milestone.pk
    for dispute in zone.disputes.all():
        yield (
            _("Dispute description"),
            dispute,
            "description",
            ChangeRequestKind.DISPUTE,
            dispute.pk,
        )


def translation_coverage(zone) -> TranslationCoverage:
    """Per language other than English: how many of the zone's texts are translated, and
    which are not."""
    coverage = TranslationCoverage(
        languages=[
            LanguageCoverage(code, str(name))
            for code, name in settings.LANGUAGES
            if code != SOURCE_LANGUAGE
        ]
    )
    for what, record, name, kind, record_id in _texts(zone):
        english = getattr(record, field_name(name, SOURCE_LANGUAGE)) or ""
        if not english:
            continue  # nothing to translate
        for language in coverage.languages:
            language.total += 1
            if getattr(record, field_name(name, language.language)):
                language.translated += 1
            else:
                coverage.missing.append(
                    MissingText(
                        str(what),
                        english,
                        language.language,
                        language.language_name,
                        kind,
                        record_id,
                    )
                )
    return coverage

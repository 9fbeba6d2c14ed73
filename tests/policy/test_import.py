"""The bundle's policy_events and applications sheets: imported whole or refused whole, every
refusal as ``sheet:line: column: message``, idempotent; policy events are national, so only
an administrator's import (no zone scope) may carry them."""

from __future__ import annotations

import datetime

import pytest

from policy.models import Application, PolicyEvent
from tests.factories import ZoneFactory
from tests.zones.test_importer import write_csv_bundle, write_xlsx_bundle
from zones.importer import BundleError, import_bundle, read_bundle
from zones.models import Zone

pytestmark = pytest.mark.django_db

ZONES = [
    ["slug", "name", "province", "status"],
    ["dhabeji", "Dhabeji SEZ", "PK-SD", "under_development"],
    ["rashakai", "Rashakai SEZ", "PK-KP", "under_development"],
]
EVENTS = [
    ["reference", "date", "level", "province", "instrument", "title", "effect", "incentive",
     "zones", "source_url"],
    ["sez-act-2012", "2012-09-10", "federal", "", "SEZ Act 2012", "Income tax exemption",
     "incentive_granted", "income-tax", "", "https://example.org/act"],
    ["sindh-rule", "2016-01-01", "provincial", "PK-SD", "Sindh notification",
     "Provincial duty waived", "incentive_granted", "", "", ""],
    ["rashakai-board", "2017-03-01", "federal", "", "BoA decision", "Rashakai notified",
     "procedure_changed", "", "rashakai;dhabeji", ""],
]  # fmt: skip
APPLICATIONS = [
    ["zone", "reference", "applicant", "kind", "applied_on", "decided_on", "decision"],
    ["dhabeji", "ES-1", "Firm A", "enterprise_status", "2025-01-01", "2025-01-15", "approved"],
    ["dhabeji", "ES-2", "Firm B", "enterprise_status", "2025-02-01", "", "pending"],
    ["rashakai", "NOC-1", "Firm C", "noc", "2025-03-01", "2025-03-02", "withdrawn"],
]  # fmt: skip
BUNDLE = {"zones": ZONES, "policy_events": EVENTS, "applications": APPLICATIONS}


def _with_row(sheet: str, row: list[str]) -> dict:
    bundle = {name: [list(r) for r in rows] for name, rows in BUNDLE.items()}
    bundle[sheet].append(row)
    return bundle


def _errors(tmp_path, bundle, **kwargs) -> list[str]:
    with pytest.raises(BundleError) as refused:
        import_bundle(read_bundle(write_csv_bundle(tmp_path / "bundle", bundle)), **kwargs)
    return [str(error) for error in refused.value.errors]


@pytest.fixture(params=["csv", "xlsx"])
def bundle_path(request, tmp_path):
    if request.param == "csv":
        return write_csv_bundle(tmp_path / "bundle", BUNDLE)
    return write_xlsx_bundle(tmp_path / "bundle.xlsx", BUNDLE)


def test_both_sheets_import(bundle_path):
    report = import_bundle(read_bundle(bundle_path))

    act = PolicyEvent.objects.get(reference="sez-act-2012")
    assert (act.date, act.level, act.province, act.incentive) == (
        datetime.date(2012, 9, 10), "federal", None, "income-tax",
    )  # fmt: skip
    assert act.source_url == "https://example.org/act"
    assert PolicyEvent.objects.get(reference="sindh-rule").province_id == "PK-SD"
    board = PolicyEvent.objects.get(reference="rashakai-board")
    assert sorted(board.zones.values_list("slug", flat=True)) == ["dhabeji", "rashakai"]
    es1 = Application.objects.get(reference="ES-1")
    assert (es1.zone.slug, es1.decided_on, es1.decision) == (
        "dhabeji", datetime.date(2025, 1, 15), "approved",
    )  # fmt: skip
    assert report.counts["policy_events"].created == 3
    assert report.counts["applications"].created == 3


def test_importing_the_same_bundle_twice_changes_nothing(bundle_path):
    import_bundle(read_bundle(bundle_path))
    report = import_bundle(read_bundle(bundle_path))
    assert all(c.created == 0 and c.updated == 0 for c in report.counts.values())


def test_a_changed_zone_list_is_an_update(tmp_path):
    import_bundle(read_bundle(write_csv_bundle(tmp_path / "first", BUNDLE)))
    bundle = {name: [list(r) for r in rows] for name, rows in BUNDLE.items()}
    bundle["policy_events"][3][8] = "rashakai"
    report = import_bundle(read_bundle(write_csv_bundle(tmp_path / "second", bundle)))
    assert [row.changed for row in report.rows if row.action == "updated"] == [["zones"]]
    board = PolicyEvent.objects.get(reference="rashakai-board")
    assert list(board.zones.values_list("slug", flat=True)) == ["rashakai"]


@pytest.mark.parametrize(
    ("sheet", "row", "expected"),
    [
        ("policy_events", ["kp-rule", "2016-01-01", "provincial", "", "Notification", "X",
                           "incentive_granted", "", "", ""],
         "policy_events:5: province: A provincial event needs its province."),
        ("policy_events", ["fed-rule", "2016-01-01", "federal", "PK-SD", "Notification", "X",
                           "incentive_granted", "", "", ""],
         "policy_events:5: province: A federal event names no province."),
        ("policy_events", ["fed-rule", "2016-01-01", "federal", "", "Notification", "X",
                           "incentive_granted", "", "nowhere", ""],
         "policy_events:5: zones: Unknown zone 'nowhere'"),
        ("policy_events", ["fed-rule", "2016-01-01", "federal", "", "Notification", "X",
                           "tax_holiday", "", "", ""],
         "policy_events:5: effect: Unknown effect “tax_holiday”; use one of: incentive_granted"),
        ("policy_events", ["fed-rule", "2016-01-01", "national", "", "Notification", "X",
                           "incentive_granted", "", "", ""],
         "policy_events:5: level: Select a valid choice."),
        ("applications", ["dhabeji", "ES-3", "Firm", "enterprise_status", "2025-03-10",
                          "2025-03-01", "approved"],
         "applications:5: decided_on: The decision (2025-03-01) comes before the application "
         "(2025-03-10)."),
        ("applications", ["dhabeji", "ES-3", "Firm", "enterprise_status", "2025-03-10", "",
                          "rejected"],
         "applications:5: decided_on: A decided application needs its decision date."),
        ("applications", ["dhabeji", "ES-3", "Firm", "enterprise_status", "2025-03-10",
                          "2025-03-11", "pending"],
         "applications:5: decided_on: A pending application has no decision date."),
        ("applications", ["nowhere", "ES-3", "Firm", "noc", "2025-03-10", "", "pending"],
         "applications:5: zone: Unknown zone 'nowhere'"),
        ("applications", ["dhabeji", "ES-1", "Firm", "noc", "2025-03-10", "", "pending"],
         "applications:5: reference: Duplicate of line 2 (same natural key)."),
    ],
)  # fmt: skip
def test_each_refusal_names_sheet_line_and_column_and_saves_nothing(tmp_path, sheet, row, expected):
    errors = _errors(tmp_path, _with_row(sheet, row))

    assert any(error.startswith(expected) for error in errors), errors
    assert not Zone.objects.exists()
    assert not PolicyEvent.objects.exists()
    assert not Application.objects.exists()


def test_an_editor_may_not_import_policy_events(tmp_path):
    ZoneFactory(slug="dhabeji")
    ZoneFactory(slug="rashakai")
    bundle = {"policy_events": EVENTS[:2]}
    errors = _errors(tmp_path, bundle, zone_allowed=lambda slug: True)
    assert errors == ["policy_events:2: reference: Only administrators may import policy events."]
    assert not PolicyEvent.objects.exists()


def test_an_editor_may_import_applications_of_their_zones(tmp_path):
    ZoneFactory(slug="dhabeji")
    ZoneFactory(slug="rashakai")
    bundle = {"applications": APPLICATIONS}
    errors = _errors(tmp_path, bundle, zone_allowed=lambda slug: slug == "dhabeji")
    assert errors == ["applications:4: zone: You may not change zone 'rashakai'."]
    import_bundle(
        read_bundle(write_csv_bundle(tmp_path / "ok", {"applications": APPLICATIONS[:3]})),
        zone_allowed=lambda slug: slug == "dhabeji",
    )
    assert Application.objects.count() == 2

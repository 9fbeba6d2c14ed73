"""The one filter set behind the finder page, the API and the exports: same parameters, same
zones, same order, everywhere."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from aggregates.services import aggregates_refresh_uncommitted
from tests.factories import FirmFactory, UtilityFactory, ZoneFactory, make_user
from zones.filtersets import ZoneFilterSet
from zones.models import ReadinessSnapshot, Zone
from zones.vocabulary import FirmStatus, UtilityStatus, ZoneStatus

pytestmark = pytest.mark.django_db

CONNECTED = UtilityStatus.CONNECTED
AT_ZERO_POINT = UtilityStatus.AT_ZERO_POINT


def _scored(zone: Zone, score: str) -> Zone:
    zone.readiness_score = Decimal(score)
    zone.readiness_computed_at = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    zone.save(update_fields=["readiness_score", "readiness_computed_at"])
    return zone


@pytest.fixture
def world():
    """Five zones, one unpublished, whose differences each filter can tell apart."""
    alpha = _scored(
        ZoneFactory(
            name="Alpha Zone",
            slug="alpha",
            province__code="PK-PB",
            district="Faisalabad",
            developer="FIEDMC",
            status=ZoneStatus.OPERATIONAL,
            cpec_priority=True,
            area_acres=Decimal("1000"),
            sectors=["textiles", "steel"],
        ),
        "80.0",
    )
    UtilityFactory(zone=alpha, kind="electricity", status=CONNECTED)
    UtilityFactory(zone=alpha, kind="gas", status=CONNECTED)
    UtilityFactory(zone=alpha, kind="water", status=AT_ZERO_POINT)
    FirmFactory(zone=alpha, status=FirmStatus.OPERATING, allotted_acres=Decimal("200"))
    FirmFactory(zone=alpha, status=FirmStatus.ALLOTTED, allotted_acres=Decimal("100"))
    FirmFactory(zone=alpha, status=FirmStatus.WITHDRAWN, allotted_acres=Decimal("500"))

    bravo = _scored(
        ZoneFactory(
            name="Bravo Zone",
            slug="bravo",
            province__code="PK-SD",
            district="Thatta",
            developer="ZKB Development",
            status=ZoneStatus.UNDER_DEVELOPMENT,
            cpec_priority=False,
            area_acres=Decimal("500"),
            sectors=["textiles"],
        ),
        "40.0",
    )
    UtilityFactory(zone=bravo, kind="electricity", status=CONNECTED)
    FirmFactory(zone=bravo, status=FirmStatus.UNDER_CONSTRUCTION, allotted_acres=Decimal("450"))

    charlie = ZoneFactory(
        name="Charlie Zone",
        slug="charlie",
        province__code="PK-KP",
        district="Nowshera",
        developer="KPEZDMC",
        status=ZoneStatus.STALLED,
        cpec_priority=True,
        area_acres=None,
        sectors=["pharmaceuticals"],
    )
    UtilityFactory(zone=charlie, kind="electricity", status=AT_ZERO_POINT)

    delta = _scored(
        ZoneFactory(
            name="Delta Zone",
            slug="delta",
            province__code="PK-BA",
            status=ZoneStatus.APPROVED,
            cpec_priority=True,
            area_acres=Decimal("5000"),
            sectors=["minerals", "textiles"],
            published=False,
        ),
        "90.0",
    )
    for kind in ("electricity", "gas", "water", "road"):
        UtilityFactory(zone=delta, kind=kind, status=CONNECTED)

    echo = _scored(
        ZoneFactory(
            name="Echo Zone",
            slug="echo",
            province__code="PK-PB",
            district="Lahore",
            developer="Punjab Industrial Estates",
            status=ZoneStatus.OPERATIONAL,
            cpec_priority=False,
            area_acres=Decimal("200"),
            sectors=["food-processing"],
        ),
        "60.0",
    )
    UtilityFactory(zone=echo, kind="electricity", status=CONNECTED)
    UtilityFactory(zone=echo, kind="gas", status=CONNECTED)
    return {z.slug: z for z in (alpha, bravo, charlie, delta, echo)}


def page_slugs(client, query: str) -> list[str]:
    response = client.get(f"/zones/?{query}")
    assert response.status_code == 200, response.content[:500]
    return [zone.slug for zone in response.context["zones"]]


def api_slugs(client, query: str) -> list[str]:
    response = client.get(f"/api/zones/?{query}")
    assert response.status_code == 200, response.content[:500]
    return [zone["slug"] for zone in response.json()["results"]]


def csv_slugs(client, query: str) -> list[str]:
    response = client.get(f"/zones/export.csv?{query}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row["Slug"] for row in csv.DictReader(io.StringIO(text))]


def xlsx_slugs(client, query: str) -> list[str]:
    response = client.get(f"/zones/export.xlsx?{query}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    slug_column = rows[0].index("Slug")
    return [row[slug_column] for row in rows[1:]]


SURFACES = {"page": page_slugs, "api": api_slugs, "csv": csv_slugs, "xlsx": xlsx_slugs}

FILTER_CASES = [
    ("", {"alpha", "bravo", "charlie", "echo"}),
    ("sector=textiles", {"alpha", "bravo"}),
    ("sector=textiles&sector=pharmaceuticals", {"alpha", "bravo", "charlie"}),
    ("province=PK-PB", {"alpha", "echo"}),
    ("province=PK-SD&province=PK-KP", {"bravo", "charlie"}),
    ("status=operational", {"alpha", "echo"}),
    ("status=stalled&status=under_development", {"bravo", "charlie"}),
    ("readiness_min=60", {"alpha", "echo"}),
    ("readiness_max=50", {"bravo"}),
    ("readiness_min=40&readiness_max=60", {"bravo", "echo"}),
    ("utility=electricity", {"alpha", "bravo", "echo"}),
    ("utility=electricity&utility=gas", {"alpha", "echo"}),
    ("utility=water", set()),
    ("free_land_min=100", {"alpha", "echo"}),
    ("free_land_min=700", {"alpha"}),
    ("cpec_priority=true", {"alpha", "charlie"}),
    ("cpec_priority=false", {"bravo", "echo"}),
    ("q=faisalabad", {"alpha"}),
    ("q=zkb", {"bravo"}),
    ("q=pharma", {"charlie"}),
    ("q=zone+steel", {"alpha"}),
    ("sector=textiles&province=PK-PB&cpec_priority=true", {"alpha"}),
]


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize(
    ("query", "expected"), FILTER_CASES, ids=[q or "none" for q, _ in FILTER_CASES]
)
def test_each_filter_gives_the_same_zones_on_page_api_and_exports(
    client, world, surface, query, expected
):
    assert set(SURFACES[surface](client, query)) == expected


SORT_CASES = [
    ("sort=name", ["alpha", "bravo", "charlie", "echo"]),
    ("sort=-name", ["echo", "charlie", "bravo", "alpha"]),
    ("sort=-readiness", ["alpha", "echo", "bravo", "charlie"]),
    ("sort=readiness", ["bravo", "echo", "alpha", "charlie"]),
    ("sort=free_land", ["bravo", "echo", "alpha", "charlie"]),
    ("sort=-free_land", ["alpha", "echo", "bravo", "charlie"]),
    ("sort=-area", ["alpha", "bravo", "echo", "charlie"]),
    ("sort=province,-readiness", ["charlie", "alpha", "echo", "bravo"]),
]


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize(("query", "expected"), SORT_CASES, ids=[q for q, _ in SORT_CASES])
def test_sorting_is_the_same_everywhere_and_unknown_values_go_last(
    client, world, surface, query, expected
):
    assert SURFACES[surface](client, query) == expected


def test_free_land_is_area_minus_land_of_active_firms(client, world):
    rows = {row["slug"]: row for row in client.get("/api/zones/").json()["results"]}

    assert rows["alpha"]["free_land_acres"] == 700  # 1000 − (200 operating + 100 allotted)
    assert rows["bravo"]["free_land_acres"] == 50
    assert rows["charlie"]["free_land_acres"] is None  # no area recorded


def test_officials_find_unpublished_zones_too(client, world):
    client.force_login(make_user("official"))

    assert set(page_slugs(client, "sector=textiles")) == {"alpha", "bravo", "delta"}
    assert set(api_slugs(client, "sector=textiles")) == {"alpha", "bravo", "delta"}
    assert set(csv_slugs(client, "sector=textiles")) == {"alpha", "bravo", "delta"}


def test_the_page_lists_what_an_investor_compares(client, world):
    html = client.get("/zones/?province=PK-PB").content.decode()

    assert "2 zones match" in html
    assert "Alpha Zone" in html and "Echo Zone" in html and "Bravo Zone" not in html
    assert "Textiles and garments" in html  # sectors
    assert "80.0" in html  # readiness
    assert ">700 <small" in html  # free land
    assert "from 2 firm records" in html  # and the firm records it rests on
    assert "Electricity, Gas" in html  # connected utilities, not water at the zero point


def test_zones_never_scored_say_so(client, world):
    html = client.get("/zones/?province=PK-KP").content.decode()

    assert "not yet computed" in html


def test_the_filter_form_keeps_its_state_in_the_url(client, world):
    html = client.get("/zones/?sector=textiles&province=PK-SD&readiness_min=30&q=zkb").content
    html = html.decode()

    assert re.search(r'name="sector" value="textiles"[^>]*checked', html)
    assert not re.search(r'name="sector" value="steel"[^>]*checked', html)
    assert re.search(r'name="province" value="PK-SD"[^>]*checked', html)
    assert 'name="readiness_min" value="30"' in html
    assert 'name="q" value="zkb"' in html
    # Sort links and the export links carry the filters along.
    assert "/zones/export.csv?sector=textiles&amp;province=PK-SD" in html


@pytest.mark.parametrize("url", ["/zones/", "/zones/?sector=nonsense"])
def test_the_finder_form_is_the_filter_sets_own_form(client, url):
    form = client.get(url).context["form"]

    assert isinstance(form, ZoneFilterSet._meta.form)
    assert set(form.fields) == set(ZoneFilterSet.base_filters)


def test_pages_split_long_lists(client):
    ZoneFactory.create_batch(30)

    first = client.get("/zones/")
    second = client.get("/zones/?page=2")

    assert first.context["total"] == 30
    assert len(first.context["zones"]) == 25
    assert len(second.context["zones"]) == 5
    assert not {z.pk for z in first.context["zones"]} & {z.pk for z in second.context["zones"]}
    assert 'href="?page=2"' in first.content.decode()


def test_empty_result_says_which_filter_excluded_everything(client, world):
    response = client.get("/zones/?sector=textiles&province=PK-KP")
    html = response.content.decode()

    assert response.context["total"] == 0
    assert "Removing one of these would bring zones back" in html
    assert "Province: Khyber Pakhtunkhwa" in html
    assert "remove it to see 2 zones" in html  # without the province: alpha and bravo
    assert "Sector: Textiles and garments" in html
    assert "remove it to see 1 zone" in html  # without the sector: charlie


def test_empty_result_when_no_single_filter_is_to_blame(client, world):
    html = client.get("/zones/?province=PK-KP&sector=steel&status=approved").content.decode()

    assert "removing any single one of them would not help" in html


def test_filter_set_narrows_any_zone_queryset_for_other_consumers(world):
    """The dashboards reuse the filter set on their own querysets."""
    params = {"free_land_min": "100", "sort": "-free_land"}
    filterset = ZoneFilterSet(params, queryset=Zone.objects.filter(published=True))

    assert filterset.is_valid()
    assert [zone.slug for zone in filterset.qs] == ["alpha", "echo"]


# --- Query budgets ------------------------------------------------------------------------------

BUDGET_QUERY = (
    "sector=textiles&sector=steel&province=PK-PB&province=PK-SD&status=operational"
    "&readiness_min=0&utility=electricity&free_land_min=0&cpec_priority=true&q=zone&sort=-free_land"
)


def _many_zones(count: int) -> None:
    for index in range(count):
        zone = _scored(
            ZoneFactory(
                province__code="PK-PB",
                status=ZoneStatus.OPERATIONAL,
                cpec_priority=True,
                sectors=["textiles", "steel"],
            ),
            "50.0",
        )
        UtilityFactory(zone=zone, kind="electricity", status=CONNECTED)
        FirmFactory(zone=zone, allotted_acres=Decimal("5"))
        ReadinessSnapshot.objects.create(
            zone=zone,
            score=Decimal("50.0"),
            utilities=Decimal("0.5"),
            land=Decimal("1"),
            milestones=Decimal("0.2"),
            occupancy=Decimal("0.1"),
            weights={},
            profile_version=1,
            inputs_digest=str(index),
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/zones/", f"/zones/?{BUDGET_QUERY}"])
def test_finder_page_queries_stay_constant(client, url, django_assert_max_num_queries):
    _many_zones(2)
    aggregates_refresh_uncommitted()  # the worker's catch-up after the edits, outside the count
    few = _queries(client, url)
    _many_zones(20)
    aggregates_refresh_uncommitted()
    # 9, and one when the rows were sorted or filtered by free land: the firm records behind
    # it are counted for the page's rows only
    with django_assert_max_num_queries(10):
        many = _queries(client, url)
    assert many == few


@pytest.mark.parametrize("url", ["/api/zones/", f"/api/zones/?{BUDGET_QUERY}"])
def test_api_list_queries_stay_constant(client, url, django_assert_max_num_queries):
    _many_zones(2)
    aggregates_refresh_uncommitted()  # the worker's catch-up after the edits, outside the count
    few = _queries(client, url)
    _many_zones(20)
    aggregates_refresh_uncommitted()
    with django_assert_max_num_queries(8):  # as the finder: one for free land's records
        many = _queries(client, url)
    assert many == few


def test_empty_state_explanation_costs_one_query_whatever_the_filters(client, world):
    aggregates_refresh_uncommitted()  # the worker's catch-up after the edits, outside the count
    two_filters = _queries(client, "/zones/?utility=water&sector=steel")
    all_filters = _queries(
        client,
        "/zones/?utility=water&sector=steel&province=PK-PB&status=operational&cpec_priority=true"
        "&q=zone&readiness_min=1&readiness_max=99&free_land_min=1",
    )

    assert all_filters == two_filters + 1  # checking the province code is the one more


# --- Bad input ------------------------------------------------------------------------------------

BAD_PARAMETERS = [
    ("sector=nonsense", "sector", "Unknown sector “nonsense”."),
    ("province=PK-XX", "province", "Unknown province code “PK-XX”."),
    ("status=closed", "status", "Unknown status “closed”."),
    ("readiness_min=abc", "readiness_min", "Enter a number."),
    ("readiness_min=-1", "readiness_min", "greater than or equal to 0"),
    ("readiness_max=101", "readiness_max", "less than or equal to 100"),
    ("readiness_min=1e999", "readiness_min", "less than or equal to 100"),
    ("readiness_min=70&readiness_max=20", "readiness_min", "above the highest"),
    ("free_land_min=-5", "free_land_min", "greater than or equal to 0"),
    ("free_land_min=NaN", "free_land_min", "Enter a number."),
    ("free_land_min=" + "9" * 400, "free_land_min", "less than or equal to"),
    ("utility=teleport", "utility", "Unknown utility kind “teleport”."),
    ("cpec_priority=maybe", "cpec_priority", "CPEC priority must be “true” or “false”."),
    ("q=" + "x" * 5000, "q", "at most 200 characters"),
    ("q=%00", "q", "Null characters are not allowed."),
    ("sort=bogus", "sort", "Unknown sort key “bogus”."),
]


@pytest.mark.parametrize(("query", "parameter", "message"), BAD_PARAMETERS)
def test_bad_parameters_get_a_clear_message_on_the_page(client, world, query, parameter, message):
    response = client.get(f"/zones/?{query}")

    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("url", ["/zones/", "/", "/delivery/"])
def test_a_bad_parameter_is_also_shown_under_its_field(client, url):
    html = client.get(f"{url}?readiness_min=abc").content.decode()

    field = re.search(r'<input [^>]*name="readiness_min"[^>]*>', html).group()
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_readiness_min_error"' in field
    assert re.search(r'id="id_readiness_min_error"><li>Enter a number.</li>', html)


@pytest.mark.parametrize(("query", "parameter", "message"), BAD_PARAMETERS)
def test_bad_parameters_get_a_json_400_from_the_api(client, world, query, parameter, message):
    response = client.get(f"/api/zones/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert any(message in text for text in response.json()[parameter])


@pytest.mark.parametrize("export", ["csv", "xlsx"])
@pytest.mark.parametrize(("query", "parameter", "message"), BAD_PARAMETERS)
def test_bad_parameters_get_a_json_400_from_the_exports(
    client, world, export, query, parameter, message
):
    response = client.get(f"/zones/export.{export}?{query}")

    assert response.status_code == 400
    assert any(message in text for text in response.json()[parameter])


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("abc", "“abc” is not a page number."),
        ("0", "There is no page 0"),
        ("99", "There is no page 99: the results fill 1 page(s)."),
    ],
)
def test_a_page_that_does_not_exist_is_explained(client, world, page, message):
    response = client.get(f"/zones/?province=PK-PB&page={page}")

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'href="/zones/?province=PK-PB"' in html  # a way back to the first page


@pytest.mark.parametrize("page", ["abc", "0", "99", "-1", "1.5"])
def test_the_api_answers_a_page_that_does_not_exist_with_400(client, world, page):
    response = client.get(f"/api/zones/?page={page}")

    assert response.status_code == 400
    assert "page" in response.json()

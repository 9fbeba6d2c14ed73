"""Annual returns in the workspace: editors see which operating firms have not filed last
year's return (their home and the overdue digest), and update a return through review,
after which the firm's current figures follow it."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import AnnualReturnFactory, FirmFactory, ZoneFactory, make_user
from workspace.models import ChangeRequest
from workspace.review import selectors
from workspace.review.returns_due import overdue_returns
from workspace.review.tasks import send_overdue_digests

pytestmark = pytest.mark.django_db

DUE = timezone.localdate().year - 1


@pytest.fixture
def zone():
    zone = ZoneFactory(name="Allama Iqbal", province__code="PK-PB")
    AnnualReturnFactory(firm=FirmFactory(zone=zone, name="Filed Co"), year=DUE)
    AnnualReturnFactory(firm=FirmFactory(zone=zone, name="Late Co"), year=DUE - 2)
    FirmFactory(zone=zone, name="Never Co")
    FirmFactory(zone=zone, name="Interested Co", status="interested")  # not operating: not due
    return zone


def test_overdue_firms_are_the_operating_ones_without_last_years_return(zone):
    other = ZoneFactory()
    FirmFactory(zone=other, name="Elsewhere Co")
    due, overdue = overdue_returns([zone.pk], today=datetime.date(DUE + 1, 3, 1))
    assert due == DUE
    assert [(f.firm, f.last_year) for f in overdue] == [("Late Co", DUE - 2), ("Never Co", None)]


def test_the_editors_home_lists_overdue_returns_and_links_to_update(
    client, zone, django_assert_num_queries
):
    editor = make_user("editor", provinces=["PK-PB"], username="editor")
    client.force_login(editor)
    page = client.get(reverse("workspace:home")).content.decode()
    assert f"Operating firms without a return for {DUE}" in page
    assert "Late Co" in page and "Never Co" in page
    assert (
        "Interested Co"
        not in page.split("Operating firms without a return")[1].split("</table>")[0]
    )
    filed = zone.annual_returns.get(firm__name="Filed Co")
    assert reverse("workspace:edit", args=["annual_return", filed.pk]) in page
    # The returns cost two queries whatever the number of zones.
    zones = [zone, *(ZoneFactory() for _ in range(3))]
    for other in zones[1:]:
        AnnualReturnFactory(firm=FirmFactory(zone=other), year=DUE)
        FirmFactory(zone=other)
    with django_assert_num_queries(2):
        assert selectors.attach_returns_work(zones) == DUE
    assert [len(z.overdue_returns) for z in zones] == [2, 1, 1, 1]


def test_an_updated_return_passes_review_and_the_firm_follows(client, zone):
    editor = make_user("editor", provinces=["PK-PB"], username="editor")
    reviewer = make_user("reviewer", provinces=["PK-PB"], username="reviewer")
    filed = zone.annual_returns.get(firm__name="Filed Co")
    url = reverse("workspace:edit", args=["annual_return", filed.pk])
    client.force_login(editor)
    form = client.get(url).context["form"]
    data = {
        "employees": "120", "employees_local": "100", "employees_women": "30",
        "employees_trained": "", "exports_usd": "250000", "export_markets": "CN,AE",
        "domestic_sales_usd": "", "imports_usd": "", "local_inputs_share": "0.4",
        "investment_to_date_usd": "",
        "base": form.initial["base"], "comment": "From the firm's filed return.",
    }  # fmt: skip
    # A count above employees is refused, naming the rule; nothing is submitted.
    refused = client.post(url, {**data, "employees_women": "121"})
    assert refused.status_code == 200
    assert "Women employees cannot exceed employees." in refused.content.decode()
    assert not ChangeRequest.objects.exists()

    assert client.post(url, data).status_code == 302
    change_request = ChangeRequest.objects.get()
    assert change_request.kind == "annual_return"
    client.force_login(reviewer)
    client.post(reverse("workspace:approve", args=[change_request.pk]))

    filed.refresh_from_db()
    assert (filed.employees, filed.export_markets) == (120, ["CN", "AE"])
    filed.firm.refresh_from_db()
    assert (filed.firm.jobs_actual, filed.firm.export_markets) == (120, ["CN", "AE"])


def test_the_digest_lists_returns_not_filed(zone):
    editor = make_user("editor", provinces=["PK-PB"])
    make_user("reviewer", provinces=["PK-SD"])  # responsible for nothing overdue: no e-mail

    assert send_overdue_digests.delay().get() == 1

    (message,) = mail.outbox
    assert message.to == [editor.email]
    assert message.subject == "2 annual returns not filed in your zones"
    assert f"Operating firms without a return for {DUE}:" in message.body
    assert f"Allama Iqbal: Late Co (last return: {DUE - 2})" in message.body
    assert "Allama Iqbal: Never Co (no return filed yet)" in message.body
    assert "Filed Co" not in message.body


def test_a_firm_with_returns_takes_jobs_and_exports_from_them_not_from_the_form(client, zone):
    editor = make_user("editor", provinces=["PK-PB"], username="editor")
    filed = zone.firms.get(name="Filed Co")
    never = zone.firms.get(name="Never Co")
    client.force_login(editor)

    form = client.get(reverse("workspace:edit", args=["firm", filed.pk])).context["form"]
    assert form.fields["jobs_actual"].disabled and form.fields["exports_usd"].disabled
    assert str(DUE) in form.fields["jobs_actual"].help_text
    assert not form.fields["status"].disabled
    # A firm without returns keeps its own figures, editable.
    form = client.get(reverse("workspace:edit", args=["firm", never.pk])).context["form"]
    assert not form.fields["jobs_actual"].disabled

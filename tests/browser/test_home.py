import pytest

from tests.factories import ZoneFactory


@pytest.mark.django_db(transaction=True)
def test_home_lists_zones_by_province_offline(page):
    ZoneFactory(name="Rashakai SEZ", province__code="PK-KP")

    page.goto(page.base_url + "/")

    section = page.locator("section", has=page.get_by_role("heading", name="Khyber Pakhtunkhwa"))
    assert section.get_by_role("link", name="Rashakai SEZ").is_visible()
    assert page.probe.console_errors == []
    assert page.probe.blocked_requests == []

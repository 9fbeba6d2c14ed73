"""Signed-in users save named finder views and share them as links."""

import pytest

from follow.models import SavedSearch
from tests.factories import ZoneFactory, make_user

pytestmark = pytest.mark.django_db

URL = "/searches/"


def test_an_official_saves_a_finder_view_and_its_link_opens_the_same_list(client):
    ZoneFactory(name="Dhabeji", province__code="PK-SD")
    ZoneFactory(name="Allama Iqbal", province__code="PK-PB")
    client.force_login(make_user("official", username="official-sana"))
    finder = client.get("/zones/", {"province": "PK-SD"}).content.decode()
    assert "Save this search as" in finder

    response = client.post(URL, {"name": "Sindh zones", "query": "province=PK-SD&page=2"})
    listing = client.get(URL)

    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert (search.name, search.query) == ("Sindh zones", "province=PK-SD")
    link = {s.name: link for s, link in listing.context["searches"]}["Sindh zones"]
    assert link == "http://testserver/zones/?province=PK-SD"
    client.logout()
    shared = client.get(link.removeprefix("http://testserver"))  # anyone may open the link
    names = [zone.name for zone in shared.context["zones"]]
    assert names == ["Dhabeji"]


def test_bad_names_and_parameters_say_why_and_save_nothing(client):
    user = make_user("official")
    client.force_login(user)
    client.post(URL, {"name": "Mine", "query": ""})

    empty = client.post(URL, {"name": "  ", "query": ""})
    taken = client.post(URL, {"name": "Mine", "query": "province=PK-PB"})
    bad = client.post(URL, {"name": "Other", "query": "readiness_min=lots"})

    assert empty.status_code == taken.status_code == bad.status_code == 400
    assert "Give the search a name." in empty.content.decode()
    assert "already have a saved search of this name" in taken.content.decode()
    assert "Enter a number." in bad.content.decode()
    assert SavedSearch.objects.count() == 1


def test_searches_are_private_to_their_owner_and_deletable_only_by_them(client):
    owner = make_user("official", username="owner")
    other = make_user("official", username="other")
    search = SavedSearch.objects.create(owner=owner, name="Punjab", query="province=PK-PB")

    client.force_login(other)
    assert "Punjab" not in client.get(URL).content.decode()
    assert client.post(f"{URL}{search.pk}/delete/").status_code == 404
    client.force_login(owner)
    assert client.post(f"{URL}{search.pk}/delete/").status_code == 302
    assert not SavedSearch.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in_and_see_no_save_form(client):
    ZoneFactory()

    assert client.get(URL).status_code == 302
    assert client.post(URL, {"name": "x", "query": ""}).status_code == 302
    assert "Save this search as" not in client.get("/zones/").content.decode()
    assert not SavedSearch.objects.exists()

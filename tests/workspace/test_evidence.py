"""Evidence behind an update: upload, type read from the content, limits, re-encoding, who
may download it, and the public listing once approved."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from tests.factories import MilestoneFactory, ZoneFactory, make_user
from workspace.models import ChangeRequest, Evidence

pytestmark = pytest.mark.django_db


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x0132] = "2026:01:02 03:04:05"  # DateTime
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def zone():
    return ZoneFactory(slug="rashakai", name="Rashakai", province__code="PK-KP")


@pytest.fixture
def editor(zone):
    return make_user("editor", zones=[zone], username="editor-ali")


@pytest.fixture
def reviewer():
    return make_user("reviewer", provinces=["PK-KP"], username="reviewer-sara")


@pytest.fixture
def change_request(zone, editor):
    milestone = MilestoneFactory(zone=zone, title="Groundbreaking", status="in_progress")
    return ChangeRequest.objects.create(
        zone=zone,
        kind="milestone",
        record_id=milestone.pk,
        base={"status": "in_progress", "planned_date": str(milestone.planned_date),
              "actual_date": None, "title_ur": None, "title_zh_hans": None},
        proposed={"status": "done", "planned_date": str(milestone.planned_date),
                  "actual_date": "2024-05-01", "title_ur": None, "title_zh_hans": None},
        comment="Ceremony held.",
        submitted_by=editor,
    )  # fmt: skip


def attach(client, change_request, content: bytes, name="photo.jpg", **fields):
    data = {
        "file": SimpleUploadedFile(name, content),
        "title": "Site photo, May",
        "kind": "site_photo",
        "dated": "2024-05-01",
        **fields,
    }
    return client.post(
        reverse("workspace:evidence_attach", args=[change_request.pk]), data, follow=True
    )


def download(client, evidence):
    return client.get(reverse("workspace:evidence_download", args=[evidence.pk]))


def test_a_photo_is_re_encoded_without_its_metadata(client, editor, change_request):
    client.force_login(editor)
    original = jpeg_with_exif()
    assert b"SecretCameraMaker" in original

    response = attach(client, change_request, original)

    assert "Evidence attached." in response.content.decode()
    evidence = Evidence.objects.get()
    assert (evidence.content_type, evidence.kind) == ("image/jpeg", "site_photo")
    stored = evidence.file.read()
    assert b"SecretCameraMaker" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert evidence.size == len(stored)
    got = download(client, evidence)
    assert got.status_code == 200
    assert got["Content-Type"] == "image/jpeg"
    assert got["Content-Disposition"].startswith("attachment;")
    assert got["X-Content-Type-Options"] == "nosniff"
    assert b"".join(got.streaming_content) == stored


def test_a_pdf_is_accepted_as_it_is(client, editor, change_request):
    client.force_login(editor)
    content = pdf()

    attach(client, change_request, content, name="letter.bin", kind="utility_letter")

    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf"
    assert evidence.file.name.endswith(".pdf")  # named by its content, not the upload
    assert evidence.file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg", b"<html><script>alert(1)</script></html>", "this file is none of them"),
        ("notice.pdf", b"%PDF-1.4\nnot really a pdf", "The PDF is damaged"),
        ("photo.jpg", jpeg_with_exif()[:200], "The image is damaged"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "none of them"),
    ],
)
def test_a_wrong_type_or_damaged_file_is_refused_and_nothing_is_kept(
    client, editor, change_request, name, content, message
):
    client.force_login(editor)

    response = attach(client, change_request, content, name=name)

    assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_file_over_ten_megabytes_is_refused(client, editor, change_request):
    client.force_login(editor)

    response = attach(client, change_request, b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))

    assert "The file is larger than 10.0" in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_update_takes_at_most_five_files(client, editor, change_request):
    client.force_login(editor)
    for _ in range(5):
        attach(client, change_request, pdf(), name="a.pdf")

    response = attach(client, change_request, pdf(), name="a.pdf")

    assert "An update may have at most 5 files." in response.content.decode()
    assert Evidence.objects.count() == 5


def test_only_the_editor_of_the_zone_attaches_to_their_update(client, change_request):
    other = make_user("editor", zones=[ZoneFactory(province__code="PK-SD")])
    client.force_login(other)

    response = attach(client, change_request, pdf(), name="a.pdf")

    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_pending_evidence_is_for_the_editor_the_zones_reviewers_and_administrators(
    client, editor, reviewer, change_request, zone
):
    client.force_login(editor)
    attach(client, change_request, pdf(), name="a.pdf")
    evidence = Evidence.objects.get()
    expected = {
        "editor": 200,
        "reviewer": 200,
        "administrator": 200,
        "anonymous": 404,
        "other_reviewer": 404,
        "other_editor": 404,
    }
    users = {
        "editor": editor,
        "reviewer": reviewer,
        "administrator": make_user("administrator"),
        "anonymous": None,
        "other_reviewer": make_user("reviewer", provinces=["PK-SD"]),
        "other_editor": make_user("editor", provinces=["PK-SD"]),
    }
    for role, user in users.items():
        client.logout()
        if user:
            client.force_login(user)
        assert download(client, evidence).status_code == expected[role], role


def test_approved_evidence_of_a_public_record_is_listed_on_the_zone_page_and_public(
    client, editor, reviewer, change_request, zone
):
    client.force_login(editor)
    attach(client, change_request, jpeg_with_exif(), title="Groundbreaking ceremony photo")
    client.force_login(reviewer)
    review_page = client.get(reverse("workspace:review", args=[change_request.pk]))
    evidence = Evidence.objects.get()
    download_url = reverse("workspace:evidence_download", args=[evidence.pk])
    assert download_url in review_page.content.decode()  # beside the diff
    client.logout()
    assert (
        "Groundbreaking ceremony photo" not in client.get(zone.get_absolute_url()).content.decode()
    )

    client.force_login(reviewer)
    response = client.post(reverse("workspace:approve", args=[change_request.pk]), follow=True)
    change_request.refresh_from_db()
    assert change_request.status == "approved", response.content.decode()[-3000:]
    client.logout()

    page = client.get(zone.get_absolute_url()).content.decode()
    assert "Evidence behind the records" in page
    assert "Groundbreaking ceremony photo" in page
    assert "Site photo" in page and "2024-05-01" in page
    assert download_url in page
    assert download(client, evidence).status_code == 200
    evidence.refresh_from_db()
    assert (evidence.record_type, evidence.record_id) == (
        "zones.milestone",
        change_request.record_id,
    )


def test_evidence_of_an_unpublished_zone_stays_private(
    client, editor, reviewer, change_request, zone
):
    client.force_login(editor)
    attach(client, change_request, pdf(), name="a.pdf")
    client.force_login(reviewer)
    client.post(reverse("workspace:approve", args=[change_request.pk]))
    type(zone).objects.filter(pk=zone.pk).update(published=False)
    client.logout()

    assert download(client, Evidence.objects.get()).status_code == 404


def test_the_public_listing_reads_in_a_fixed_number_of_queries(
    client, editor, change_request, zone, django_assert_max_num_queries
):
    from workspace.evidence.selectors import zone_public_evidence

    Evidence.objects.all().delete()
    change_request.status = "approved"
    change_request.reviewed_by = editor
    change_request.reviewed_at = datetime.datetime.now(datetime.UTC)
    change_request.save()
    for index in range(6):
        Evidence.objects.create(
            change_request=change_request, zone=zone, record_type="zones.milestone",
            record_id=change_request.record_id, record_label="Groundbreaking",
            title=f"Letter {index}", kind="other", dated=datetime.date(2024, 1, 1),
            file="x.pdf", content_type="application/pdf", size=10, uploaded_by=editor,
        )  # fmt: skip

    with django_assert_max_num_queries(1):
        listed = zone_public_evidence(zone=zone)

    assert len(listed) == 6

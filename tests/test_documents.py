"""Agreement documents: PDF only (by content), bounded size, safe names, downloads only."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from partnership.agreements.documents import MAX_DOCUMENT_BYTES, document_path, validate_pdf
from partnership.agreements.models import AgreementDocument
from tests import factories

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_it_accepts_a_pdf():
    validate_pdf(upload("text.pdf", PDF))


@pytest.mark.parametrize(
    "content",
    [b"<html><script>alert(1)</script></html>", b"MZ\x90\x00 executable", b"", b"PK\x03\x04 zip"],
)
def test_it_refuses_a_file_that_is_not_a_pdf_whatever_its_name(content):
    with pytest.raises(ValidationError, match="not a PDF"):
        validate_pdf(upload("signed-text.pdf", content))


def test_it_refuses_a_file_over_the_size_limit():
    big = upload("big.pdf", PDF + b"0" * MAX_DOCUMENT_BYTES)
    with pytest.raises(ValidationError, match="at most 20 MB"):
        validate_pdf(big)


@pytest.mark.django_db
def test_the_model_refuses_another_extension(media):
    agreement = factories.make_agreement()
    document = AgreementDocument(agreement=agreement, title="Text", file=upload("text.exe", PDF))
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert "file" in error.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "agreements/jtepa/passwd.pdf"),
        ("Signed text (final) ภาษาไทย.pdf", "agreements/jtepa/signed-text-final.pdf"),
        ("<script>.pdf", "agreements/jtepa/script.pdf"),
        ("....pdf", "agreements/jtepa/pdf.pdf"),
    ],
)
def test_it_sanitises_file_names(name, expected):
    document = AgreementDocument(agreement=factories.make_agreement(slug="jtepa"))
    assert document_path(document, name) == expected


@pytest.fixture
def stored(media):
    def make(published=True):
        agreement = factories.make_agreement(published=published)
        document = AgreementDocument(agreement=agreement, title="Signed text")
        document.file.save("signed.pdf", ContentFile(PDF))
        return document

    return make


@pytest.mark.django_db
def test_a_published_agreements_document_downloads_as_an_attachment(client, stored):
    document = stored()
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.django_db
def test_a_drafts_document_is_not_reachable_by_the_public(client, stored):
    document = stored(published=False)
    assert client.get(document.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_an_editor_can_fetch_a_drafts_document(editor_client, stored):
    document = stored(published=False)
    assert editor_client.get(document.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_staff_in_no_group_cannot_fetch_a_drafts_document(staff_client, stored):
    document = stored(published=False)
    assert staff_client.get(document.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_uploaded_files_are_not_served_from_a_public_folder(client, stored):
    document = stored(published=False)
    assert client.get(f"/media/{document.file.name}").status_code == 404


@pytest.mark.django_db
def test_a_document_of_another_agreement_is_not_found(client, stored):
    document = stored()
    other = factories.make_agreement()
    url = document.get_absolute_url().replace(document.agreement.slug, other.slug)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_document_form_refuses_a_fake_pdf(media):
    from django.forms import modelform_factory

    form_class = modelform_factory(
        AgreementDocument, fields=["agreement", "title", "language", "file"]
    )
    form = form_class(
        data={"agreement": factories.make_agreement().pk, "title": "Signed text", "language": "en"},
        files={"file": upload("signed.pdf", b"<html>not a pdf</html>")},
    )
    assert not form.is_valid()
    assert "not a PDF" in str(form.errors["file"])
    assert not AgreementDocument.objects.exists()

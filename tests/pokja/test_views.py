import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from pokja.models import Evidence, Programme, ProgrammeRole, User
from tests.factories import DEFAULT_PASSWORD, framework_for_tests

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def programme_url(world, name="programme_detail", **extra):
    return reverse(
        name, kwargs={"unit_code": world.unit.code, "year": world.programme.year, **extra}
    )


def test_login_page_is_indonesian_by_default_and_english_on_request(client, settings):
    settings.LANGUAGE_CODE = "id"
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert response.headers["Content-Language"] == "en"
    assert "Sign in" in response.content.decode()
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert client.get(reverse("login")).headers["Content-Language"] == "id"


def test_signing_in_with_the_form_leads_home(client, world):
    response = client.post(
        reverse("login"), {"username": "koordinator", "password": DEFAULT_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == world.coordinator


def test_wrong_password_is_refused_without_a_500(client, world):
    response = client.post(reverse("login"), {"username": "koordinator", "password": "nope"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated


@pytest.mark.parametrize(
    ("role", "marker"),
    [
        ("coordinator", 'data-testid="home-coordinator"'),
        ("ketua1", 'data-testid="home-pokja"'),
        ("anggota1", 'data-testid="home-pokja"'),
        ("tpi", 'data-testid="home-tpi"'),
        ("pimpinan", 'data-testid="home-pimpinan"'),
        ("unit_admin", 'data-testid="home-manage"'),
    ],
)
def test_home_shows_what_each_role_does(client, world, role, marker):
    client.force_login(getattr(world, role))
    html = client.get(reverse("home")).content.decode()
    assert marker in html
    assert world.unit.name in html
    assert world.other_programme.unit.name not in html


def test_home_of_a_person_without_roles_says_so(client, world):
    client.force_login(world.no_role)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="no-programmes"' in html


def test_programme_page_lists_six_pokja_with_constant_queries(
    client, world, django_assert_num_queries
):
    client.force_login(world.coordinator)
    url = programme_url(world)
    client.get(url)  # warm the session
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for number in range(1, 7):
        assert f"Pokja {number}" in html
    # more members must not mean more queries
    for number in range(1, 7):
        for i in range(5):
            user = User.objects.create(username=f"extra{number}-{i}")
            ProgrammeRole.objects.create(
                user=user, programme=world.programme, kind="anggota", pokja=world.pokjas[number]
            )
    with django_assert_num_queries(10):
        client.get(url)


def _create_programme(client, unit_id: int, year: int, target: str):
    """The programme form posted for the unit, the year and the target, on the test framework."""
    return client.post(
        reverse("programme_create"),
        {"unit": unit_id, "year": year, "framework": framework_for_tests().pk, "target": target},
    )


def test_unit_admin_creates_a_programme_with_six_pokja(client, world):
    client.force_login(world.unit_admin)
    response = _create_programme(client, world.unit.pk, 2027, "WBK")
    programme = Programme.objects.get(unit=world.unit, year=2027)
    assert response.status_code == 302
    assert programme.pokjas.count() == 6


def test_programme_form_errors_name_the_field(client, world):
    client.force_login(world.unit_admin)
    response = _create_programme(client, world.unit.pk, 2026, "WBBM")
    assert response.status_code == 200
    form = response.context["form"]
    assert "target" in form.errors  # WBBM without WBK
    response = _create_programme(client, world.unit.pk, 2026, "WBK")
    assert "year" in response.context["form"].errors  # already exists
    assert Programme.objects.filter(unit=world.unit).count() == 1


def test_unit_admin_cannot_create_for_another_unit(client, world):
    client.force_login(world.unit_admin)
    response = _create_programme(client, world.other_programme.unit.pk, 2027, "WBK")
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors


def test_roles_page_gives_a_person_of_the_unit_a_role_and_removes_it(client, world):
    client.force_login(world.unit_admin)
    url = programme_url(world, "programme_roles")
    response = client.post(
        url, {"username": world.ketua2.username, "kind": "anggota", "pokja": world.pokjas[3].pk}
    )
    assert response.status_code == 302
    role = ProgrammeRole.objects.get(user=world.ketua2, kind="anggota")
    assert role.pokja == world.pokjas[3]
    assert AuditEntry.objects.filter(object_type="pokja.programmerole", action="create").exists()
    client.post(programme_url(world, "programme_role_remove", role_id=role.pk))
    assert not ProgrammeRole.objects.filter(pk=role.pk).exists()
    assert AuditEntry.objects.filter(object_type="pokja.programmerole", action="delete").exists()


def test_roles_page_creates_no_accounts(client, world):
    # New people are added on the unit's people page (tests/security/test_people.py); a name
    # that is not one of the unit's people is only invited (tests/pokja/test_invitations.py).
    client.force_login(world.unit_admin)
    response = client.post(
        programme_url(world, "programme_roles"),
        {"username": "baru", "kind": "tpi", "full_name": "X", "password": "Sangat-Rahasia-2026"},
    )
    assert response.status_code == 302
    assert not User.objects.filter(username="baru").exists()
    page = client.get(programme_url(world, "programme_roles")).content.decode()
    assert 'name="password"' not in page
    assert reverse("unit_person_create", kwargs={"unit_code": world.unit.code}) in page


def test_settings_upload_the_pakta_and_are_audited(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        programme_url(world, "programme_settings"),
        {
            "target": "WBK",
            "status": "active",
            "pencanangan_date": "2018-03-21",
            "pakta_file": SimpleUploadedFile(
                "Pakta Integritas.pdf", PDF, content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    world.programme.refresh_from_db()
    assert str(world.programme.pencanangan_date) == "2018-03-21"
    evidence = world.programme.pakta_document
    assert evidence.original_name == "Pakta Integritas.pdf"
    entry = AuditEntry.objects.filter(object_type="pokja.programme", action="update").latest("id")
    assert entry.changes["pencanangan_date"] == [None, "2018-03-21"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("laporan.pdf", b"MZ\x90\x00 this is an executable", "not accepted"),
        ("foto.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "content is PNG"),
        ("page.html", b"<html><script>alert(1)</script></html>", "not accepted"),
        ("kosong.pdf", b"", "empty"),
    ],
)
def test_bad_uploads_are_refused_naming_the_field(client, world, name, content, message):
    client.force_login(world.coordinator)
    response = client.post(
        programme_url(world, "programme_settings"),
        {"target": "WBK", "status": "active", "pakta_file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors.get("pakta_file", [])), errors
    world.programme.refresh_from_db()
    assert world.programme.pakta_document is None
    assert not Evidence.objects.exists()


def test_oversized_upload_is_refused(client, world, settings):
    settings.ZI_EVIDENCE_MAX_MB = 1
    client.force_login(world.coordinator)
    big = PDF + b"0" * (1024 * 1024 + 1)
    response = client.post(
        programme_url(world, "programme_settings"),
        {"target": "WBK", "status": "active", "pakta_file": SimpleUploadedFile("besar.pdf", big)},
    )
    assert "the limit is 1 MB" in " ".join(response.context["form"].errors["pakta_file"])


def test_download_uses_a_safe_name_and_never_runs_in_the_page(client, world):
    client.force_login(world.coordinator)
    client.post(
        programme_url(world, "programme_settings"),
        {
            "target": "WBK",
            "status": "active",
            "pakta_file": SimpleUploadedFile('../../etc/"evil";.pdf', PDF),
        },
    )
    evidence = Evidence.objects.get()
    assert "/" not in evidence.original_name and '"' not in evidence.original_name
    assert evidence.file.name.startswith(f"evidence/{world.programme.pk}/")
    client.force_login(world.pimpinan)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF

"""Where e-mails go: SMTP when EMAIL_HOST is set, else files in DJANGO_EMAIL_FILE_PATH, else
the console; a relative folder stops start-up with a message naming the variable."""

from __future__ import annotations

from tests.project.test_settings import run_django

SHOW = "from django.conf import settings as s; print(s.EMAIL_BACKEND, getattr(s, 'EMAIL_FILE_PATH', '-'))"


def test_mail_to_files_in_a_folder(tmp_path):
    result = run_django(SHOW, DJANGO_EMAIL_FILE_PATH=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.filebased.EmailBackend",
        str(tmp_path),
    ]


def test_smtp_wins_over_the_folder(tmp_path):
    result = run_django(SHOW, EMAIL_HOST="smtp.example.go.id", DJANGO_EMAIL_FILE_PATH=str(tmp_path))
    assert result.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "-"]


def test_a_relative_folder_is_refused():
    result = run_django(SHOW, DJANGO_EMAIL_FILE_PATH="var/mail")
    assert result.returncode != 0
    assert "DJANGO_EMAIL_FILE_PATH='var/mail' must be an absolute path." in result.stderr

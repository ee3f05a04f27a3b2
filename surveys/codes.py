"""Single-use codes and browser tokens: their format and their keyed hashes.

Only keyed hashes are stored (HMAC-SHA256 with the site's secret key, salted per survey), so
a copy of the database alone reveals no unused code: a code has about 40 bits, too few to
resist guessing against a plain hash. Old keys in SECRET_KEY_FALLBACKS keep working, so
rotating the secret key does not void codes already printed.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

# No 0/O, 1/I/L: codes are read off paper and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
_BROWSER_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_code(raw: str | None) -> str | None:
    """The canonical form of a typed code (any case, spaces and dashes ignored); None if malformed."""
    if not raw:
        return None
    code = re.sub(r"[\s-]+", "", raw).upper()
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def format_code(code: str) -> str:
    """XXXX-XXXX, as printed."""
    return f"{code[:4]}-{code[4:]}"


def _keys() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _hash(purpose: str, survey_id: int, value: str, secret: str) -> str:
    return salted_hmac(
        f"zi_tracker.surveys.{purpose}", f"{survey_id}:{value}", secret=secret, algorithm="sha256"
    ).hexdigest()


def code_hash(survey_id: int, code: str) -> str:
    """The stored form of a normalized code (with the current key)."""
    return _hash("code", survey_id, code, settings.SECRET_KEY)


def code_hashes(survey_id: int, code: str) -> list[str]:
    """The hashes a stored code may have: with the current key and every fallback key."""
    return [_hash("code", survey_id, code, key) for key in _keys()]


_FORM_INSTANCE = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


def new_form_instance() -> str:
    return secrets.token_urlsafe(12)


def valid_form_instance(value: str | None) -> bool:
    return bool(value) and bool(_FORM_INSTANCE.match(value or ""))


def new_browser_token() -> str:
    return secrets.token_urlsafe(24)


def valid_browser_token(token: str | None) -> bool:
    return bool(token) and bool(_BROWSER_TOKEN.match(token or ""))


def browser_hash(survey_id: int, token: str) -> str:
    # Salted by the survey, so one browser's claims on two surveys cannot be linked.
    return _hash("browser", survey_id, token, settings.SECRET_KEY)

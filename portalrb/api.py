"""The endpoints the national portal (PortalRB) pulls, exactly as its published contract
("Panduan Teknis API Integrasi ZI" 1.0.0) says: Bearer token, HTTPS, JSON, GET only, and
every non-2xx answer a JSON body ``{"error": true, "code": ..., "message": ...}``.

Each request is counted against its token's rate limit and logged (time, endpoint, unit,
status); the token itself is never logged. What is served is the agency's confirmed
proposal (``ProposedUnit.snapshot``), so edits after confirmation change nothing here.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from pokja.models import Unit
from pokja.rate_limits import hit
from pokja.uploads import evidence_file_response
from portalrb import selectors, services
from portalrb.access import agency_unit_ids
from portalrb.models import Category, ProposedUnit

logger = logging.getLogger(__name__)

RATE_WINDOW = 60  # seconds: the limit is ZI_PORTALRB_RATE_LIMIT requests per token and minute
UNIT_ID = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")  # the unit codes the agency system uses
EVIDENCE_SALT = "portalrb.bukti-dukung"
OPENAPI_FILE = Path(__file__).with_name("openapi.yaml")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str) -> JsonResponse:
    response = JsonResponse({"error": True, "code": code, "message": message}, status=status)
    patch_cache_control(response, no_store=True)
    return response


def _bearer(request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return ""
    return value.strip()


def portal_endpoint(endpoint: str):
    """Wrap a view of the portal's API: HTTPS, GET, the token, the rate limit, the log, and
    the contract's error bodies for everything that goes wrong (never an HTML page)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, **kwargs):
            token = None
            unit_id = str(kwargs.get("unit_id", ""))
            try:
                if settings.ZI_PORTALRB_REQUIRE_HTTPS and not request.is_secure():
                    raise ApiError(403, "HTTPS_REQUIRED", _("This API is served over HTTPS only."))
                if request.method not in ("GET", "HEAD"):
                    raise ApiError(405, "METHOD_NOT_ALLOWED", _("Only GET is allowed."))
                token = services.token_authenticate(_bearer(request))
                if token is None:
                    raise ApiError(
                        401, "UNAUTHORIZED", _("The Bearer token is missing, invalid or revoked.")
                    )
                count = hit("portalrb", str(token.pk), window=RATE_WINDOW)
                if count > settings.ZI_PORTALRB_RATE_LIMIT:
                    raise ApiError(
                        429,
                        "RATE_LIMITED",
                        _("Too many requests: at most %(n)s a minute per token.")
                        % {"n": settings.ZI_PORTALRB_RATE_LIMIT},
                    )
                response = JsonResponse(
                    view(request, token, **kwargs), json_dumps_params={"ensure_ascii": False}
                )
            except ApiError as exc:
                response = error_response(exc.status, exc.code, exc.message)
                if exc.status == 429:
                    response["Retry-After"] = str(RATE_WINDOW)
                if exc.status == 405:
                    response["Allow"] = "GET"
            except Exception:
                logger.exception("portalrb %s failed", endpoint)
                response = error_response(500, "SERVER_ERROR", _("The server failed; try again."))
            patch_cache_control(response, no_store=True)
            try:
                services.fetch_record(
                    token=token, endpoint=endpoint, unit_id=unit_id, status=response.status_code
                )
            except Exception:
                logger.exception("portalrb fetch log failed")
            return response

        return wrapped

    return decorator


def _served(token):
    proposal = selectors.served_proposal(token.agency)
    if proposal is None:
        raise ApiError(404, "DATA_NOT_FOUND", _("The agency has not confirmed a proposal yet."))
    return proposal


def _units(token, categories: tuple[str, ...]) -> dict:
    proposal = _served(token)
    return {"tahun": proposal.year, "units": selectors.served_units(proposal, categories)}


@portal_endpoint("pengusulan/unit-wbk")
def unit_wbk(request, token):
    return _units(token, (Category.WBK, Category.WBK_AFIRMASI))


@portal_endpoint("pengusulan/unit-wbbm")
def unit_wbbm(request, token):
    return _units(token, (Category.WBBM,))


def evidence_link(request, proposed: ProposedUnit, number: int) -> str:
    """A signed link, valid ZI_PORTALRB_LINK_DAYS days, to the page of one question's evidence
    as confirmed."""
    value = signing.TimestampSigner(salt=EVIDENCE_SALT).sign(f"{proposed.pk}.{number}")
    return request.build_absolute_uri(reverse("portalrb_evidence", kwargs={"signed": value}))


@portal_endpoint("lke/jawaban-unit")
def unit_answers(request, token, unit_id: str):
    if not UNIT_ID.match(unit_id) or len(unit_id) > 40:
        raise ApiError(
            422,
            "INVALID_REQUEST",
            _("unit_id must be a unit code: capital letters, digits and single dashes."),
        )
    unit = Unit.objects.filter(code=unit_id).first()
    if unit is None:
        raise ApiError(404, "DATA_NOT_FOUND", _("No unit has this id."))
    if unit.pk not in agency_unit_ids(token.agency):
        raise ApiError(403, "FORBIDDEN", _("This token is not for this unit's agency."))
    proposal = _served(token)
    proposed = selectors.served_unit(proposal, unit)
    if proposed is None:
        raise ApiError(404, "DATA_NOT_FOUND", _("This unit is not in the confirmed proposal."))
    answers = []
    for row in proposed.snapshot:
        answers.append(
            {
                "soal_id": row["soal_id"],
                "jawaban_unit": row["jawaban_unit"],
                "jawaban_tpi": row["jawaban_tpi"],
                "catatan_unit": row["catatan_unit"],
                "bukti_dukung_unit": (
                    evidence_link(request, proposed, row["soal_id"]) if row["evidence"] else None
                ),
                "catatan_tpi": row["catatan_tpi"],
            }
        )
    return {
        "unit_id": unit.code,
        "nama_unit": proposed.confirmed_name,
        "tahun": proposal.year,
        "answers": answers,
    }


def openapi(request):
    """The OpenAPI description of the endpoints above (public: it holds no data)."""
    text = OPENAPI_FILE.read_text(encoding="utf-8")
    base = settings.ZI_PORTALRB_BASE_PATH
    response = HttpResponse(
        text.replace("/api/portalrb/", base), content_type="application/yaml; charset=utf-8"
    )
    return response


# --------------------------------------------------------------------------- evidence links


def _signed_question(signed: str) -> tuple[ProposedUnit, int]:
    try:
        value = signing.TimestampSigner(salt=EVIDENCE_SALT).unsign(
            signed, max_age=settings.ZI_PORTALRB_LINK_DAYS * 86400
        )
        proposed_id, number = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError):
        raise Http404 from None
    proposed = (
        ProposedUnit.objects.select_related("programme__unit", "proposal")
        .exclude(confirmed_category="")
        .filter(pk=proposed_id, proposal__confirmed_at__isnull=False)
        .first()
    )
    if proposed is None:
        raise Http404
    return proposed, number


def evidence_page(request, signed: str):
    """The evidence of one answer as confirmed, for the national assessors: reached only
    through a signed link from the API that expires."""
    proposed, number = _signed_question(signed)
    evidence = selectors.snapshot_evidence(proposed, number)
    response = render(
        request,
        "portalrb/evidence.html",
        {"proposed": proposed, "number": number, "evidence": evidence, "signed": signed},
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def evidence_file(request, signed: str, evidence_id: int):
    proposed, number = _signed_question(signed)
    evidence = next(
        (e for e in selectors.snapshot_evidence(proposed, number) if e.pk == evidence_id), None
    )
    if evidence is None:
        raise Http404
    return evidence_file_response(evidence)

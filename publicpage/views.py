"""The unit's public page (anyone, no sign-in), its one downloadable file and its badge; and
the coordinator's settings and preview of it.

The public views read only published pages (``access.get_published_page``). Their content
is rendered once per version (``selectors.page_version``: any change the page shows gives a
new key) and language, and kept in the cache; the frame around it (the language switch) is
rendered per request.
"""

from __future__ import annotations

import hashlib
import io
import logging

import segno
from csp.constants import NONE, SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pokja import rate_limits
from pokja.uploads import evidence_file_response
from publicpage import selectors, services
from publicpage.access import get_programme_for_publisher, get_published_page
from publicpage.forms import ComplaintChannelForm, PublishForm, ServiceStandardForm
from publicpage.models import ComplaintChannel, PublicPage, ServiceStandard
from surveys.qr import qr_svg, qr_svg_document
from zi_tracker.http import absolute_url, client_ip, site_url

logger = logging.getLogger(__name__)

RATE_WINDOW = 600  # seconds; ZI_PUBLIC_PAGE_RATE_LIMIT requests per address and window
CACHE_LIFETIME = 15 * 60  # seconds; the key changes with the content anyway

# The public page runs no script, loads nothing from elsewhere and may not be framed.
PUBLIC_CSP = {
    "default-src": [NONE],
    "script-src": [NONE],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [NONE],
    "connect-src": [NONE],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
    "base-uri": [NONE],
    "object-src": [NONE],
}


def _over_limit(request) -> bool:
    """Count one hit of the client's address; fails open like the survey pages' limit."""
    try:
        count = rate_limits.hit("public:page", client_ip(request) or "unknown", window=RATE_WINDOW)
    except Exception:
        logger.warning("public page rate limit unavailable; request let through", exc_info=True)
        return False
    return count > settings.ZI_PUBLIC_PAGE_RATE_LIMIT


def _too_many(request) -> HttpResponse:
    response = HttpResponse(
        _("Too many requests from your network. Please wait ten minutes."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RATE_WINDOW)
    return response


def _page_url(programme, request) -> str:
    return absolute_url(reverse("public_page", kwargs=programme.url_kwargs()), request=request)


def _content_html(request, page: PublicPage) -> str:
    """The page's content for the current version and language, from the cache if it is
    there (the version costs one query; the content, when rendered, a few more)."""
    version = selectors.page_version(page)
    named = "\0".join((version.key, get_language() or "", site_url(request)))
    key = "zi:publicpage:" + hashlib.sha256(named.encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        content = selectors.public_content(page)
        programme = content.programme
        running = [
            {
                "survey": survey,
                "url": (
                    url := absolute_url(
                        reverse("survey_public", kwargs={"token": survey.token}), request=request
                    )
                ),
                "qr": qr_svg(url, title=survey.title),
            }
            for survey in content.running_surveys
        ]
        html = render_to_string(
            "publicpage/_content.html",
            {
                "c": content,
                "programme": programme,
                "unit": programme.unit,
                "blocks": content.blocks,
                "running": running,
                "updated_at": version.updated_at,
                "page_url": _page_url(programme, request),
                "pakta_url": reverse("public_pakta", kwargs=programme.url_kwargs())
                if page.pakta_document_id
                else "",
            },
        )
        cache.set(key, html, CACHE_LIFETIME)
    return html


def _render_page(request, page: PublicPage, *, preview: bool) -> HttpResponse:
    programme = page.programme
    return render(
        request,
        "publicpage/page.html",
        {
            "unit": programme.unit,
            "programme": programme,
            "content_html": _content_html(request, page),
            "preview": preview,
            "published": page.published,
            "settings_url": reverse("public_page_settings", kwargs=programme.url_kwargs())
            if preview
            else "",
        },
    )


@require_GET
@csp_replace(PUBLIC_CSP)
def public_page(request, unit_code: str, year: int):
    if _over_limit(request):
        return _too_many(request)
    page = get_published_page(unit_code, year)
    response = _render_page(request, page, preview=False)
    # Always asked again: a page the unit turns off is gone at once, also from browsers.
    patch_cache_control(response, no_cache=True)
    return response


@require_GET
def public_pakta(request, unit_code: str, year: int):
    """The one file the unit chose to publish; nothing else of its evidence is reachable."""
    if _over_limit(request):
        return _too_many(request)
    page = get_published_page(unit_code, year)
    evidence = page.pakta_document
    if not page.show_pencanangan or evidence is None:
        raise Http404
    return evidence_file_response(
        evidence,
        filename=f"pakta-integritas-{page.programme.unit.code}-{year}{evidence.extension}",
        as_attachment=False,
        shared_cache=True,
    )


@require_GET
def public_badge(request, unit_code: str, year: int, fmt: str):
    """The QR code of the page, for the unit's website and social media (SVG or PNG)."""
    if _over_limit(request):
        return _too_many(request)
    if fmt not in ("svg", "png"):
        raise Http404
    page = get_published_page(unit_code, year)
    url = _page_url(page.programme, request)
    if fmt == "svg":
        response = HttpResponse(qr_svg_document(url), content_type="image/svg+xml")
    else:
        buffer = io.BytesIO()
        segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=4)
        response = HttpResponse(buffer.getvalue(), content_type="image/png")
    # The QR image needs nothing: segno writes plain SVG attributes, no style.
    response["Content-Security-Policy"] = "default-src 'none'"
    # Other sites embed it: let them, and let their visitors' browsers keep it a while.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    patch_cache_control(response, public=True, max_age=3600)
    return response


# ---------------------------------------------------------------------------------------
# The coordinator's side.


@login_required
@require_GET
@csp_replace(PUBLIC_CSP)
def public_page_preview(request, unit_code: str, year: int):
    """The page exactly as the public sees it, published or not."""
    programme, _access = get_programme_for_publisher(request.user, unit_code, year)
    page = selectors.page_for_programme(programme)
    return _render_page(request, page, preview=True)


def _settings_context(request, programme, access, **forms) -> dict:
    page = selectors.page_for_programme(programme)
    page_url = _page_url(programme, request)
    badge_url = absolute_url(
        reverse("public_badge", kwargs={**programme.url_kwargs(), "fmt": "svg"}), request=request
    )
    snippet = (
        f'<a href="{page_url}"><img src="{badge_url}" width="160" height="160" '
        f'alt="Zona Integritas {programme.unit.name}"></a>'
    )
    return {
        "programme": programme,
        "access": access,
        "page": page,
        "can_change": access.can_coordinate,
        "form": forms.get("form") or PublishForm(programme=programme, page=page),
        "standard_form": forms.get("standard_form") or ServiceStandardForm(),
        "channel_form": forms.get("channel_form") or ComplaintChannelForm(),
        "standards": list(ServiceStandard.objects.filter(programme=programme)),
        "channels": list(ComplaintChannel.objects.filter(programme=programme)),
        "page_url": page_url,
        "badge_url": badge_url,
        "snippet": snippet,
    }


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_http_methods(["GET", "POST"])
def public_page_settings(request, unit_code: str, year: int):
    change = request.method == "POST"
    programme, access = get_programme_for_publisher(request.user, unit_code, year, change=change)
    if not change:
        return render(
            request, "publicpage/settings.html", _settings_context(request, programme, access)
        )
    page = selectors.page_for_programme(programme)
    form = PublishForm(request.POST, programme=programme, page=page)
    if form.is_valid():
        try:
            services.public_page_update(
                actor=request.user,
                programme=programme,
                published=form.cleaned_data["published"],
                blocks=form.blocks(),
                pakta_document=form.cleaned_data["pakta_document"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Public page saved."))
            return redirect("public_page_settings", **programme.url_kwargs())
    context = _settings_context(request, programme, access, form=form)
    return render(request, "publicpage/settings.html", context, status=400)


def _add_entry(request, unit_code, year, form_class, service, key: str, saved: str):
    programme, access = get_programme_for_publisher(request.user, unit_code, year, change=True)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, saved)
            return redirect("public_page_settings", **programme.url_kwargs())
    context = _settings_context(request, programme, access, **{key: form})
    return render(request, "publicpage/settings.html", context, status=400)


@login_required
@require_POST
def public_standard_add(request, unit_code: str, year: int):
    return _add_entry(
        request,
        unit_code,
        year,
        ServiceStandardForm,
        services.service_standard_add,
        "standard_form",
        _("Service standard added."),
    )


@login_required
@require_POST
def public_channel_add(request, unit_code: str, year: int):
    return _add_entry(
        request,
        unit_code,
        year,
        ComplaintChannelForm,
        services.complaint_channel_add,
        "channel_form",
        _("Complaint channel added."),
    )


@login_required
@require_POST
def public_standard_delete(request, unit_code: str, year: int, standard_id: int):
    programme, _access = get_programme_for_publisher(request.user, unit_code, year, change=True)
    standard = get_object_or_404(ServiceStandard, pk=standard_id, programme=programme)
    services.service_standard_delete(actor=request.user, standard=standard)
    messages.success(request, _("Service standard removed."))
    return redirect("public_page_settings", **programme.url_kwargs())


@login_required
@require_POST
def public_channel_delete(request, unit_code: str, year: int, channel_id: int):
    programme, _access = get_programme_for_publisher(request.user, unit_code, year, change=True)
    channel = get_object_or_404(ComplaintChannel, pk=channel_id, programme=programme)
    services.complaint_channel_delete(actor=request.user, channel=channel)
    messages.success(request, _("Complaint channel removed."))
    return redirect("public_page_settings", **programme.url_kwargs())

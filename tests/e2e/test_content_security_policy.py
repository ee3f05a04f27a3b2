"""Every page of the project, loaded in Chromium under the strict policy, breaks none of it.

The pages are the permission matrix's GET URLs a site administrator may open (so pages added
later are walked too), plus the public ones. A violation shows as a console error and as a
`securitypolicyviolation` event; both are collected.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, build_world
from tests.permission_matrix import MATRIX, PUBLIC

LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def _html_pages(world) -> list[str]:
    """The matrix's GET pages a site administrator reads, as HTML."""
    client = Client()
    client.force_login(world.site_admin)
    paths = []
    for name, case in sorted(MATRIX.items()):
        if case.method != "get" or case.expect["site_admin"] != 200:
            continue
        if case.prepare:
            case.prepare(world)
        path = reverse(name, kwargs=case.kwargs(world))
        response = client.get(path)
        if response.headers.get("Content-Type", "").startswith("text/html"):
            paths.append(path)
    return paths


def _visit(journey, path: str) -> list[str]:
    journey.goto(path)
    journey.page.wait_for_load_state("networkidle")
    return journey.page.evaluate("window.__cspViolations || []")


def test_no_page_violates_the_content_security_policy(desktop):
    world = build_world()
    desktop.page.context.add_init_script(LISTEN_FOR_VIOLATIONS)
    violations = {}
    # Not pages: the health check and the portal API's description (YAML, which a browser
    # downloads instead of showing).
    for name in sorted(PUBLIC - {"healthz", "portalrb_openapi", "portalrb_openapi_file"}):
        found = _visit(desktop, reverse(name))
        if found:
            violations[name] = found
    desktop.login("siteadmin", DEFAULT_PASSWORD)
    pages = _html_pages(world)
    assert len(pages) >= 8
    for path in pages:
        found = _visit(desktop, path)
        if found:
            violations[path] = found
    desktop.screenshot("last-page")
    assert not violations, violations
    desktop.assert_no_console_errors()

import pytest
from django.core.management import call_command
from django.test import Client

from pokja.models import Programme

pytestmark = pytest.mark.django_db


def test_the_demo_programme_has_its_page_published_with_some_blocks(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    programme = Programme.objects.get(unit__code="POLRES-LABUHANBATU")
    page = programme.public_page
    assert page.published and page.show_survey_results and not page.show_change_agents
    response = Client().get(f"/p/POLRES-LABUHANBATU/{programme.year}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Penerbitan SKCK" in html and 'data-testid="survey-figure"' in html
    assert 'data-testid="block-change-agents"' not in html

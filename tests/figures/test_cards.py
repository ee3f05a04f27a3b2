import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template("{% load cards %}" + source).render(Context(context))


def test_a_card_is_labelled_by_its_heading_and_wraps_its_body_in_the_column():
    html = render(
        '{% card id="total" title=title testid="dash-total" col="col-12" classes="h-100" %}'
        "<p>{{ body }}</p>{% endcard %}",
        title="Nilai <total>",
        body="a & b",
    )
    assert html.startswith('<div class="col-12">\n<section class="card h-100"')
    assert 'aria-labelledby="total-title" data-testid="dash-total">' in html
    assert '<h2 class="h5" id="total-title">Nilai &lt;total&gt;</h2>' in html
    assert "<p>a &amp; b</p>" in html
    assert html.rstrip().endswith("</section>\n</div>")


def test_an_option_not_given_is_empty_even_where_the_page_has_a_variable_of_that_name():
    html = render(
        '{% card id="trend" %}<h2 id="trend-title">Tren</h2>{% endcard %}',
        title="Judul halaman",
        col="col-6",
        testid="page",
        classes="mt-5",
    )
    assert html.startswith('<section class="card" aria-labelledby="trend-title">')
    assert "Judul halaman" not in html and "col-6" not in html and "page" not in html


@pytest.mark.parametrize(
    "tag",
    ['{% card title="T" %}', '{% card id="x" colour="red" %}', '{% card "x" %}'],
)
def test_a_card_without_its_id_or_with_an_unknown_option_is_refused(tag):
    with pytest.raises(TemplateSyntaxError):
        render(tag + "{% endcard %}")

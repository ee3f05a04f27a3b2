"""The card of a page's section: ``{% load cards %}``.

``{% card id="total" title=_("Total score") testid="dash-total" col="col-12 col-lg-5" classes="h-100" %}
…the card's body…{% endcard %}`` renders ``templates/partials/card.html`` around the body: the
column (only with ``col``), the ``<section class="card">`` labelled by its heading, the card body
and the heading ``<h2 class="h5" id="{id}-title">`` (only with ``title``; without it the body
brings its own heading of that id, for a heading with markup of its own).
"""

from __future__ import annotations

from django import template
from django.template.base import token_kwargs

register = template.Library()

CARD_TEMPLATE = "partials/card.html"
# Every option the card takes; one not given is None, never a same-named variable of the page.
OPTIONS = ("id", "title", "title_classes", "testid", "col", "classes", "anchor")


class CardNode(template.Node):
    def __init__(self, nodelist: template.NodeList, options: dict) -> None:
        self.nodelist = nodelist
        self.options = options

    def render(self, context: template.Context) -> str:
        values = {name: value.resolve(context) for name, value in self.options.items()}
        body = self.nodelist.render(context)
        card = context.template.engine.get_template(CARD_TEMPLATE)
        with context.push(dict.fromkeys(OPTIONS), card_body=body, **values):
            return card.render(context)


@register.tag
def card(parser, token) -> CardNode:
    bits = token.split_contents()
    options = token_kwargs(bits[1:], parser, support_legacy=False)
    if len(options) != len(bits) - 1 or not set(options) <= set(OPTIONS):
        raise template.TemplateSyntaxError(f"{bits[0]} takes only the options {', '.join(OPTIONS)}")
    if "id" not in options:
        raise template.TemplateSyntaxError(f"{bits[0]} needs id=, its heading's id")
    nodelist = parser.parse(("endcard",))
    parser.delete_first_token()
    return CardNode(nodelist, options)

from django import template

from surveys.models import localized

register = template.Library()


@register.filter
def local(text):
    """An instrument text (Indonesian/English pair) in the active language."""
    return localized(text)

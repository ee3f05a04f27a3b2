from django import template

from audit.presentation import describe_entries

register = template.Library()


@register.simple_tag
def audit_rows(entries):
    """`{% audit_rows entries as rows %}`: entries with readable labels and values."""
    return describe_entries(entries or [])

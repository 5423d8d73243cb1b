"""Markup of the long, uniform rows of the detail pages (the officer's timeline), written in one pass.

A detail page spent more time in the template engine walking the same few nodes for each of its rows
(variable look-ups, `date` filters, `if` tags, a `{% url %}` per row) than in its queries. The rows
are plain data made in the selectors' and views' code, so their markup is joined here with
`format_html`, which escapes every value exactly as the template's autoescaping does. The output is
the same, byte for byte, as the template loops it replaces."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html, format_html_join
from django.utils.timezone import template_localtime

register = template.Library()

_TIMELINE_ITEM = (
    '\n  <div class="moj-timeline__item">\n'
    '    <div class="moj-timeline__header"><h3 class="moj-timeline__title">{}</h3></div>\n'
    '    <p class="moj-timeline__date"><time datetime="{}">{}</time></p>\n'
    '    <div class="moj-timeline__description app-break-words">{}</div>\n'
    "  </div>\n  "
)


@register.filter
def timeline_items(entries):
    """The MOJ timeline's items for these TimelineEntry rows (kind, when, text, link)."""
    return format_html_join("", _TIMELINE_ITEM, (_timeline_item(e) for e in entries))


def _timeline_item(e) -> tuple:
    when = template_localtime(e.when)
    text = format_html('<a class="govuk-link" href="{}">{}</a>', e.url, e.text) if e.url else e.text
    return e.kind, date_filter(when, "c"), date_filter(when, "j M Y"), text

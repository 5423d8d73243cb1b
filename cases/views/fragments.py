"""Form fields rendered once per process where their markup depends on the code alone.

A staff page with several forms spent more time rendering their unchanging fields (GOV.UK markup
through `cases/_field.html` and Django's widget templates) than running its queries. An unbound
field whose label, choices and attributes come from the form class renders the same for every user
and record, so it is rendered once and reused; the fields named `dynamic` (a value or choices that
depend on the day, the record or the request, such as a one-time token) are rendered on each page,
and a bound form (sent back with errors) is rendered in full. Nothing about a user or a record is
ever cached."""

from django import forms
from django.template.loader import render_to_string

_field_html: dict[tuple[type, str], str] = {}


def form_fields(form, *, dynamic: frozenset[str] | set[str] = frozenset()) -> list[tuple[object, str | None]]:
    """(bound field, markup or None) for each field in order; None means: render this one here.
    Besides `dynamic`, a field is rendered each time when the view gave it an initial value, when its
    class default is computed (a callable initial), or when its choices come from a query."""
    static = set()
    if not form.is_bound and not form.prefix:
        static = {
            name
            for name, f in form.fields.items()
            if name not in dynamic
            and name not in form.initial
            and not callable(f.initial)
            and not isinstance(f, forms.ModelChoiceField)
        }
    pairs = []
    for field in form:
        html = None
        if field.name in static:
            key = (type(form), field.name)
            html = _field_html.get(key)
            if html is None:
                html = _field_html[key] = render_to_string("cases/_field.html", {"field": field})
        pairs.append((field, html))
    return pairs

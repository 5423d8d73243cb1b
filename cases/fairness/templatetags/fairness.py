from django import template

register = template.Library()


@register.filter
def rate(r):
    """A rate for a table cell: the figure, or why there is none."""
    if r is None:
        return "not in this source"
    if r.value is None:
        return "no data"
    if r.per == 1:
        return f"{r.value * 100:.1f}% ({r.low * 100:.1f}% to {r.high * 100:.1f}%)"
    return f"{r.value:.1f} ({r.low:.1f} to {r.high:.1f})"


@register.filter
def ratio(r):
    if r is None or r.value is None:
        return "—" if r is None else "no comparison"
    if r.low is None:
        return f"{r.value:.2f} (no interval)"
    return f"{r.value:.2f} ({r.low:.2f} to {r.high:.2f})"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None

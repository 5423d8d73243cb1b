"""What every page of cases shares: paging, a service's refusal shown on its form, a row picked by its
public id from a selector's queryset. (A list's filters are its FilterSet's: cases/filters.py.)"""

from uuid import UUID

from django.http import Http404

from ..pagination import EstimatedCountPaginator

PAGE_SIZE = 50


def page_of(request, qs):
    return EstimatedCountPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def refusal_to_form(form, exc) -> None:
    """Show a service's refusal by the field it is about (or above the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def by_public_id_or_404(qs, public_id):
    try:
        public_id = UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    obj = qs.filter(public_id=public_id).first()
    if obj is None:
        raise Http404
    return obj

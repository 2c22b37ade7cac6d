from __future__ import annotations

from urllib.parse import urlencode

from django import template

from zhucun.registry.selectors import CATEGORIES
from zhucun.web.chrome import user_chrome

register = template.Library()


@register.simple_tag(takes_context=True)
def chrome(context):
    """Role label, scope label and nav for the signed-in user (computed once per request)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(request, "_web_chrome", None)
    if cached is None:
        cached = user_chrome(user)
        request._web_chrome = cached
    return cached


@register.simple_tag(takes_context=True)
def has_search(context) -> bool:
    """Whether the page frame shows the search box (``registry.search.can_search``)."""
    from zhucun.registry.search import can_search

    request = context.get("request")
    return can_search(getattr(request, "user", None))


@register.simple_tag
def stylesheet_url():
    from zhucun.web.views.assets import VERSION

    return f"/assets/zhucun.css?v={VERSION}"


@register.simple_tag
def script_url():
    from zhucun.web.views.assets import JS_VERSION

    return f"/assets/zhucun.js?v={JS_VERSION}"


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current query string with ``page`` replaced."""
    request = context["request"]
    params = [(k, v) for k, v in request.GET.items() if k != "page" and v != ""]
    params.append(("page", str(number)))
    return "?" + urlencode(params)


def _sort_link(context, key: str) -> tuple[str, str, str]:
    """The href, ▲/▼ mark and aria-sort value of a link sorting the list by ``key``."""
    request = context["request"]
    sort = context.get("sort")
    active = sort is not None and sort.key == key
    value = f"-{key}" if active and not sort.descending else key
    if sort is not None and value == sort.default:
        value = ""
    params = [(k, v) for k, v in request.GET.items() if k not in ("page", "sort") and v != ""]
    if value:
        params.append(("sort", value))
    href = "?" + urlencode(params)
    mark, aria = "", "none"
    if active:
        mark, aria = ("▼", "descending") if sort.descending else ("▲", "ascending")
    return href, mark, aria


@register.simple_tag(takes_context=True)
def sort_th(context, key: str, label: str, css: str = ""):
    """A column header that sorts the list (``views/_sorting.py``): a link to the current
    query with ``sort`` set to ``key`` (or ``-key`` when the list is already sorted by it
    ascending) and the page number dropped; ▲/▼ marks the column the list is sorted by."""
    from django.utils.html import format_html

    href, mark, aria = _sort_link(context, key)
    return format_html(
        '<th{} aria-sort="{}"><a href="{}" class="sort-link" title="按{}排序">{}'
        '<span class="sort-mark" aria-hidden="true">{}</span></a></th>',
        format_html(' class="{}"', css) if css else "",
        aria,
        href,
        label,
        label,
        mark,
    )


@register.simple_tag(takes_context=True)
def sort_a(context, key: str, label: str):
    """``sort_th`` for a list shown as cards, not a table: the same link, without the cell."""
    from django.utils.html import format_html

    href, mark, _aria = _sort_link(context, key)
    return format_html(
        '<a href="{}" class="sort-link{}" title="按{}排序">{}'
        '<span class="sort-mark" aria-hidden="true">{}</span></a>',
        href,
        " active" if mark else "",
        label,
        label,
        mark,
    )


@register.simple_tag(takes_context=True)
def sort_hidden(context):
    """The current sort as a hidden input of a filter form, so filtering keeps the order."""
    from django.utils.html import format_html

    sort = context.get("sort")
    if sort is None or not sort.param:
        return ""
    return format_html('<input type="hidden" name="sort" value="{}">', sort.param)


@register.inclusion_tag("web/_badges.html")
def category_badges(village):
    """3类村 badges: 原建档立卡贫困村 / 易地扶贫搬迁安置村 / 抵边村."""
    labels = [label for name, label in CATEGORIES.items() if getattr(village, name)]
    return {"badges": [(label, "cat") for label in labels]}


@register.inclusion_tag("web/_badges.html")
def key_badges(village):
    """重点村 / 薄弱村 badges."""
    badges = []
    if village.key_village:
        badges.append(("重点村", "key"))
    if village.weak_village:
        badges.append(("薄弱村", "weak"))
    return {"badges": badges}


@register.filter
def action_cn(action: str) -> str:
    """An audit action's Chinese verb (zhucun.audit.labels), never its stored name."""
    from zhucun.audit.labels import action_label

    return action_label(action)


@register.filter
def object_cn(object_type: str) -> str:
    from zhucun.audit.labels import object_label

    return object_label(object_type)


_DIGITS = "零一二三四五六七八九十"


@register.filter
def fraction_cn(value) -> str:
    """A ratio parameter as a sentence says it: Fraction(1, 3) → 三分之一 (digits above ten)."""
    from fractions import Fraction

    f = Fraction(value)

    def cn(n: int) -> str:
        return _DIGITS[n] if 0 <= n <= 10 else str(n)

    if f.denominator == 1:
        return cn(f.numerator)
    return f"{cn(f.denominator)}分之{cn(f.numerator)}"


@register.filter
def yesno_cn(value):
    if value is None:
        return "无权查看"
    return "是" if value else "否"


@register.simple_tag(takes_context=True)
def param(context, name: str) -> object:
    """A policy number as the parameters in force say for the user's jurisdiction today
    (``{% param "rank_bottom_count" %}`` → 3): texts quote it, never type it."""
    from django.utils import timezone

    from zhucun.params.selectors import parameters_current

    request = context.get("request")
    user = getattr(request, "user", None)
    jurisdiction = _place_code(user) if user is not None else ()
    return parameters_current().value(name, on=timezone.localdate(), jurisdiction=jurisdiction)


def _place_code(user) -> str | tuple[()]:
    """Where the user works: the scope's jurisdiction; a village secretary's village; a
    cadre's village in post; a unit's seat. () is the home jurisdiction."""
    from zhucun.registry.models import PostingStatus

    if getattr(user, "jurisdiction_id", None):
        return user.jurisdiction.code
    if getattr(user, "village_id", None):
        return user.village.jurisdiction.code
    if getattr(user, "cadre_id", None):
        posting = (
            user.cadre.postings.filter(status=PostingStatus.ACTIVE)
            .select_related("village__jurisdiction")
            .first()
        )
        if posting is not None:
            return posting.village.jurisdiction.code
    if getattr(user, "unit_id", None) and user.unit.jurisdiction_id:
        return user.unit.jurisdiction.code
    return ()

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
    jurisdiction = getattr(getattr(user, "jurisdiction", None), "code", None) or ()
    return parameters_current().value(name, on=timezone.localdate(), jurisdiction=jurisdiction)

"""Every named URL pattern of the site, found by walking the resolver (allauth, i18n and admin included)."""

from __future__ import annotations

import re

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.access import ADMIN_NAMESPACE


def named_patterns() -> dict[str, URLPattern]:
    """`{"namespace:name": pattern}` for every named pattern, however deep it is included."""
    found: dict[str, URLPattern] = {}

    def walk(resolver: URLResolver, namespaces: tuple[str, ...]):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, (*namespaces, pattern.namespace) if pattern.namespace else namespaces)
            elif pattern.name:
                found.setdefault(":".join((*namespaces, pattern.name)), pattern)

    walk(get_resolver(), ())
    return found


def admin_urls(object_id) -> dict[str, str]:
    """A URL for every named admin pattern: object ids are `object_id`, app labels the first one."""
    app_label = sorted({model._meta.app_label for model in admin.site._registry})[0]
    values = {"object_id": str(object_id), "id": str(object_id), "content_type_id": "1"}
    values |= {"app_label": app_label, "url": "x"}
    urls = {}
    for name, pattern in named_patterns().items():
        if not name.startswith(f"{ADMIN_NAMESPACE}:"):
            continue
        groups = re.compile(pattern.pattern.regex.pattern).groupindex
        urls[name] = reverse(name, kwargs={group: values[group] for group in groups})
    return urls

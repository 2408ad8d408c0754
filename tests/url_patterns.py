"""Every URL pattern of the site with its full name and the kind of each keyword argument, for the
tests that walk them all (opaque ids in tests/test_url_ids.py, token pages in tests/test_token_pages.py).
"""

from dataclasses import dataclass

from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.urls.resolvers import RoutePattern

KINDS = {
    IntConverter: "int",
    UUIDConverter: "uuid",
    SlugConverter: "slug",
    StringConverter: "str",
    PathConverter: "path",
}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", as reverse() takes it
    route: str
    kwargs: dict  # kwarg -> "int", "uuid", "slug", "str", "path", "regex" or a custom converter's class name


def url_patterns(*, skip_namespaces=("admin",)) -> list[Route]:
    """Django's admin is skipped by default: its URLs are Django's own (staff only, behind the second
    factor), with `<path:object_id>` for any model."""
    routes = []

    def walk(resolver, prefix, namespaces, kwargs):
        for entry in resolver.url_patterns:
            here = {**kwargs, **_kwargs(entry.pattern)}
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if entry.namespace in skip_namespaces:
                    continue
                walk(entry, route, [*namespaces, entry.namespace] if entry.namespace else namespaces, here)
            elif entry.name:
                routes.append(Route(":".join([*namespaces, entry.name]), route, here))
            else:
                routes.append(Route(route, route, here))

    walk(get_resolver(), "", [], {})
    return routes


def _kwargs(pattern) -> dict:
    if isinstance(pattern, RoutePattern):
        return {name: KINDS.get(type(c), type(c).__name__) for name, c in pattern.converters.items()}
    return dict.fromkeys(pattern.regex.groupindex, "regex")

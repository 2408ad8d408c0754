"""The "fragments" cache: parts of the base layout rendered once per process (templates/base.html).

What goes in it depends only on the code, the translations and the static files' manifest, which
change with a deploy (new processes). Under runserver, the autoreloader keeps the process when a
template or a translation changes (Django reloads those itself): `forget_fragments` empties the
cache then, so an edited menu shows at the next page.
"""

from django.core.cache import caches

ALIAS = "fragments"


def forget_fragments(sender=None, file_path=None, **kwargs):
    """Receiver of `django.utils.autoreload.file_changed`: never stops the reload (returns None)."""
    caches[ALIAS].clear()

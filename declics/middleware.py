"""Project-wide middleware."""

from django.utils.cache import add_never_cache_headers, patch_cache_control


class PrivatePagesNoStoreMiddleware:
    """Pages seen by a logged-in person may show personal data: no cache may keep them.

    Anonymous, public pages keep whatever caching their view chose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or getattr(response, "private_data", False):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response

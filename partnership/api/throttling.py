from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ClientAddressThrottle(SimpleRateThrottle):
    """At most settings.API_RATE_LIMIT requests (e.g. "120/min") per client address.

    The count is kept in the default cache, a database table, so every app process sees the
    same count. The client is REMOTE_ADDR unless REST_FRAMEWORK["NUM_PROXIES"] says how many
    proxies in front of the site to trust in X-Forwarded-For: a client cannot get a fresh
    allowance by sending its own X-Forwarded-For. No rate (None or "") turns the limit off.
    """

    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT or None

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

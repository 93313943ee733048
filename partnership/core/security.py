"""Sign-in throttling (django-axes) and the security log.

- `client_address`: the address failed sign-ins are counted against. REMOTE_ADDR, unless
  settings.LOGIN_TRUSTED_PROXIES says how many proxies in front of the site append to
  X-Forwarded-For; then the address the outermost trusted proxy saw. A client cannot reset or
  dodge a lockout by sending its own X-Forwarded-For.
- `lockout_response`: the page a locked-out client gets, in the admin's layout, saying what
  happened and when to try again.
- `SecurityLogMiddleware`: logs every failed sign-in (with the username tried and the address),
  every lockout, and every 403 the site answers, with the user and path, to the
  "partnership.security" logger. (django-axes logs failures too, as "axes.*".)
"""

import logging

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.signals import user_login_failed
from django.template.response import TemplateResponse
from django.utils import timezone

logger = logging.getLogger("partnership.security")


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "LOGIN_TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    # Each trusted proxy appends the address it received the request from; the rightmost
    # `proxies` entries are theirs, anything to the left of them the client may have made up.
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote


def lockout_response(request, original_response=None, credentials=None):
    cooloff = settings.AXES_COOLOFF_TIME
    retry_at = timezone.localtime() + cooloff if cooloff else None
    minutes = int(cooloff.total_seconds() // 60) if cooloff else None
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in locked",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": minutes,
        "retry_at": retry_at,
        "time_zone": timezone.get_current_timezone_name(),
    }
    response = TemplateResponse(
        request, "axes/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    response["Retry-After"] = str(int(cooloff.total_seconds())) if cooloff else "3600"
    return response.render()


def log_failed_login(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    address = client_address(request) if request is not None else "unknown"
    path = request.path if request is not None else ""
    logger.warning("Failed sign-in for username %r from %s at %s", username, address, path)


class SecurityLogMiddleware:
    """Logs failed sign-ins and permission denials."""

    def __init__(self, get_response):
        self.get_response = get_response
        user_login_failed.connect(
            log_failed_login, dispatch_uid="partnership.security.log_failed_login"
        )

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            name = user.get_username() if user is not None and user.is_authenticated else "-"
            logger.warning(
                "Permission denied: %s %s for user %r from %s",
                request.method,
                request.path,
                name,
                client_address(request),
            )
        elif response.status_code == settings.AXES_HTTP_RESPONSE_CODE and getattr(
            request, "axes_locked_out", False
        ):
            logger.warning(
                "Sign-in locked out: %s %s from %s",
                request.method,
                request.path,
                client_address(request),
            )
        return response

"""Sign-in throttling (django-axes) and the security log.

- `client_address`: the address failed sign-ins are counted against. REMOTE_ADDR, unless
  settings.LOGIN_TRUSTED_PROXIES says how many proxies in front of the site append to
  X-Forwarded-For; then the address the outermost trusted proxy saw. A client cannot reset or
  dodge a lockout by sending its own X-Forwarded-For.
- `lockout_response`: the page a locked-out client gets, in the admin's layout, saying what
  happened and when to try again.
- `SignInForm`: the admin's sign-in form, which says after a failure how many attempts are
  left before the account is locked at this address.
- `log_failed_login` (connected to `user_login_failed` in `CoreConfig.ready()`) logs every
  failed sign-in, with the username tried and the address, and `SecurityLogMiddleware` every
  lockout and every 403 the site answers, with the user and path, to the
  "partnership.security" logger. (django-axes logs failures too, as "axes.*".)
"""

import logging

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import ngettext

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
    retry_at = None
    if cooloff:
        # The lock ends a cool-off after the last counted failure: attempts made while
        # locked are not counted and do not move it.
        username = get_client_username(request, credentials)
        last = (
            AccessAttempt.objects.filter(username=username, ip_address=client_address(request))
            .order_by("-attempt_time")
            .values_list("attempt_time", flat=True)
            .first()
        )
        retry_at = timezone.localtime((last or timezone.now()) + cooloff)
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in locked",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": lockout_minutes(),
        "retry_at": retry_at,
        "time_zone": timezone.get_current_timezone_name(),
    }
    response = TemplateResponse(
        request, "axes/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    wait = (retry_at - timezone.now()).total_seconds() if retry_at else 3600
    response["Retry-After"] = str(max(int(wait), 1))
    return response.render()


def lockout_minutes():
    cooloff = settings.AXES_COOLOFF_TIME
    return int(cooloff.total_seconds() // 60) if cooloff else None


def attempts_left_message(failures):
    """ "2 attempts left before this account is locked for 30 minutes from this address." """
    left = max(settings.AXES_FAILURE_LIMIT - failures, 0)
    minutes = lockout_minutes()
    if minutes is None:
        return ngettext(
            "%(count)d attempt left before this account is locked from this address.",
            "%(count)d attempts left before this account is locked from this address.",
            left,
        ) % {"count": left}
    return ngettext(
        "%(count)d attempt left before this account is locked for %(minutes)d minutes from "
        "this address.",
        "%(count)d attempts left before this account is locked for %(minutes)d minutes from "
        "this address.",
        left,
    ) % {"count": left, "minutes": minutes}


class SignInForm(AdminAuthenticationForm):
    """The admin's sign-in form: a failed attempt also says how many are left.

    django-axes counts the failure while the password is checked and leaves the count of
    failures for this account from this address on the request.
    """

    def get_invalid_login_error(self):
        error = super().get_invalid_login_error()
        failures = getattr(self.request, "axes_failures_since_start", None)
        if failures is None:
            return error
        return ValidationError(
            [error, ValidationError(attempts_left_message(failures), code="attempts_left")]
        )


def log_failed_login(sender, credentials, request=None, **kwargs):
    """Log a failed sign-in: the username tried (never the password) and where from."""
    username = (credentials or {}).get("username", "")
    address = client_address(request) if request is not None else "unknown"
    path = request.path if request is not None else ""
    logger.warning("Failed sign-in for username %r from %s at %s", username, address, path)


class SecurityLogMiddleware:
    """Logs permission denials and lockouts (failed sign-ins are logged by `log_failed_login`,
    which the core app connects to `user_login_failed` when it starts)."""

    def __init__(self, get_response):
        self.get_response = get_response

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

"""The site in English, Thai and Japanese: English at the plain addresses, Thai under /th/,
Japanese under /ja/ (i18n_patterns in partnership/urls.py).

A visitor picks a language with the switcher every page shows. Its links go through
`choose_language`, which remembers the choice in Django's language cookie and sends the visitor
to the same page, with the same query string, in that language. Later visits to a plain
(English) address then go to the remembered language (`RememberedLanguageMiddleware`); the
admin, which has no prefix, reads the same cookie. No JavaScript is needed."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

# Each language named in its own script, as the switcher shows it.
NATIVE_NAMES = {"en": "English", "th": "ไทย", "ja": "日本語"}


def translated_path(full_path, language):
    """The same page and query string in `language`: "/agreements/?q=x" → "/th/agreements/?q=x".
    A page outside the translated patterns (the admin, the API) stays as it is."""
    # Read the path in its own language, whatever language the request itself is answered in.
    own = translation.get_language_from_path(full_path.split("?")[0]) or settings.LANGUAGE_CODE
    with translation.override(own):
        return translate_url(full_path, language)


def alternates(request):
    """The page in each language, for the switcher and <link rel="alternate" hreflang>: a
    list of (code, native name, path, current)."""
    full_path = request.get_full_path()
    current = translation.get_language()
    return [
        (code, NATIVE_NAMES.get(code, name), translated_path(full_path, code), code == current)
        for code, name in settings.LANGUAGES
    ]


def switch_url(language, path):
    """The switcher's link: remembers `language`, then goes to `path` in it."""
    return f"{reverse('choose_language', args=[language])}?{urlencode({'next': path})}"


@never_cache
def choose_language(request, language):
    """Remember the language in the cookie and go to the page `next` names (a path on this
    site; anything else goes to the overview) in that language."""
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(translated_path(target, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def is_public_page(path):
    """Whether `path` is a page of the site in one of its languages (not the admin, the API
    or a machine-facing endpoint such as the health check)."""
    return bool(translation.get_language_from_path(path)) or _is_translated_page(path)


def _is_translated_page(path):
    """Whether `path` is a plain (English) address of a page that also exists in Thai and
    Japanese: it resolves once prefixed."""
    if translation.get_language_from_path(path):
        return False
    language = next(code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
    try:
        with translation.override(language):
            resolve(f"/{language}{path}")
    except Resolver404:
        return False
    return True


class RememberedLanguageMiddleware:
    """A visitor who chose Thai or Japanese with the switcher and follows a plain (English)
    link is sent to the page in their language; choosing English again stops it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not _is_translated_page(request.path_info):
            return self.get_response(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in dict(settings.LANGUAGES) and chosen != settings.LANGUAGE_CODE:
            response = HttpResponseRedirect(translated_path(request.get_full_path(), chosen))
        else:
            response = self.get_response(request)
        # The plain address answers according to the cookie.
        patch_vary_headers(response, ("Cookie",))
        return response


class AdminLanguageMiddleware:
    """The admin, whose addresses have no language prefix, in the language the editor chose
    with the site's switcher (the language cookie); English when none was chosen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES) or not request.path_info.startswith(
            reverse("admin:index")
        ):
            return self.get_response(request)
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        return response

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class LanguageMiddleware:
    """Indonesian unless the user chose English with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; many
    officers' phones are set to English, yet the programme's working language is Indonesian.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


# Powerful browser features no page of the application uses: refused to the pages and to
# anything they might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class CacheAndPermissionsPolicyMiddleware:
    """Everything a signed-in person receives is ``Cache-Control: private, no-store``: on a
    shared computer, "back" after signing out must not show the pages again, and no proxy
    may keep them. Responses a view declared ``public`` (the site icon) keep their caching,
    and so does what anonymous visitors get (the public survey pages set their own);
    static files never reach here (WhiteNoise answers them first). Every response carries
    the Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            declared = response.get("Cache-Control", "").lower()
            if "public" not in declared:
                patch_cache_control(response, private=True, no_store=True)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

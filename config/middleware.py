"""Language selection: Chinese unless the user has chosen English.

Django's LocaleMiddleware follows the browser's Accept-Language header, so an officer whose browser happens to be
set to English would get English screens. The interface is Chinese by default; English is offered through the
language menu (``set_language``, which stores the choice in a cookie), and only that choice switches it.
"""

from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response

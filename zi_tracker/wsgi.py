import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_tracker.settings")

application = get_wsgi_application()

# Import the URLconf (and with it every app's views) now, as the worker starts, rather than in
# the first request it serves: that request (the national portal's fetch, say) would
# otherwise wait some 250 ms more than any other. A URLconf that fails to import stops the
# worker at its start instead of failing that request.
import_module(settings.ROOT_URLCONF)

"""WSGI entry point (gunicorn/uwsgi: ``gongkai.config.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")

application = get_wsgi_application()

"""ASGI entry point (uvicorn/daphne: ``gongkai.config.asgi:application``)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")

application = get_asgi_application()

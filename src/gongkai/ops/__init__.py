"""Running gongkai in production: the gunicorn server, /healthz, ``gongkai check-deploy``, log filters and
the classification of failed writes (read-only database, full disk). Not a Django app: no models."""

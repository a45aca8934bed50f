"""Settings of the load benchmark's server: gongkai's own, plus one bare view (``bench.load_urls``) to
measure the framework and the server without gongkai's work. Used only by ``bench.load_serve``."""

from gongkai.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"

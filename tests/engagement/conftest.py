"""The engagement tests use the portal's small office (clerk, drafter …) built through the services."""

from portal.conftest import Office, _fast_passwords, office  # noqa: F401

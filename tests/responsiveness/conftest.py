"""The responsiveness tests use the portal's small office (clerk, 科室 staff, auditor …) built through the services."""

from portal.conftest import Office, _fast_passwords, _private_media, office  # noqa: F401

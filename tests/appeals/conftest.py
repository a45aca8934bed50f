"""The appeals tests use the same office as the inforequests tests."""

from inforequests.conftest import Office, office  # noqa: F401

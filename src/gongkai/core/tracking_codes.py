"""Secrets that let a member of the public see their own record on the portal: the query code (查询码) of
an online application (``portal.tracking``) and of a letter to the mailbox.

The secret is shown once, on the page after submission, and stored only as a salted SHA-256: 12 characters
from a 25-letter alphabet are about 56 bits, far beyond guessing under the lookup rate limit, so a
deliberately slow hash would only hand visitors a way to load the server.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: secrets get read out over the phone and copied by hand.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
SECRET_LENGTH = 12
_SCHEME = "sha256"


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_secret() -> str:
    return random_code(SECRET_LENGTH)


def display_secret(secret: str) -> str:
    """Groups of four for reading: K7Q3-HXMA-9PTC."""
    return "-".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise_secret(value: str) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def normalise_reference(value: str) -> str:
    """A tracking or letter number as typed (spaces, lower case) in its stored form."""
    return "".join(ch for ch in (value or "").upper().strip() if ch.isalnum() or ch == "-")


def hash_secret(secret: str) -> str:
    salt = secrets.token_hex(16)
    digest = hashlib.sha256(f"{salt}:{normalise_secret(secret)}".encode()).hexdigest()
    return f"{_SCHEME}${salt}${digest}"


# Compared against when the number is unknown, so both answers take the same time.
_DUMMY_HASH = hash_secret(new_secret())


def check_secret(secret: str, stored: str | None) -> bool:
    """Constant-time check of ``secret`` against a stored hash; False for an empty or foreign hash."""
    scheme, _, rest = (stored or _DUMMY_HASH).partition("$")
    salt, _, digest = rest.partition("$")
    candidate = hashlib.sha256(f"{salt}:{normalise_secret(secret)}".encode()).hexdigest()
    return hmac.compare_digest(candidate, digest) and scheme == _SCHEME and bool(stored)

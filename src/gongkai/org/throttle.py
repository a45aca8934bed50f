"""Login throttling: how many wrong guesses an account name and a network address may make.

**The rules.**

- *Per account.* 10 failed sign-ins (a wrong password or a wrong second-factor code), each within
  15 minutes of the one before, lock the account name for 15 minutes. While it is locked even the right
  password is refused, with a Chinese message giving the time it unlocks. A completed sign-in clears the
  count; a password accepted while the second factor is still to come takes back only its own attempt,
  so that someone holding the password cannot reset the count between guesses at the code.
- *Per address.* 30 failures from one address, whatever names they tried, block that address for
  15 minutes. The limit is looser than the account's because an office's staff may share one address
  behind NAT; it is what slows an attacker who tries one password on many accounts, or who tries to lock
  many accounts at once.
- *Unknown names count like real ones.* The key is the name as typed (case-folded), so a lock, its
  message and its timing say nothing about which names exist; ``ModelBackend`` already spends the same
  password-hashing work on an unknown name as on a real one.

**Why an attacker cannot lock the 公开办 out for good.** A lock lasts 15 minutes and then lifts by
itself: keeping an account locked means failing again every 15 minutes, and every address used for it is
blocked after 30 failures, so locking many accounts needs many addresses. The 公开办负责人
(``Permission.ACCOUNT_MANAGE``) lifts a lock at once from the workbench's 账号安全 page
(``org.accounts.account_unlock``, audited); a locked office head is unlocked by another one, or on the
server with ``python -m gongkai.config.manage unlock_account NAME``. A lock only stops guessing: it never
lets anyone in.

**Concurrency.** Each attempt is counted *before* its password is checked, under a row lock
(``select_for_update``; on SQLite the IMMEDIATE transactions serialise writers), and refused once the
count has reached the limit: however many workers try at once, at most 10 guesses per account are ever
checked before the lock. A completed sign-in takes its own advance count back by clearing the row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from gongkai.org.models import LoginThrottle

ACCOUNT_LIMIT = 10
ADDRESS_LIMIT = 30
LOCK_DURATION = dt.timedelta(minutes=15)
# Failures further apart than this start the count again: a forgotten password on Monday and a typo on
# Friday are not an attack.
WINDOW = dt.timedelta(minutes=15)

Scope = LoginThrottle.Scope


@dataclass(frozen=True)
class Lock:
    scope: str
    key: str
    until: dt.datetime

    @property
    def message(self) -> str:
        at = timezone.localtime(self.until)
        when = f"{at:%H:%M}" if at.date() == timezone.localdate() else f"{at:%Y年%m月%d日 %H:%M}"
        if self.scope == Scope.ACCOUNT:
            return (
                f"该账号连续登录失败次数过多，已暂时锁定，将于 {when} 自动解锁。"
                "如需立即解锁，请联系公开办负责人。"
            )
        return f"您所在网络地址的登录失败次数过多，已暂停登录，请于 {when} 后再试。"


def account_key(username: str) -> str:
    return (username or "").strip().casefold()[:150]


def _locked(row: LoginThrottle | None, now: dt.datetime) -> Lock | None:
    if row is None or row.locked_until is None or row.locked_until <= now:
        return None
    return Lock(row.scope, row.key, row.locked_until)


def current_lock(scope: str, key: str, *, now: dt.datetime | None = None) -> Lock | None:
    """The lock on ``key`` now in force, if any (a read: counts nothing)."""
    return _locked(LoginThrottle.objects.filter(scope=scope, key=key).first(), now or timezone.now())


def _row_for_update(scope: str, key: str, now: dt.datetime) -> LoginThrottle:
    # get_or_create survives a concurrent creation (it retries the get on the unique constraint).
    LoginThrottle.objects.get_or_create(scope=scope, key=key)
    row = LoginThrottle.objects.select_for_update().get(scope=scope, key=key)
    lapsed = row.locked_until is not None and row.locked_until <= now
    stale = row.last_failure_at is not None and now - row.last_failure_at > WINDOW
    if lapsed or (row.locked_until is None and stale):
        row.failures, row.locked_until = 0, None
    return row


def _limit(scope: str) -> int:
    return ACCOUNT_LIMIT if scope == Scope.ACCOUNT else ADDRESS_LIMIT


@dataclass(frozen=True)
class Reservation:
    lock: Lock | None  # the lock that refuses this attempt; None: go ahead and check it
    new_lock: bool = False  # this attempt set the lock (the limit was reached by attempts still in flight)


def reserve(username: str, address: str, *, now: dt.datetime) -> Reservation:
    """Before checking a password or code (inside the caller's transaction): refuse, or count the attempt
    in advance.

    The address is only checked here (``fail`` counts it); the account name is counted now, so that the
    advance counts of concurrent attempts stop at the limit.
    """
    blocked = current_lock(Scope.ADDRESS, address, now=now)
    if blocked is not None:
        return Reservation(blocked)
    row = _row_for_update(Scope.ACCOUNT, account_key(username), now)
    new_lock = _locked(row, now) is None and row.failures >= ACCOUNT_LIMIT
    if new_lock:
        row.locked_until = now + LOCK_DURATION
    lock = _locked(row, now)
    if lock is None:
        row.failures += 1
        row.last_failure_at = now
    row.save()
    return Reservation(lock, new_lock)


@dataclass(frozen=True)
class Failure:
    account_failures: int
    new_locks: tuple[Lock, ...]  # the locks this failure set (the account's, the address's)
    lock: Lock | None  # the lock now in force for this name and address, if any


def fail(username: str, address: str, *, now: dt.datetime) -> Failure:
    """After a wrong password or code (inside the caller's transaction): keep the advance count, count the
    address, and lock whatever reached its limit."""
    new_locks = []
    account = _row_for_update(Scope.ACCOUNT, account_key(username), now)
    if account.failures == 0:  # a lock lifted (or lapsed) while this attempt was being checked
        account.failures, account.last_failure_at = 1, now
    address_row = _row_for_update(Scope.ADDRESS, address, now)
    address_row.failures += 1
    address_row.last_failure_at = now
    for row in (account, address_row):
        if row.locked_until is None and row.failures >= _limit(row.scope):
            row.locked_until = now + LOCK_DURATION
            new_locks.append(Lock(row.scope, row.key, row.locked_until))
        row.save()
    lock = _locked(address_row, now) or _locked(account, now)
    return Failure(account.failures, tuple(new_locks), lock)


def take_back(username: str) -> None:
    """A right password whose second factor is still owed: only this attempt's advance count is undone,
    so that earlier failures and the coming code's still count toward the lock."""
    LoginThrottle.objects.filter(scope=Scope.ACCOUNT, key=account_key(username), failures__gt=0).update(
        failures=F("failures") - 1
    )


def clear_account(username: str) -> int:
    """A completed sign-in or an unlock: the name's count and lock are gone. Returns the failures cleared."""
    row = (
        LoginThrottle.objects.select_for_update()
        .filter(scope=Scope.ACCOUNT, key=account_key(username))
        .first()
    )
    if row is None:
        return 0
    cleared = row.failures
    row.failures, row.locked_until, row.last_failure_at = 0, None, None
    row.save()
    return cleared


def locked_accounts(*, now: dt.datetime | None = None) -> dict[str, dt.datetime]:
    """Account name (case-folded) -> the time its lock lifts, for every lock now in force."""
    rows = LoginThrottle.objects.filter(scope=Scope.ACCOUNT, locked_until__gt=now or timezone.now())
    return dict(rows.values_list("key", "locked_until"))

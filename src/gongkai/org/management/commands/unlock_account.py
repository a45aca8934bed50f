"""The last resort when every 公开办负责人 is locked out: lift a login lock from the server's shell."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.org.accounts import account_unlock


class Command(BaseCommand):
    help = "解除某个账号的登录锁定（审计日志记为系统操作）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="要解锁的用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户名为“{options['username']}”的账号")
        cleared = account_unlock(actor=None, user=user)
        self.stdout.write(f"已解除 {user.get_username()} 的登录锁定（清除连续失败 {cleared} 次）")

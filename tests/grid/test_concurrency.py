"""Two `gongkai tick` processes forwarding at once never POST one report to a receiver twice: real
processes with their own connections, real local receivers slow enough for the two to overlap."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from delivery.test_concurrency import _database_env, _run
from grid.conftest import GRID_KEY, HOTLINE_KEY, Receiver

N = 12

SEED = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
django.setup()
from gongkai.grid.services import report_submit
for i in range(int(sys.argv[1])):
    report_submit(category="road", place=f"测试路 {i} 号", description="路面塌陷需要修补")
"""


def test_two_concurrent_ticks_forward_every_report_exactly_once(
    request: Any, tmp_path: Path, receivers: tuple[Receiver, Receiver]
) -> None:
    grid, hotline = receivers
    env = _database_env(request, tmp_path)
    _run(env, "-c", SEED, str(N))
    grid.delay = hotline.delay = 0.5
    env.update(
        GONGKAI_GRID_URL=grid.url,
        GONGKAI_GRID_KEY=GRID_KEY,
        GONGKAI_96010_URL=hotline.url,
        GONGKAI_96010_KEY=HOTLINE_KEY,
    )
    tick = [sys.executable, "-m", "gongkai.cli", "tick"]
    # Both start together: sending takes seconds per message pair, far longer than a process takes to start.
    first = subprocess.Popen(tick, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(tick, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    sent = [int(m.group(1)) for m in re.finditer(r"已发送 (\d+) 条消息", out1 + out2)]
    assert sum(sent) == 2 * N and all(sent), out1 + out2  # both ticks took part, and shared the work
    for receiver in (grid, hotline):
        keys = [h.key for h in receiver.hits]
        assert len(keys) == N and len(set(keys)) == N  # every report once, none twice
        assert all(h.signature_ok and h.status == 200 for h in receiver.hits)

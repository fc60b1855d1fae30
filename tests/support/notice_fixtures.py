from __future__ import annotations

from datetime import datetime, timezone

import pytest

from .notices import NoticeWorld

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)  # a Thursday, a working day


@pytest.fixture
async def world(database_url, connector):
    built = await NoticeWorld(database_url, connector).start(NOW)
    yield built
    await built.close()

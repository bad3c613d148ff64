"""The datatrove path needs the ``scale`` extra; ``make test`` installs it."""

from __future__ import annotations

import pytest

pytest.importorskip("datatrove", reason="the scale extra is not installed "
                    "(pip install -e '.[scale]'; make test installs it)")

"""Shared fixtures: the bundled rulebook, loaded once."""

from __future__ import annotations

import pytest

from checker.rulebook import Rulebook, load_rulebook


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    return load_rulebook()

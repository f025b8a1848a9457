"""The W3C Nu HTML Checker lane (``make test-standards``).

A missing ``java`` or ``vnu.jar`` fails the lane with what to do. The only way
to skip it is asking for it: ``NEWSROOM_SKIP_STANDARDS=1``.
"""

from __future__ import annotations

import os

import pytest

from tests.standards.nu_checker import missing_tools, run_checker

SKIP_VARIABLE = "NEWSROOM_SKIP_STANDARDS"


@pytest.fixture(scope="session")
def html_checker():
    """``check(files) -> [Message]``; fails (never skips) when the checker is missing."""
    if os.environ.get(SKIP_VARIABLE) == "1":
        pytest.skip(f"{SKIP_VARIABLE}=1: the HTML standards checks were skipped on request")
    problems = missing_tools()
    if problems:
        pytest.fail(
            "The HTML standards lane cannot run:\n  - "
            + "\n  - ".join(problems)
            + f"\nSet {SKIP_VARIABLE}=1 to skip it on purpose."
        )
    return run_checker

"""The scraped news page in ``../shared/seed/`` that the import must handle, and what it holds.

CI lays out a copy of ``shared/`` beside the repository, so the file is found
relative to the project, never copied into it. A local clone of a checkout
(``git clone . /tmp/fresh``) finds it beside the checkout it was cloned from;
``NEWSROOM_SHARED_DIR`` names the folder explicitly.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from django.conf import settings

SEED_NAME = Path("seed") / "000_55710f82e98010ef.txt"


def _shared_folder_candidates() -> list[Path]:
    repository = Path(settings.BASE_DIR)
    candidates = [repository.parent / "shared"]
    if os.environ.get("NEWSROOM_SHARED_DIR"):
        candidates.insert(0, Path(os.environ["NEWSROOM_SHARED_DIR"]))
    origin = subprocess.run(
        ["git", "config", "--get", "remote.origin.url"],
        cwd=repository,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if origin and "://" not in origin and not origin.startswith("git@"):
        candidates.append((repository / origin).resolve().parent / "shared")
    return candidates


def find_seed_file() -> Path:
    """The seed file in the first shared folder that has it (else where CI puts it)."""
    candidates = [folder / SEED_NAME for folder in _shared_folder_candidates()]
    return next((path for path in candidates if path.is_file()), candidates[0])


SEED_FILE = find_seed_file()
SEED_HEADLINE = (
    "Kim Jong-un: North Korean leader prepares for talks and confrontation with United States"
)
SEED_SLUG = (
    "kim-jong-un-north-korean-leader-prepares-for-talks-and-confrontation-with-united-states"
)
SEED_FIRST_PARAGRAPH = (
    "North Korean leader Kim Jong-un has remarked that his country should prepare for both "
    "\u201cnegotiations and confrontations\u201d with United States.North Korean media reported "
    "this on Friday. This statement from North Korea comes at a time when the US and other major "
    "powers have urged North Korea to abandon its nuclear program and return to the path of "
    "dialogue."
)
SEED_LAST_PARAGRAPH = (
    "Just days before Biden\u2019s swearing-in ceremony, North Korea demonstrated its strength "
    "by conducting a large-scale military parade with new missiles."
)
SEED_CHROME = ("Leave a Reply", "Your email address will not be published.", "Latest News Articles")

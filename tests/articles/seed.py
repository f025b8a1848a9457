"""The scraped news page in ``../shared/seed/`` that the import must handle, and what it holds.

CI lays out a copy of ``shared/`` beside the repository, so the file is found
relative to the project, never copied into it.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

SEED_FILE = Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_55710f82e98010ef.txt"
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

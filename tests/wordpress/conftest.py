"""WXR documents for the importer tests, built here so each test shows what it feeds in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from tests.factories import EditorFactory

FIXTURES = Path(__file__).parent / "fixtures"


def jpeg_bytes(width: int = 640, height: int = 400) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def editor(db):
    return EditorFactory(username="importer")


@pytest.fixture
def run_import(editor, tmp_path, django_capture_on_commit_callbacks):
    """Write ``document`` to a file, import it, and return what the command printed."""

    def run(document: str | bytes, *args: str) -> str:
        path = tmp_path / "export.xml"
        path.write_bytes(document.encode() if isinstance(document, str) else document)
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command(
                "import_wordpress", str(path), "--user", editor.username, *args, stdout=out
            )
        return out.getvalue()

    return run


@pytest.fixture
def uploads(tmp_path) -> Path:
    """A copy of wp-content/uploads with the realistic export's images that exist."""
    root = tmp_path / "uploads"
    (root / "2024" / "05").mkdir(parents=True)
    (root / "2024" / "05" / "tram-map.jpg").write_bytes(jpeg_bytes())
    png = io.BytesIO()
    Image.new("RGB", (500, 300), (200, 30, 30)).save(png, "PNG")
    (root / "2024" / "05" / "map.png").write_bytes(png.getvalue())
    return root


@pytest.fixture
def realistic() -> str:
    return (FIXTURES / "realistic.xml").read_text(encoding="utf-8")

"""One running edge (Varnish from deploy/varnish/ in front of gunicorn) shared by the lane's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.varnish import VARNISHD
from tests.edge.proxy import running_edge


@pytest.fixture(scope="session")
def edge(tmp_path_factory):
    if not Path(VARNISHD).exists():
        pytest.fail("varnishd is not installed: `make test-edge` installs it from Debian")
    with running_edge(tmp_path_factory.mktemp("edge")) as running:
        yield running

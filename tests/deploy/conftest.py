"""One running deployment (nginx + gunicorn from deploy/) shared by the lane's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy.stack import NGINX, running_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: `make test-deploy` installs it from Debian")
    with running_stack(tmp_path_factory.mktemp("deploy")) as running:
        yield running

"""What deploy/ ships stays in step with the code: the environment file names every
variable the settings read, gunicorn's configuration logs JSON and opens no shared
control socket, and gunicorn's access line is JSON with the request id."""

from __future__ import annotations

import json
import os
import re
import runpy
import subprocess
from datetime import timedelta
from pathlib import Path

from gunicorn.config import Config

from newsroom.gunicorn_logging import JsonLogger

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPO_ROOT / "deploy"
READ_FROM_ENVIRONMENT = re.compile(
    r'(?:os\.environ\.get|env_int|env_bool|env_list)\(\s*"([A-Z0-9_]+)"|os\.environ\["([A-Z0-9_]+)"\]'
)
# Read by boto3 itself, not by our settings (named in base.py's comment).
READ_BY_LIBRARIES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}


def variables_read_by(*paths: Path) -> set[str]:
    names = set()
    for path in paths:
        for match in READ_FROM_ENVIRONMENT.finditer(path.read_text()):
            names.add(match.group(1) or match.group(2))
    return names


def variables_in_environment_file() -> set[str]:
    text = (DEPLOY / "newsroom.env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_the_environment_file_lists_every_variable_the_settings_and_gunicorn_read():
    read = variables_read_by(
        *sorted((REPO_ROOT / "newsroom" / "settings").glob("*.py")), DEPLOY / "gunicorn.conf.py"
    )

    assert {"SECRET_KEY", "SECRET_KEY_FALLBACKS", "EMAIL_TIMEOUT", "GUNICORN_BIND"} <= read
    assert read - variables_in_environment_file() == set()
    assert variables_in_environment_file() >= READ_BY_LIBRARIES


def test_the_environment_file_trusts_exactly_the_one_shipped_proxy():
    text = (DEPLOY / "newsroom.env.example").read_text()

    assert re.search(r"^NEWSROOM_TRUSTED_PROXY_COUNT=1$", text, flags=re.MULTILINE)
    assert re.search(r"^DJANGO_SETTINGS_MODULE=newsroom.settings.prod$", text, flags=re.MULTILINE)


def gunicorn_settings(monkeypatch, **environment: str) -> dict[str, object]:
    for name in list(os.environ):
        if name.startswith("GUNICORN_"):
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_gunicorn_opens_no_control_socket_at_the_shared_default_path(monkeypatch):
    settings = gunicorn_settings(monkeypatch)

    assert settings["control_socket_disable"] is True
    assert "control_socket" not in settings
    # Every name is one gunicorn knows (a misspelt setting is silently ignored).
    known = set(Config().settings)
    assert {name for name in settings if name in known} >= {
        "control_socket_disable",
        "logger_class",
        "accesslog",
        "workers",
        "timeout",
        "bind",
    }


def test_gunicorn_control_socket_can_be_given_a_path_of_its_own(monkeypatch):
    settings = gunicorn_settings(monkeypatch, GUNICORN_CONTROL_SOCKET="/run/newsroom/gunicorn.ctl")

    assert settings["control_socket_disable"] is False
    assert settings["control_socket"] == "/run/newsroom/gunicorn.ctl"


def test_gunicorn_workers_follow_the_cores_unless_set(monkeypatch):
    import multiprocessing

    assert gunicorn_settings(monkeypatch)["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert gunicorn_settings(monkeypatch, GUNICORN_WORKERS="3")["workers"] == 3


class FakeResponse:
    status = "404 Not Found"
    headers = [("Content-Type", "text/html"), ("X-Request-ID", "0123456789abcdef")]
    sent = 1234


def test_gunicorns_access_line_is_json_with_the_request_id_the_app_returned(capsys):
    config = Config()
    config.set("accesslog", "-")
    logger = JsonLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/news/missing/",
        "QUERY_STRING": "page=2",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_FORWARDED_FOR": "203.0.113.9",
        "HTTP_USER_AGENT": "probe/1.0",
    }

    try:
        logger.access(FakeResponse(), None, environ, timedelta(milliseconds=42))
    finally:
        for log in (logger.access_log, logger.error_log):
            for handler in [h for h in log.handlers if getattr(h, "_gunicorn", False)]:
                log.removeHandler(handler)

    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["logger"] == "gunicorn.access"
    assert line["request_id"] == "0123456789abcdef"
    assert line["status_code"] == 404
    assert line["path"] == "/news/missing/"
    assert line["forwarded_for"] == "203.0.113.9"
    assert line["duration_ms"] == 42.0
    assert line["bytes"] == 1234


def test_the_environment_file_loads_the_production_settings_through_newsroom_manage(tmp_path):
    """deploy/newsroom-manage reads the file with a POSIX shell, as systemd reads it."""
    environment_file = tmp_path / "newsroom.env"
    environment_file.write_text(
        (DEPLOY / "newsroom.env.example").read_text()
        # What the sysadmin fills in (later lines win): a real key, a reachable database.
        + f"\nSECRET_KEY=deploy-file-test-{'9f3c2a7b1e' * 5}\nDATABASE_URL=sqlite:///{tmp_path}/db.sqlite3\n"
        + f"NEWSROOM_VAR_DIR={tmp_path}\nSTATIC_ROOT={tmp_path}/static\n"
        + f"MEDIA_ROOT={tmp_path}/media\nREDIS_URL=\n"
    )
    code = (
        "from django.conf import settings; "
        "print(settings.NEWSROOM_NAME, settings.NEWSROOM_TRUSTED_PROXY_COUNT, settings.DEBUG)"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
    } | {"NEWSROOM_ENV_FILE": str(environment_file)}

    result = subprocess.run(
        [str(DEPLOY / "newsroom-manage"), "shell", "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "The Newsroom 1 False"


def test_varnish_passes_every_cookie_that_makes_a_page_personal():
    from comments.cookies import PERSONAL_COOKIES

    vcl = (DEPLOY / "varnish" / "newsroom.vcl").read_text()
    passed = re.search(r'req\.http\.Cookie ~ "\(\^\|;\\s\*\)\(([^)]*)\)="', vcl).group(1).split("|")
    production_session_cookie = re.search(
        r'SESSION_COOKIE_NAME = os\.environ\.get\("SESSION_COOKIE_NAME", "([^"]+)"\)',
        (REPO_ROOT / "newsroom" / "settings" / "prod.py").read_text(),
    ).group(1)

    assert {production_session_cookie, "sessionid", "messages", *PERSONAL_COOKIES} <= set(passed)


def test_varnish_keeps_the_headers_meant_for_it_from_readers():
    from delivery.edge import SURROGATE_HEADER, TAG_HEADER

    vcl = (DEPLOY / "varnish" / "newsroom.vcl").read_text()
    deliver = vcl.split("sub vcl_deliver", 1)[1]

    for header in (TAG_HEADER, SURROGATE_HEADER):
        assert f"unset resp.http.{header};" in deliver

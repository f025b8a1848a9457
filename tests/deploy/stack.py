"""The shipped deployment, started for real: nginx with deploy/nginx/newsroom.conf in
front of gunicorn with deploy/gunicorn.conf.py and the production settings.

``render_nginx_site(...)`` turns the shipped site file into one for a temporary
folder: the same file, with only its documented placeholders (paths, ports, the
certificate) substituted; a placeholder that is missing fails loudly, so the
test cannot drift from what a sysadmin copies. nginx runs in the foreground
with its own prefix, pid file and logs; gunicorn binds a unix socket in the
folder. ``Client`` speaks HTTP(S) from a chosen loopback source address, as
two different readers would reach the proxy.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import pwd
import re
import shutil
import ssl
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.servers import (
    PUBLIC_HOST,
    PUBLISHED_ARTICLE,
    REPO_ROOT,
    Answer,
    FormRequests,
    behind_proxy_environment,
    eventually,
    exchange,
    free_port,
    log_lines,
    manage,
    start_deployed_gunicorn,
    supervised,
    wait_until_ready,
)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE_FILE = REPO_ROOT / "deploy" / "nginx" / "newsroom.conf"
SECRET_KEY = "deploy-lane-5b0c3f1e9a7d4c2b8e6f0a1d3c5e7f9b2d4f6a8c0e1b3d5f7a9c"
EDITOR_PASSWORD = "deploy-lane-editor-password-7f3a"

SEED = (
    PUBLISHED_ARTICLE
    + """
from django.contrib.auth.models import Group, User
editor = User.objects.create_user("desk", "desk@example.org", PASSWORD, is_staff=True)
editor.groups.add(Group.objects.get(name="Editors"))
print(article.pk, section.pk)
""".replace("PASSWORD", repr(EDITOR_PASSWORD))
)


def render_nginx_site(folder: Path, *, http_port: int, https_port: int) -> str:
    """The shipped site file with its placeholders pointed at ``folder`` and the ports."""
    text = SITE_FILE.read_text()
    replacements = {
        # nginx straight to gunicorn: the Varnish hop is the edge lane's (tests/edge).
        "server 127.0.0.1:6081 ": f"server unix:{folder}/gunicorn.sock ",
        "/srv/newsroom/var/static/": f"{folder}/static/",
        "/srv/newsroom/var/media/": f"{folder}/media/",
        f"/etc/letsencrypt/live/{PUBLIC_HOST}/fullchain.pem": f"{folder}/tls/cert.pem",
        f"/etc/letsencrypt/live/{PUBLIC_HOST}/privkey.pem": f"{folder}/tls/key.pem",
        "/var/log/nginx/": f"{folder}/logs/",
        "/var/www/letsencrypt": f"{folder}/acme",
        "listen 80 default_server;": f"listen 127.0.0.1:{http_port} default_server;",
        "listen 443 ssl http2 default_server;": (
            f"listen 127.0.0.1:{https_port} ssl http2 default_server;"
        ),
    }
    for placeholder, value in replacements.items():
        if placeholder not in text:
            raise AssertionError(f"deploy/nginx/newsroom.conf no longer has {placeholder!r}")
        text = text.replace(placeholder, value)
    # Loopback only: no IPv6 listeners on a shared machine.
    return re.sub(r"^\s*listen \[::\]:\d+[^;]*;\n", "", text, flags=re.MULTILINE)


def nginx_main_config(folder: Path) -> str:
    """The machine's nginx.conf, reduced to what one foreground instance in ``folder`` needs."""
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    temp = folder / "nginx-temp"
    return f"""
{user}
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/logs/nginx-main.error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    client_body_temp_path {temp}/client;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/newsroom.conf;
}}
"""


def production_environment(folder: Path) -> dict[str, str]:
    return behind_proxy_environment(
        folder,
        secret_key=SECRET_KEY,
        # nginx serves media; the app does not need to.
        SERVE_MEDIA="false",
        # The worker (another process) sends the mail: into files the tests read.
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(folder / "mail"),
    )


@dataclass
class Stack:
    folder: Path
    environment: dict[str, str]
    http_port: int
    https_port: int
    article_id: int
    section_id: int

    def mails(self) -> list[str]:
        """The messages the worker has sent so far (the file backend's files)."""
        return [path.read_text() for path in sorted((self.folder / "mail").glob("*"))]

    def manage(self, *args: str) -> str:
        return manage(self.environment, *args)

    def gunicorn_lines(self) -> list[str]:
        """The complete lines gunicorn has written so far (stdout, then stderr)."""
        logs = self.folder / "logs"
        return log_lines(logs / "gunicorn.out") + log_lines(logs / "gunicorn.err")

    def wait_for_gunicorn_line(self, predicate, *, seconds: float = 10) -> list[str]:
        """gunicorn's lines once one of them satisfies ``predicate`` (its access line is
        written after the response has been sent, so it may come after the response)."""
        eventually(
            lambda: any(predicate(line) for line in self.gunicorn_lines()),
            seconds=seconds,
            interval=0.1,
        )
        return self.gunicorn_lines()

    def nginx_access_lines(self, uri: str, *, seconds: float = 10) -> list[dict]:
        """nginx's access lines for ``uri``, once there is one (nginx writes the line
        when the request is finalised, which may be after the client has the answer)."""
        path = self.folder / "logs" / "newsroom.access.log"

        def matching() -> list[dict]:
            lines = [json.loads(line) for line in log_lines(path)]
            return [line for line in lines if line["uri"] == uri]

        return eventually(matching, seconds=seconds, interval=0.1)


@contextlib.contextmanager
def running_stack(folder: Path) -> Iterator[Stack]:
    """Migrate, collect static files, seed, then start gunicorn and nginx; stop both, always."""
    for name in ("logs", "tls", "acme", "media", "nginx-temp", "mail"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # nginx's workers (another user under root) read static files
    environment = production_environment(folder)
    manage(environment, "migrate", "--noinput")
    manage(environment, "collectstatic", "--noinput")
    article_id, section_id = map(int, manage(environment, "shell", "-c", SEED).split()[-2:])
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", f"/CN={PUBLIC_HOST}", "-keyout", str(folder / "tls" / "key.pem")),
            *("-out", str(folder / "tls" / "cert.pem")),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    http_port, https_port = free_port(), free_port()
    (folder / "newsroom.conf").write_text(
        render_nginx_site(folder, http_port=http_port, https_port=https_port)
    )
    (folder / "nginx.conf").write_text(nginx_main_config(folder))
    nginx_command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")]
    nginx_command += ["-e", str(folder / "logs" / "nginx-main.error.log")]
    check = subprocess.run([*nginx_command, "-t"], capture_output=True, text=True, timeout=30)
    if check.returncode:
        raise RuntimeError(f"nginx -t refused the rendered configuration:\n{check.stderr}")

    with supervised() as processes:
        processes.append(
            start_deployed_gunicorn(
                environment,
                stdout=folder / "logs" / "gunicorn.out",
                stderr=folder / "logs" / "gunicorn.err",
            )
        )
        with (folder / "logs" / "worker.log").open("w") as worker_log:
            # The task worker as deploy/systemd/newsroom-worker.service runs it.
            processes.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "db_worker", "--queue-name", "*"],
                    cwd=REPO_ROOT,
                    env=environment,
                    stdout=worker_log,
                    stderr=subprocess.STDOUT,
                )
            )
        processes.append(
            subprocess.Popen(nginx_command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
        stack = Stack(folder, environment, http_port, https_port, article_id, section_id)
        wait_until_ready(
            lambda: Client(stack, tls=False).get("/readyz", host="127.0.0.1").status == 200,
            processes,
            what="the stack",
            logs=lambda: "\n".join(stack.gunicorn_lines()),
        )
        yield stack


@dataclass
class Client(FormRequests):
    """One reader: a loopback source address of its own and a cookie jar, over TLS to nginx."""

    stack: Stack
    source: str = "127.0.0.1"
    tls: bool = True
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        host: str = PUBLIC_HOST,
    ) -> Answer:
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the lane's own self-signed certificate
            connection = http.client.HTTPSConnection(
                "127.0.0.1",
                self.stack.https_port,
                context=context,
                source_address=(self.source, 0),
                timeout=60,
            )
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.stack.http_port, source_address=(self.source, 0), timeout=60
            )
        all_headers = {"Host": host, "Referer": f"https://{PUBLIC_HOST}{path}"} | (headers or {})
        return exchange(
            connection, method, path, body=body, headers=all_headers, cookies=self.cookies
        )

    def post_multipart(
        self,
        path: str,
        fields: dict[str, str | list[str]],
        files: dict[str, tuple[str, str, bytes]],
    ) -> Answer:
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for name, values in fields.items():
            for value in values if isinstance(values, list) else [values]:
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
        for name, (filename, content_type, content) in files.items():
            parts.append(
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            body=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

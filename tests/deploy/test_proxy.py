"""The deployment recipe, proven: nginx (deploy/nginx/newsroom.conf) in front of gunicorn
(deploy/gunicorn.conf.py) with the production settings, as a sysadmin would copy them."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import time
from http import HTTPStatus

import pytest
from PIL import Image

from tests.deploy.stack import EDITOR_PASSWORD, Client, csrf_token
from tests.servers import hidden_fields

pytestmark = [pytest.mark.deploy, pytest.mark.slow]


def noise_png(target_bytes: int) -> bytes:
    """A PNG of random pixels (which do not compress) of at least ``target_bytes``."""
    width = 2000
    height = target_bytes // (width * 3) + 1
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
@pytest.mark.parametrize("tls", [False, True], ids=["http", "https"])
def test_health_probes_addressed_by_ip_answer_200_through_the_proxy(stack, path, tls):
    response = Client(stack, tls=tls).get(path, host="127.0.0.1")

    assert response.status == HTTPStatus.OK, response.text()
    if path == "/readyz":
        assert json.loads(response.body)["status"] == "ok"


def test_plain_http_pages_redirect_to_the_https_site_name_not_the_requested_host(stack):
    response = Client(stack, tls=False).get("/news/", host="evil.example.com")

    assert response.status == HTTPStatus.MOVED_PERMANENTLY
    assert response.headers["Location"] == "https://news.example.org/news/"


def test_static_files_are_served_by_nginx_compressed_with_immutable_caching(stack):
    manifest = json.loads((stack.folder / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]

    response = Client(stack).get(f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})

    assert response.status == HTTPStatus.OK
    assert response.headers["Server"].startswith("nginx")
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.body) == (stack.folder / "static" / hashed).read_bytes()
    # nginx answered alone: the app never saw the request.
    assert "X-Request-ID" not in response.headers
    assert not [line for line in stack.gunicorn_lines() if hashed in line]


def test_unhashed_static_names_are_cached_for_an_hour_only(stack):
    response = Client(stack).get("/static/css/site.css")

    assert response.status == HTTPStatus.OK
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_an_editor_uploads_a_10_mb_photo_through_the_proxy(stack):
    editor = Client(stack)
    login_page = editor.get("/admin/login/").text()
    logged_in = editor.post_form(
        "/admin/login/",
        {
            "csrfmiddlewaretoken": csrf_token(login_page),
            "username": "desk",
            "password": EDITOR_PASSWORD,
            "next": "/admin/",
        },
    )
    assert logged_in.status == HTTPStatus.FOUND, logged_in.text()[:2000]
    add_page = editor.get("/admin/articles/article/add/").text()
    photo = noise_png(10 * 1024 * 1024)
    assert len(photo) >= 10 * 1024 * 1024

    response = editor.post_multipart(
        "/admin/articles/article/add/",
        {
            "csrfmiddlewaretoken": csrf_token(add_page),
            "headline": "Harbour ferry returns after winter",
            "slug": "harbour-ferry-returns",
            "standfirst": "Crossings resume on Saturday.",
            "body": "<p>The ferry is back.</p>",
            "section": str(stack.section_id),
            "hero_image_alt": "The ferry at the quay",
            "hero_image_caption": "Back in service",
            "hero_image_credit": "Newsroom",
            "comments_open": "on",
            "loaded_version": "",
        },
        {"hero_image": ("ferry.png", "image/png", photo)},
    )

    assert response.status == HTTPStatus.FOUND, response.text()[:3000]
    hero = stack.manage(
        "shell",
        "-c",
        "from articles.models import Article;"
        "print(Article.objects.get(slug='harbour-ferry-returns').hero_media.file.name)",
    ).splitlines()[-1]
    assert hero.startswith("library/")
    stored = stack.folder / "media" / hero
    # Stored re-encoded without metadata: the same picture, not the same bytes.
    assert stored.stat().st_size > 1024 * 1024
    # ...and nginx serves it from MEDIA_ROOT.
    served = editor.get(f"/media/{hero}")
    assert served.status == HTTPStatus.OK
    assert served.headers["Server"].startswith("nginx")
    assert served.body == stored.read_bytes()


def post_comment(reader: Client, article_path: str, article_id: int, text: str, email: str):
    page = reader.get(article_path)
    assert page.status == HTTPStatus.OK
    fields = hidden_fields(page.text(), f'action="/comments/post/{article_id}/"')
    # The shared page holds no form token: the page's script fetches one.
    token = reader.get(f"/comments/form-token/{article_id}/")
    assert token.status == HTTPStatus.OK
    fields["timestamp"] = json.loads(token.text())["token"]
    return reader.post_form(
        f"/comments/post/{article_id}/",
        fields | {"name": "Reader", "email": email, "url": "", "comment": text},
    )


def test_two_readers_behind_the_proxy_are_two_readers_to_flood_control(stack):
    article_path = "/news/harbour-bridge-reopens/"
    first_reader = Client(stack, source="127.0.0.2")
    second_reader = Client(stack, source="127.0.0.3")

    article_id = stack.article_id
    first = post_comment(first_reader, article_path, article_id, "A view", "one@example.org")
    # Another address from the same reader: flood control keys on the IP too.
    again = post_comment(first_reader, article_path, article_id, "Again", "two@example.org")
    second = post_comment(second_reader, article_path, article_id, "Mine", "three@example.org")

    assert first.status == HTTPStatus.SEE_OTHER, first.text()[:2000]
    # Flood control is on, and keyed on the reader the proxy saw...
    assert again.status == HTTPStatus.TOO_MANY_REQUESTS
    # ...so another reader behind the same proxy posts at once.
    assert second.status == HTTPStatus.SEE_OTHER, second.text()[:2000]
    stored = stack.manage(
        "shell",
        "-c",
        "from comments.models import Comment;"
        "print(sorted(str(c.ip_address) for c in Comment.objects.all()))",
    ).splitlines()[-1]
    assert stored == "['127.0.0.2', '127.0.0.3']"


def test_every_log_line_is_json_and_one_request_id_joins_proxy_app_and_access_log(stack):
    response = Client(stack).get("/no-such-page/")
    request_id = response.headers["X-Request-ID"]

    assert response.status == HTTPStatus.NOT_FOUND
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    nginx_lines = stack.nginx_access_lines("/no-such-page/")
    assert [line["request_id"] for line in nginx_lines] == [request_id]
    lines = stack.wait_for_gunicorn_line(lambda line: request_id in line and "access" in line)
    app_lines = [json.loads(line) for line in lines]  # every line is JSON
    of_request = [line for line in app_lines if line.get("request_id") == request_id]
    loggers = {line["logger"] for line in of_request}
    assert {"gunicorn.access", "django.request"} <= loggers


def test_a_purge_from_the_internet_is_refused_by_nginx(stack):
    response = Client(stack).request("PURGE", "/", headers={"xkey": "public-content"})

    assert response.status == HTTPStatus.FORBIDDEN
    assert response.headers["Server"].startswith("nginx")


def test_the_task_worker_sends_the_mail_about_a_held_comment(stack):
    """The mail leaves from the worker, not from the reader's request."""
    reader = Client(stack, source="127.0.0.4")
    article_path = "/news/harbour-bridge-reopens/"

    posted = post_comment(reader, article_path, stack.article_id, "Held words", "new@example.org")

    assert posted.status == HTTPStatus.SEE_OTHER, posted.text()[:2000]
    deadline = time.monotonic() + 30
    while not any("Held words" in mail for mail in stack.mails()):
        assert time.monotonic() < deadline, "the worker sent no mail about the held comment"
        time.sleep(0.5)
    [mail] = [mail for mail in stack.mails() if "Held words" in mail]
    assert "desk@example.org" in mail

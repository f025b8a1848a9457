"""Media on an object store, seen in a real browser: MEDIA_STORAGE=s3 against moto's S3 server.

The settings tests (tests/operations/test_media_csp.py) show that img-src names
the origin django-storages builds URLs for. This journey shows the three
agree where it counts: an S3-compatible server on loopback (moto in server
mode, which enforces bucket policies for anonymous readers), a bucket with
exactly the public-read policy the README documents, the project under
gunicorn with the production settings and ``MEDIA_STORAGE=s3``, an article
published through the services (its hero renditions written to the bucket),
and Debian's Chromium loading the article page: every hero picture comes
from the bucket and draws, and the browser refuses nothing.

Two servers share one database: one links the bucket's endpoint (path-style
URLs), the other ``AWS_S3_CUSTOM_DOMAIN`` (a different origin, ``localhost``,
in front of the same bucket).
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import boto3
import pytest
from moto.server import ThreadedMotoServer
from playwright.sync_api import expect

from tests.e2e.conftest import Site
from tests.e2e.helpers import ARTIFACTS_DIR
from tests.servers import manage, running_gunicorn, server_environment

pytestmark = pytest.mark.e2e

BUCKET = "newsroom-media"
MEDIA_PREFIX = "media"
REGION = "us-east-1"
# The README's bucket policy ("Operating it" → "Media on an object store").
PUBLIC_READ_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "PublicReadMedia",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/{MEDIA_PREFIX}/*",
        }
    ],
}
DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "newsroom-test", "AWS_SECRET_ACCESS_KEY": "newsroom-test"}

# Runs in `manage.py shell` with the server's environment: the editor's path, through the
# services (which write the upload and its renditions to the media storage).
PUBLISH_ARTICLE = """
import io
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw
from articles import services
from articles.models import Article, Section

editor = get_user_model().objects.create_superuser(
    "s3-editor", "s3-editor@example.org", "not-used-s3-editor-2026"
)
section = services.section_save(section=Section(name="Pictures", slug="pictures"), actor=editor)
picture = Image.new("RGB", (1600, 900), (30, 90, 160))
ImageDraw.Draw(picture).ellipse((500, 200, 1100, 700), fill=(240, 200, 40))
upload = io.BytesIO()
picture.save(upload, "JPEG", quality=85)
article = Article(
    headline="The harbour at dawn",
    slug="the-harbour-at-dawn",
    standfirst="Pictures from the object store.",
    body="<p>The boats came in early.</p>",
    section=section,
)
hero = services.HeroImageInput(
    file=ContentFile(upload.getvalue(), name="harbour.jpg"),
    alt_text="A yellow sun over a blue harbour",
    caption="The harbour at dawn",
)
services.article_save(article=article, actor=editor, hero=hero)
services.article_publish(article=article, actor=editor)
print("article-path:", article.get_absolute_url())
"""


@dataclass(frozen=True)
class ObjectStore:
    endpoint_url: str


@pytest.fixture(scope="module")
def object_store() -> Iterator[ObjectStore]:
    """moto's S3 server on a free loopback port, with the bucket and its public-read policy."""
    # moto serves with werkzeug, which logs every request: a failure report shows the page's.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint_url = f"http://{host}:{port}"
        s3 = s3_client(endpoint_url)
        s3.create_bucket(Bucket=BUCKET)
        s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ_POLICY))
        yield ObjectStore(endpoint_url=endpoint_url)
    finally:
        server.stop()


def s3_client(endpoint_url: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


@dataclass(frozen=True)
class PublishedSite:
    env: dict[str, str]
    article_path: str


@pytest.fixture(scope="module")
def published(tmp_path_factory, object_store: ObjectStore) -> PublishedSite:
    """A production-profile newsroom on SQLite with media in the bucket and one article."""
    folder = tmp_path_factory.mktemp("e2e-s3-site")
    env = server_environment(
        without_prefixes=("AWS_", "NEWSROOM_MEDIA_ORIGINS"),
        DJANGO_SETTINGS_MODULE="newsroom.settings.prod",
        SECRET_KEY="e2e-s3-media-4c1f8a2b9d7e6f5a3b2c1d0e9f8a7b6c5d4e3f2a1b0c",
        ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on loopback: the TLS proxy is not part of this journey.
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        NEWSROOM_VAR_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'newsroom.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media-never-used"),
        MEDIA_STORAGE="s3",
        SERVE_MEDIA="false",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=object_store.endpoint_url,
        AWS_S3_REGION_NAME=REGION,
        AWS_LOCATION=MEDIA_PREFIX,
        AWS_QUERYSTRING_AUTH="false",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_FORMAT="line",
        PYTHONUNBUFFERED="1",
        **DUMMY_CREDENTIALS,
    )
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    output = manage(env, "shell", "--no-imports", "-c", PUBLISH_ARTICLE)
    # The server's log lines share stdout with the script's answer.
    article_path = re.search(r"^article-path: (\S+)$", output, re.MULTILINE).group(1)
    return PublishedSite(env=env, article_path=article_path)


@pytest.fixture(scope="module", params=["bucket-endpoint", "custom-domain"], ids=lambda name: name)
def site(request, object_store: ObjectStore, published: PublishedSite) -> Iterator[Site]:
    """The site under gunicorn, linking its media at the bucket's endpoint or custom domain.

    Overrides the journeys' demo site for this module (``new_context`` uses it).
    """
    env = dict(published.env)
    if request.param == "custom-domain":
        # The same bucket behind another origin: `localhost` instead of 127.0.0.1.
        port = object_store.endpoint_url.rsplit(":", 1)[1]
        env["AWS_S3_CUSTOM_DOMAIN"] = f"localhost:{port}/{BUCKET}"
        env["AWS_S3_URL_PROTOCOL"] = "http:"
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    with running_gunicorn(
        env,
        log_path=ARTIFACTS_DIR / f"server-s3-{request.param}.log",
        health_path="/healthz",
        workers=1,
        threads=4,
    ) as base_url:
        yield Site(base_url=base_url, env=env)


def media_base_url(site: Site) -> str:
    """Where the pages should link the media: the custom domain, else the endpoint (path-style)."""
    if custom_domain := site.env.get("AWS_S3_CUSTOM_DOMAIN"):
        return f"{site.env['AWS_S3_URL_PROTOCOL']}//{custom_domain}/{MEDIA_PREFIX}/"
    return f"{site.env['AWS_S3_ENDPOINT_URL']}/{BUCKET}/{MEDIA_PREFIX}/"


# Records what the Content-Security-Policy refused, before any of the page's own code runs.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} refused ${event.blockedURI}`);
});
"""


def test_hero_images_load_from_the_object_store_under_the_content_security_policy(
    site: Site, published: PublishedSite, object_store: ObjectStore, new_context
):
    renditions = s3_client(object_store.endpoint_url).list_objects_v2(
        Bucket=BUCKET, Prefix=f"{MEDIA_PREFIX}/renditions/"
    )
    assert renditions.get("KeyCount", 0) >= 2, "the renditions were not written to the bucket"
    page = new_context(label="reader").new_page()
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    image_responses = []
    page.on(
        "response",
        lambda response: (
            image_responses.append(response) if response.request.resource_type == "image" else None
        ),
    )

    response = page.goto(published.article_path, wait_until="load")

    assert response is not None
    assert response.ok
    hero_images = page.locator(".article__hero img")
    expect(hero_images).not_to_have_count(0)
    for image in hero_images.all():
        state = image.evaluate(
            "(img) => ({complete: img.complete, naturalWidth: img.naturalWidth,"
            " currentSrc: img.currentSrc, srcset: img.srcset})"
        )
        assert state["complete"], state
        assert state["naturalWidth"] > 0, state
        assert state["currentSrc"].startswith(media_base_url(site)), state
        for candidate in filter(None, (part.strip() for part in state["srcset"].split(","))):
            assert candidate.startswith(media_base_url(site)), state
    from_the_bucket = [
        image for image in image_responses if image.url.startswith(media_base_url(site))
    ]
    assert from_the_bucket, [image.url for image in image_responses]
    assert {image.status for image in from_the_bucket} == {200}
    assert page.evaluate("window.__cspViolations") == []
    # Only img-src was widened for the media; scripts and the rest stay the site's own.
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy


def test_the_bucket_serves_readers_only_what_the_policy_makes_public(
    published: PublishedSite, object_store: ObjectStore
):
    """Anonymous readers may fetch the media prefix and nothing else of the bucket."""
    s3 = s3_client(object_store.endpoint_url)
    s3.put_object(Bucket=BUCKET, Key="private/ledger.txt", Body=b"not for readers")
    rendition = next(
        item["Key"]
        for item in s3.list_objects_v2(Bucket=BUCKET, Prefix=f"{MEDIA_PREFIX}/renditions/")[
            "Contents"
        ]
    )

    with urllib.request.urlopen(f"{object_store.endpoint_url}/{BUCKET}/{rendition}") as answer:
        assert answer.status == 200
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{object_store.endpoint_url}/{BUCKET}/private/ledger.txt")
    assert refused.value.code == 403

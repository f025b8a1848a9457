"""With MEDIA_STORAGE=s3 the Content-Security-Policy lets browsers load the images from
wherever django-storages says they are: the bucket, its endpoint or its custom domain."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from storages.backends.s3 import S3Storage

from tests.newsroom.production import production_settings_module


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.parametrize(
    "environment",
    [
        {"AWS_S3_CUSTOM_DOMAIN": "media.news.example.org"},
        {"AWS_S3_CUSTOM_DOMAIN": "files.example.net/newsroom-media"},
        {"AWS_S3_CUSTOM_DOMAIN": "media.internal:9000", "AWS_S3_URL_PROTOCOL": "http:"},
        {"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"},
        {"AWS_S3_REGION_NAME": "eu-west-2"},
        {},
        {"AWS_STORAGE_BUCKET_NAME": "media.news.example.org"},
        {"AWS_STORAGE_BUCKET_NAME": "media.news.example.org", "AWS_S3_REGION_NAME": "eu-west-2"},
    ],
    ids=[
        "custom-domain",
        "custom-domain-with-path",
        "custom-domain-over-http",
        "s3-compatible-endpoint",
        "aws-region",
        "aws-default",
        "aws-bucket-with-dots",
        "aws-bucket-with-dots-in-a-region",
    ],
)
def test_img_src_allows_the_origin_of_the_urls_the_media_storage_makes(environment):
    config = production_settings_module(
        MEDIA_STORAGE="s3", **({"AWS_STORAGE_BUCKET_NAME": "newsroom-media"} | environment)
    )
    storage = S3Storage(**config["STORAGES"]["default"]["OPTIONS"])

    image_url = storage.url("renditions/abc/640.jpg")

    img_src = config["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
    assert origin_of(image_url) in img_src
    assert "'self'" in img_src
    # Scripts and everything else still come from the site alone.
    assert config["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"] == ["'self'"]
    assert config["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["default-src"] == ["'self'"]


def test_an_explicit_media_origin_replaces_the_guess():
    config = production_settings_module(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        NEWSROOM_MEDIA_ORIGINS="https://cdn.example.net",
    )

    img_src = config["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
    assert img_src == ["'self'", "data:", "https://cdn.example.net"]


def test_media_on_the_local_disk_adds_no_origin():
    config = production_settings_module()

    assert config["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"] == ["'self'", "data:"]

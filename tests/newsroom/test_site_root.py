from http import HTTPStatus


def test_favicon_is_served_at_the_site_root(client):
    response = client.get("/favicon.ico")

    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"

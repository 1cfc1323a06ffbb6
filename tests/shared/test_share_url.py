"""Share URLs: what each form means, and a clear error naming what is wrong."""

from __future__ import annotations

import pytest

from draftkeeper.core.errors import BadRequest
from draftkeeper.core.shared.url import parse_share_url


def test_aws_url_takes_the_region_given() -> None:
    loc = parse_share_url("s3://team-drafts/studio/a", "eu-west-1")
    assert (loc.bucket, loc.prefix, loc.endpoint, loc.region) == (
        "team-drafts", "studio/a", None, "eu-west-1")
    assert parse_share_url("s3://team-drafts").region == "us-east-1"
    assert parse_share_url("s3://team-drafts/").prefix == ""


@pytest.mark.parametrize(("url", "endpoint"), [
    ("s3+http://127.0.0.1:8333/drafts/team", "http://127.0.0.1:8333"),
    ("s3+https://oss-cn-hangzhou.aliyuncs.com/drafts/team/", "https://oss-cn-hangzhou.aliyuncs.com"),
    ("s3+http://[::1]:9000/drafts/team", "http://[::1]:9000"),
])
def test_any_endpoint_path_style(url: str, endpoint: str) -> None:
    loc = parse_share_url(url)
    assert (loc.bucket, loc.prefix, loc.endpoint) == ("drafts", "team", endpoint)
    assert loc.allow_http == endpoint.startswith("http://")


@pytest.mark.parametrize(("url", "words"), [
    ("http://host/bucket/x", "must start with s3://"),
    ("s3://", "names no bucket"),
    ("s3+http:///bucket", "names no host"),
    ("s3+http://host:8333/", "names no bucket"),
    ("s3://Bad_Bucket/x", "is not a bucket name"),
    ("s3+http://key:secret@host:1/bucket", "credentials do not belong"),
    ("s3://bucket/a/../b", "'..' part"),
    ("s3+http://host:99999/bucket", "cannot be used"),
])
def test_bad_urls_say_what_is_wrong(url: str, words: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_share_url(url)
    assert words in caught.value.message and caught.value.reason == "share_url_bad"
    assert "secret" not in caught.value.message

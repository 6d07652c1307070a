"""Fixtures of the WeChat platform tests: a configured fake WeChat answered by `responses`."""

import pytest

from tests.factories import wechat_configured


@pytest.fixture
def wx(app):
    """WeChat configured (WECHAT_API_BASE at the fake host); yields the `responses` mock."""
    with wechat_configured(app) as mock:
        yield mock

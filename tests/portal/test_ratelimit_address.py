"""client_address: the address rate limits count, behind the proxies one trusts."""

from django.test import RequestFactory

from portal.ratelimit import client_address


def _request(forwarded=None, remote="127.0.0.1"):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxy_the_socket_address_counts_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_address(_request("1.2.3.4", remote="10.0.0.1")) == "10.0.0.1"


def test_behind_nginx_the_address_it_saw_counts_not_what_the_client_wrote(settings):
    settings.TRUSTED_PROXIES = 1
    # The client wrote "6.6.6.6"; nginx appended the address it saw.
    assert client_address(_request("6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    assert client_address(_request("203.0.113.7")) == "203.0.113.7"


def test_behind_two_proxies_the_outermost_ones_view_counts(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_address(_request("6.6.6.6, 203.0.113.7, 10.0.0.2")) == "203.0.113.7"


def test_a_missing_header_falls_back_to_the_socket_address(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_address(_request(None, remote="10.0.0.1")) == "10.0.0.1"
    assert client_address(_request("", remote="10.0.0.1")) == "10.0.0.1"

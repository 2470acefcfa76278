"""Config, names and catalog: every bad input gets a clear message naming the rule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from deluge_lite.connections import ConnectionConfigError, ConnectionRegistry, UnknownConnectionError
from deluge_lite.connections.catalog import load_catalog
from deluge_lite.connections.config import find_config
from deluge_lite.connections.models import check_display_name, check_link_name
from deluge_lite.errors import DelugeError


@pytest.mark.parametrize("name", ["a", "acme_main", "x1_2", "a" * 50])
def test_good_link_names(name: str) -> None:
    assert check_link_name(name) == name


@pytest.mark.parametrize(("name", "rule"), [
    ("", "required"),
    ("Acme", "must start with a lowercase letter"),
    ("1abc", "must start with a lowercase letter"),
    ("_abc", "must start with a lowercase letter"),
    ("acme-main", "only lowercase letters, digits and '_'"),
    ("acmeMain", "only lowercase letters, digits and '_'"),
    ("a" * 51, "at most 50"),
])
def test_bad_link_names_name_the_rule(name: str, rule: str) -> None:
    with pytest.raises(ConnectionConfigError, match=rule):
        check_link_name(name)


def test_display_name_limit() -> None:
    assert check_display_name("x" * 50)
    with pytest.raises(ConnectionConfigError, match="at most 50"):
        check_display_name("x" * 51)
    with pytest.raises(ConnectionConfigError, match="required"):
        check_display_name("  ")


def test_errors_are_user_errors() -> None:
    assert issubclass(ConnectionConfigError, DelugeError)


def test_catalog_is_complete() -> None:
    catalog = load_catalog()
    assert set(catalog.data_centers) == {"com", "eu", "in", "com.au", "jp", "com.cn"}
    for name, center in catalog.data_centers.items():
        assert center.accounts_server == f"https://accounts.zoho.{name}"
        assert center.api_domain == f"https://www.zohoapis.{name}"
    for name in ("zoho_crm", "zoho_books", "zoho_desk", "zoho_creator", "zoho_projects"):
        service = catalog.services[name]
        assert service.source == "default"
        assert service.token_prefix == "Zoho-oauthtoken"
        assert service.scope_delimiter == ","
        assert service.scopes
        assert service.token_url == "{accounts_server}/oauth/v2/token"


def test_default_service_per_data_center(load: Callable[..., ConnectionRegistry],
                                         write_config: Callable[[str], Path]) -> None:
    path = write_config('[connections.crm]\nservice = "zoho_crm"\ndata_center = "com.au"\n'
                        'client_id = "cid"\n[connections.books]\nservice = "zoho_books"\nclient_id = "c"\n'
                        'accounts_server = "http://127.0.0.1:9"\n')
    registry = load(path)
    crm = registry.get("crm")
    assert crm.token_url == "https://accounts.zoho.com.au/oauth/v2/token"
    assert registry.api_domain("crm") == "https://www.zohoapis.com.au"
    assert crm.scope_string().count(",") == len(crm.scopes) - 1
    books = registry.get("books")
    assert books.data_center == "com"
    assert books.token_url == "http://127.0.0.1:9/oauth/v2/token"
    assert registry.link_for_service("zoho_crm") is None
    assert registry.link_for_service("zoho_books") is None


def test_defaults_table(load: Callable[..., ConnectionRegistry], write_config: Callable[[str], Path]) -> None:
    path = write_config('[defaults]\nzoho_crm = "crm"\n[connections.crm]\nservice = "zoho_crm"\nclient_id = "c"\n'
                        '[connections.zoho_desk]\nservice = "zoho_desk"\nclient_id = "c"\n')
    registry = load(path)
    assert registry.link_for_service("zoho_crm") == "crm"
    assert registry.link_for_service("zoho_desk") == "zoho_desk"


BAD_CONFIGS = [
    ('[connections.Acme]\nservice = "zoho_crm"\nclient_id = "c"\n', "must start with a lowercase letter"),
    (f'[connections.acme]\ndisplay_name = "{"x" * 51}"\nservice = "zoho_crm"\nclient_id = "c"\n', "at most 50"),
    ('[connections.acme]\nservice = "zoho_crn"\n', "unknown service 'zoho_crn' (did you mean 'zoho_crm'?)"),
    ('[connections.acme]\ndisplay_name = "A"\n', "'service' is required"),
    ('[services.x]\nauth_type = "oauth3"\n', "unknown auth_type 'oauth3'; expected api_key | basic | oauth1 | oauth2"),
    ('[services.x]\nauth_type = "oauth2"\nclient_id = "c"\n', "needs 'token_url'"),
    ('[services.x]\nauth_type = "oauth2"\ntoken_url = "https://t"\ntoken_urll = "x"\n',
     "unknown field 'token_urll' (did you mean 'token_url'?)"),
    ('[services.x]\nauth_type = "oauth2"\ntoken_url = "https://t"\nparam_type = "form"\n',
     "param_type for OAuth 2 must be header or query"),
    ('[services.x]\nauth_type = "oauth2"\ntoken_url = "ftp://t"\n', "must be an http(s) URL"),
    ('[services.x]\nauth_type = "oauth2"\ntoken_url = "https://t"\n[connections.y]\nservice = "x"\n',
     "'client_id' is required"),
    ('[services.x]\nauth_type = "basic"\n[connections.y]\nservice = "x"\nusername = "u"\n', "needs 'password'"),
    ('[services.x]\nauth_type = "api_key"\n[[services.x.params]]\nname = "k"\n[connections.y]\nservice = "x"\n',
     "missing the API key parameter 'k'"),
    ('[services.x]\nauth_type = "oauth1"\nconsumer_key = "k"\n', "needs 'consumer_secret'"),
    ('[services.zoho_crm]\nauth_type = "basic"\n', "is a default service"),
    ('[connections.crm]\nservice = "zoho_crm"\nclient_id = "c"\ndata_center = "us"\n', "unknown data centre 'us'"),
    ('[connections.crm\n', "not valid TOML"),
    ('[defaults]\nzoho_crm = "crn"\n[connections.crm]\nservice = "zoho_crm"\nclient_id = "c"\n',
     "unknown connection 'crn' (did you mean 'crm'?)"),
]


@pytest.mark.parametrize(("text", "message"), BAD_CONFIGS)
def test_bad_config(text: str, message: str, load: Callable[..., ConnectionRegistry],
                    write_config: Callable[[str], Path]) -> None:
    with pytest.raises(ConnectionConfigError) as info:
        load(write_config(text))
    assert message in info.value.message
    assert info.value.message.startswith("deluge.toml")


def test_env_expansion(load: Callable[..., ConnectionRegistry], write_config: Callable[[str], Path],
                       monkeypatch: pytest.MonkeyPatch) -> None:
    text = ('[connections.crm]\nservice = "zoho_crm"\nclient_id = "cid-${SUFFIX}"\n'
            'client_secret = "${ZOHO_SECRET}"\n')
    path = write_config(text)
    monkeypatch.setenv("SUFFIX", "7")
    registry = load(path)  # the rest of the config loads; this connection says why it cannot be used
    with pytest.raises(ConnectionConfigError) as info:
        registry.get("crm")
    assert "environment variable ZOHO_SECRET is not set" in info.value.message
    assert "client_secret" in info.value.message
    monkeypatch.setenv("ZOHO_SECRET", "s3cret-value")
    crm = load(path).get("crm")
    assert (crm.client_id, crm.client_secret) == ("cid-7", "s3cret-value")
    assert "s3cret-value" not in repr(crm)


def test_find_config_precedence(tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_config(cwd=tmp_path) is None
    (tmp_path / "deluge.toml").write_text("")
    assert find_config(cwd=tmp_path) == tmp_path / "deluge.toml"
    other = tmp_path / "other.toml"
    other.write_text("")
    monkeypatch.setenv("DELUGE_LITE_CONFIG", str(other))
    assert find_config(cwd=tmp_path) == other
    explicit = tmp_path / "explicit.toml"
    explicit.write_text("")
    assert find_config(explicit, cwd=tmp_path) == explicit
    with pytest.raises(ConnectionConfigError, match="does not exist"):
        find_config(tmp_path / "missing.toml")
    monkeypatch.setenv("DELUGE_LITE_CONFIG", str(tmp_path / "gone.toml"))
    with pytest.raises(ConnectionConfigError, match="DELUGE_LITE_CONFIG"):
        find_config(cwd=tmp_path)


def test_unknown_connection_did_you_mean(load: Callable[..., ConnectionRegistry],
                                         write_config: Callable[[str], Path]) -> None:
    registry = load(write_config('[connections.acme_main]\nservice = "zoho_crm"\nclient_id = "c"\n'))
    with pytest.raises(UnknownConnectionError, match="did you mean 'acme_main'"):
        registry.auth_for("acme_mian")
    (Path.cwd() / "deluge.toml").unlink()
    empty = load(None)
    with pytest.raises(UnknownConnectionError, match="no connections are defined"):
        empty.get("x")

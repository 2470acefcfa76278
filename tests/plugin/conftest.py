"""Fixtures for the plugin's own tests: pytester, and a tiny "real" API on 127.0.0.1 to record against."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# pytester is enabled for the whole suite in pyproject (addopts "-p pytester").
from pluginhelpers import LocalApi


@pytest.fixture
def local_api() -> Iterator[LocalApi]:
    api = LocalApi()
    yield api
    api.stop()


def pytest_configure(config: pytest.Config) -> None:
    """Import deluge-lite and warm the parser once: pytester's in-process runs then reuse them.

    (pytester forgets modules first imported inside a run, so each run would import and
    assertion-rewrite them again: seconds per run.)
    """
    import importlib
    import pkgutil

    # pytester is registered here, not with `pytest_plugins`: pytest refuses that outside the root conftest
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")

    import deluge_lite
    from deluge_lite.connections.catalog import load_catalog

    for module in pkgutil.walk_packages(deluge_lite.__path__, "deluge_lite."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    # httpcore imports some modules on a first failed connection; imported inside a pytester run they
    # would be forgotten after it, and httpx would no longer recognise their exceptions
    import httpcore

    for module in pkgutil.walk_packages(httpcore.__path__, "httpcore."):
        try:
            importlib.import_module(module.name)
        except ImportError:  # optional backends (trio, socks, h2) that are not installed
            pass
    deluge_lite.run("x = 1;")
    load_catalog()
    try:  # hypothesis's pytest plugin imports hypothesis in each run otherwise
        import hypothesis.strategies  # noqa: F401
    except ImportError:
        pass

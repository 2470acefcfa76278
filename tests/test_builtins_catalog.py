"""The built-in catalog (builtins/catalog.py): it equals what the families register, it makes
families load lazily, and a bad cache file is only a miss."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deluge_lite import private_cache
from deluge_lite.builtins import _FAMILIES, REGISTRY, catalog

FAMILIES = tuple(f"deluge_lite.builtins.{family}" for family in _FAMILIES)

# a fresh process: which families does binding one name import?
PROBE = """
import json, sys
import deluge_lite.builtins as builtins
from deluge_lite.runtime import Runtime
before = sorted(m for m in sys.modules if m.startswith("deluge_lite.builtins."))
builtins.REGISTRY.method_table("length", 0, Runtime())
after = sorted(m for m in sys.modules if m.startswith("deluge_lite.builtins."))
print(json.dumps([before, after, len(builtins.REGISTRY.names())]))
"""


def _probe(cache: Path) -> list:
    env = {**os.environ, "DELUGE_LITE_CACHE": str(cache)}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def first_start(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    """A private cache folder after one start (which found no catalog there)."""
    folder = tmp_path_factory.mktemp("cache")
    folder.chmod(0o700)
    return folder, _probe(folder)


def _stored(cache: Path) -> catalog.Catalog | None:
    key = catalog._key(FAMILIES)
    return private_cache.load(catalog.CACHE_FILE, lambda handle: catalog._decode(handle, key, FAMILIES),
                              {"DELUGE_LITE_CACHE": str(cache)})


def test_first_start_builds_the_catalog_and_the_next_loads_only_what_it_binds(first_start: tuple[Path, list]) -> None:
    cache, (first_before, _first_after, first_names) = first_start  # no catalog yet: every family, as before
    assert set(FAMILIES) <= set(first_before)
    assert (cache / catalog.CACHE_FILE).stat().st_mode & 0o077 == 0
    before, after, names = _probe(cache)
    assert not set(FAMILIES) & set(before)  # nothing but the registry and the catalog
    assert "deluge_lite.builtins.text" in after  # length() is a Text method
    assert not {"deluge_lite.builtins.xml_functions", "deluge_lite.builtins.dates",
                "deluge_lite.builtins.encryption"} & set(after)
    assert names == first_names  # the catalog knows every spelling without importing


def test_the_catalog_equals_what_the_families_register(first_start: tuple[Path, list]) -> None:
    stored = _stored(first_start[0])
    assert stored is not None
    REGISTRY.load_all()
    registered = {(entry.name, entry.aliases, entry.receivers, entry.min_args, entry.max_args, entry.family)
                  for entry in REGISTRY.all if entry.family in stored.modules()}
    listed = {(entry.name, entry.aliases, entry.receivers, entry.min_args, entry.max_args, entry.family)
              for entry in stored.signatures}
    assert listed == registered
    assert len(stored.signatures) == len(listed)  # no entry twice
    variables = {key: spelling for key, (spelling, _family) in stored.variables.items()}
    assert variables == {key: spelling for key, (spelling, _impl) in REGISTRY.system_variables.items()}
    for name, families in stored.families_by_name().items():  # each name's families really register it
        for entry in REGISTRY.all:
            if name in (spelling.lower() for spelling in entry.all_names) and entry.family in stored.modules():
                assert entry.family in families, name


@pytest.mark.parametrize("content", [b"", b"not marshal", b"\xe9" * 40])
def test_a_corrupt_catalog_is_a_miss(tmp_path: Path, content: bytes) -> None:
    tmp_path.chmod(0o700)
    (tmp_path / catalog.CACHE_FILE).write_bytes(content)
    (tmp_path / catalog.CACHE_FILE).chmod(0o600)
    assert _stored(tmp_path) is None


def test_a_catalog_naming_a_module_outside_deluge_lite_is_refused(tmp_path: Path) -> None:
    import marshal

    tmp_path.chmod(0o700)
    key = catalog._key(FAMILIES)
    entries = (("evil", (), None, 0, 0, "os"),)
    (tmp_path / catalog.CACHE_FILE).write_bytes(marshal.dumps((key, (FAMILIES, entries, ()))))
    (tmp_path / catalog.CACHE_FILE).chmod(0o600)
    assert _stored(tmp_path) is None

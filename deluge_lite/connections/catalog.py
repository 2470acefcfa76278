"""The default-service catalog: Zoho's own services per data centre, read from stdlib/.

Owns reading ``stdlib/services.toml`` into `Service` objects (source ``default``) and the
table of data centres (accounts server and API domain). It does not know about user
config or the store; `config` lays custom services over this catalog.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from ..data import data_path
from ..fieldclass import fieldclass, replace
from .config import parse_service
from .errors import ConnectionConfigError
from .models import Service


@fieldclass(frozen=True)
class DataCenter:
    """One Zoho data centre: where to get tokens and where the APIs live."""

    name: str
    display_name: str
    accounts_server: str
    api_domain: str


@fieldclass(frozen=True)
class Catalog:
    """Default services by name, and the data centres they can use."""

    services: dict[str, Service]
    data_centers: dict[str, DataCenter]
    default_data_center: str

    def data_center(self, name: str | None) -> DataCenter:
        key = name or self.default_data_center
        if key not in self.data_centers:
            known = ", ".join(self.data_centers)
            raise ConnectionConfigError(f"unknown data centre '{key}'; expected one of: {known}")
        return self.data_centers[key]


def load_catalog(path: Path | None = None) -> Catalog:
    """Read the default services; ``path`` defaults to the shipped ``stdlib/services.toml``."""
    source = path or data_path("stdlib", "services.toml")
    with open(source, "rb") as handle:
        raw = tomllib.load(handle)
    centers = {
        name: DataCenter(name, table["display_name"], table["accounts_server"], table["api_domain"])
        for name, table in raw["data_centers"].items()
    }
    shared = raw.get("zoho_oauth", {})
    services = {}
    for name, table in raw["services"].items():
        merged = {**shared, **table}
        service = parse_service(name, merged, where=f"{source.name}: [services.{name}]", source="default")
        services[name] = replace(service, data_centers=tuple(centers))
    return Catalog(services, centers, raw.get("default_data_center", "com"))


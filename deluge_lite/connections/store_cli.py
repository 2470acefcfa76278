"""``deluge-lite connections store status | migrate --to URL``: looking at and moving the token store.

Owns the two subcommands' arguments and their text. ``status`` shows the backend (URL
with any password masked), how many connections and token records it holds, each link's
use of its token budget and back-off, and who holds a refresh lock now. ``migrate``
copies definitions, tokens and refresh state from this run's store to another backend
(SQLite <-> Redis), keeping a newer token already at the destination, and says what it
copied; the source is left as it is. Records travel decrypted only inside this process
and are encrypted again with the destination's key.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from .backend import open_store
from .errors import ConnectionConfigError
from .policy import RefreshState
from .redact import mask_url

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def add_store_parser(sub: Any) -> None:
    store = sub.add_parser("store", help="the token store: status, or migrate it to another backend")
    actions = store.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    actions.add_parser("status", help="backend, connections, budget use and lock holders")
    migrate = actions.add_parser("migrate", help="copy definitions, tokens and state to another backend")
    migrate.add_argument("--to", required=True, metavar="URL",
                         help="the destination: redis://host:6379/0, or sqlite (the local store)")


def run(registry: Any, args: argparse.Namespace, say: Callable[[str], None]) -> int:
    return {"status": _status, "migrate": _migrate}[args.store_command](registry, args, say)


def _status(registry: Any, args: argparse.Namespace, say: Callable[[str], None]) -> int:
    store = registry.store
    if store is None:
        raise ConnectionConfigError("this run has no store")
    links, stored = store.token_links(), store.connections()
    say(f"backend:      {store.description}")
    looked_up = store.key_source != "not looked up yet"
    say(f"key from:     {store.key_source if looked_up else '(not needed yet: the store is empty)'}")
    say(f"connections:  {len(registry.links())} usable ({len(stored)} added to the store, "
        f"the rest from {registry.config_path or 'no config file'}); token records: {len(links)}")
    now = registry.clock()
    rows = []
    for link in sorted(set(links) | set(registry.links())):
        budget = registry.connections[link].service.token_budget if link in registry.connections else None
        state = RefreshState.from_dict(store.state(link), now)
        used = f"{state.used(budget, now)}/{budget[0]} per {int(budget[1] // 60)} min" if budget else "no budget"
        paused = f"paused {int(state.until - now)} s ({state.kind})" if state.until > now else "-"
        holder = store.lease_holder(link) or "-"
        rows.append((link, used, paused, holder))
    if rows:
        say("")
        width = max(len(r[0]) for r in rows + [("LINK", "", "", "")])
        say(f"{'LINK':<{width}}  {'BUDGET USED':<18}  {'BACK-OFF':<22}  LOCK HELD BY")
        for link, used, paused, holder in rows:
            say(f"{link:<{width}}  {used:<18}  {paused:<22}  {holder}")
    return 0


def _migrate(registry: Any, args: argparse.Namespace, say: Callable[[str], None]) -> int:
    source = registry.store
    if source is None:
        raise ConnectionConfigError("this run has no store to migrate from")
    import os

    target = open_store(args.to, None, os.environ)
    if target.description == source.description:
        raise ConnectionConfigError(f"--to {mask_url(args.to)} is the store this run already uses")
    services, connections = source.services(), source.connections()
    for name, data in services.items():
        target.put_service(name, data)
    for link, data in connections.items():
        target.put_connection(link, data)
    copied = kept = 0
    for link in source.token_links():
        doc = source.tokens(link)
        if doc is None:
            continue
        there = target.tokens(link)
        if there is not None and float(there.get("obtained_at") or 0) > float(doc.get("obtained_at") or 0):
            kept += 1  # the destination already has a newer token: never go back
            continue
        target.put_tokens(link, doc)
        state = source.state(link)
        if state is not None:
            target.put_state(link, state)
        copied += 1
    say(f"copied {len(services)} services, {len(connections)} connections and {copied} token records from "
        f"{source.description} to {target.description}" + (f"; kept {kept} newer there" if kept else ""))
    say(f"the source is unchanged; use the new store with DELUGE_LITE_STORE={mask_url(args.to)} "
        f"or [store] url in deluge.toml")
    return 0

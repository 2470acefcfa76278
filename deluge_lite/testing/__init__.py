"""Test helpers that users get too: real loopback servers standing in for remote services, and more.

`FakeOAuthProvider` (in `fake_oauth`) is an OAuth 1 / OAuth 2 provider on 127.0.0.1 with a
protected echo resource; `FakeZohoCRM` (in `fake_crm`) a Zoho CRM org. `HttpStub` (in
`stubs`) answers other URLs by pattern; `Harness` (in `harness`) wires them, a cassette and
a `deluge_lite.embed.Deluge` host together for the pytest plugin (in `plugin`). Nothing here
is imported by the interpreter itself.
"""

from __future__ import annotations

from .cassette import Cassette, CassetteError, CassetteSecretError
from .fake_crm import FakeZohoCRM
from .fake_oauth import FakeOAuthProvider
from .stubs import HttpStub, Route, UnstubbedRequest

__all__ = ["Cassette", "CassetteError", "CassetteSecretError", "FakeOAuthProvider", "FakeZohoCRM", "HttpStub",
           "Route", "UnstubbedRequest"]

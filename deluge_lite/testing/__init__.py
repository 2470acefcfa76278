"""Test helpers that users get too: real loopback servers standing in for remote services.

`FakeOAuthProvider` (in `fake_oauth`) is an OAuth 1 / OAuth 2 provider on 127.0.0.1 with a
protected echo resource. Nothing here is imported by the interpreter itself.
"""

from __future__ import annotations

from .fake_oauth import FakeOAuthProvider

__all__ = ["FakeOAuthProvider"]

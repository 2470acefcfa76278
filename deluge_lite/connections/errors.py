"""The errors of the connections layer, all user errors (subclasses of `DelugeError`).

    DelugeError
     └── ConnectionsError              anything about connections; message in plain words
          ├── ConnectionConfigError    deluge.toml or `connections add` input is wrong
          │    └── UnsetVariableError  a ${VAR} the environment does not define
          ├── UnknownConnectionError   a link name nobody defined (with did-you-mean)   *
          ├── StoreError               the encrypted store cannot be opened or read
          │    └── StoreUnavailableError  the shared store (Redis) cannot be reached    *
          └── ConnectionAuthError      a token request or authorization failed          *
               └── ReauthorizeError    the grant was revoked: authorize again

    * also a `DelugeRuntimeError`: raised while a script runs, a Deluge try/catch catches it.

This module owns the classes and the did-you-mean helper; it raises nothing itself.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ..errors import DelugeError, DelugeRuntimeError


class ConnectionsError(DelugeError):
    """A problem with a connection, its service, the store or a token request."""


class ConnectionConfigError(ConnectionsError):
    """A connection or service definition is invalid (bad name, missing field, unset ${VAR})."""


class UnsetVariableError(ConnectionConfigError):
    """A ``${VAR}`` in the config names an unset environment variable (only its connection is unusable)."""


class UnknownConnectionError(ConnectionsError, DelugeRuntimeError):
    """A script or command named a connection that is not defined."""


class StoreError(ConnectionsError):
    """The encrypted store is unreadable: another key, a corrupted file, a locked database."""


class StoreUnavailableError(StoreError, DelugeRuntimeError):
    """The shared store stopped answering (Redis down, network lost): the current request fails."""


class ConnectionAuthError(ConnectionsError, DelugeRuntimeError):
    """Getting or refreshing credentials failed (provider down, odd answer, denied)."""


class ReauthorizeError(ConnectionAuthError):
    """The refresh token was revoked or expired; the user must authorize the link again."""


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""

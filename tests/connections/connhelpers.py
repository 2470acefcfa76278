"""Shared helpers of the connections tests (a unique module name: tests/ is not a package)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import httpx

from deluge_lite.testing import FakeOAuthProvider

KEY = "bXZrV0V0b2tlbi1mb3ItdGVzdHMtb25seS0zMmJ5dGU="  # a Fernet key: no scrypt per process
ROOT = Path(__file__).resolve().parents[2]
# One client for the whole suite: a new httpx.Client per call costs an SSL context each time.
HTTP = httpx.Client(timeout=30)


def oauth2_service(provider: FakeOAuthProvider, name: str = "acme", **extra: str) -> str:
    """A [services.NAME] table for the fake provider's OAuth 2 endpoints."""
    lines = [f"[services.{name}]", 'auth_type = "oauth2"', 'client_id = "test-client"',
             'client_secret = "test-secret"', f'authorize_url = "{provider.authorize_url}"',
             f'token_url = "{provider.token_url}"']
    lines += [f'{key} = "{value}"' for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DELUGE_LITE_")}
    env.update(DELUGE_LITE_HOME=str(home), DELUGE_LITE_KEY=KEY, DELUGE_LITE_NO_KEYRING="1",
               PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


PYTHON = sys.executable

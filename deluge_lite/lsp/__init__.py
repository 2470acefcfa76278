"""The Deluge language server (``deluge-lite lsp``), on pygls over stdin/stdout.

- `index`: one script's parse and every variable/function occurrence in it;
- `project`: which files make the project of an open script, deluge.toml's names and problems;
- `diagnostics`: the one adapter to the checker (``check.diagnose``);
- `catalog`: built-ins, tasks, system variables and keys as the editor shows them;
- `completion`: completion and signature help; `navigation`: hover, definition, references,
  rename, symbols;
- `edits`: formatting as line edits and the range a quick fix rewrites;
- `server`: the pygls wiring, position conversion and the guard that keeps it serving.

pygls is an optional dependency (``pip install 'deluge-lite[lsp]'``); importing this package
does not import it, `serve` does.
"""

from __future__ import annotations


def serve() -> int:
    """Run the server on stdin/stdout; a clear error when pygls is not installed."""
    try:
        from .server import serve_stdio
    except ImportError as error:
        from ..errors import UsageError

        raise UsageError(f"the language server needs pygls ({error.name} is missing): "
                         "pip install 'deluge-lite[lsp]'") from None
    return serve_stdio()


__all__ = ["serve"]

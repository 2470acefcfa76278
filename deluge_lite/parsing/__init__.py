"""The table-driven Deluge parser: lark's LALR tables kept as data, read by a small runtime.

- ``generate``: the only part that imports lark; computes the tables from ``grammar/deluge.lark``
  and writes ``deluge_tables.json`` (``python -m deluge_lite.parsing.generate``).
- ``tables``: reads that file and says whether it was made from the grammar as it is now.
- ``tree``: the Token, Tree and Meta objects of a parse, and the non-recursive transformer.
- ``lexer``: the contextual lexer (one scanner per parser state, lark's terminal order).
- ``lalr``: the LALR driver and the tree shaping of each rule (inlining, ``?rule``, positions).
- ``failure``: the two ways a parse fails (a character no terminal matches, a token out of place).
- ``lark_backend``: the same parse done by lark, the reference in tests and the fallback when the
  grammar changed and the tables were not made again.
"""

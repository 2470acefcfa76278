"""The Deluge debugger: ``deluge-lite debug`` (terminal) and ``deluge-lite dap`` (Debug Adapter Protocol).

    engine.py       breakpoints, stepping, stops, post-mortem; the run itself is Interpreter.execute
    tracing.py      sys.monitoring (3.12+) or sys.settrace, over the compiled Deluge code objects only
    breakpoints.py  breakpoint records, hit conditions, the statement starts of a compiled file
    evaluate.py     expressions typed while paused (print, watch, hover, conditions), side-effect free
    values_view.py  Deluge values for display: info format, secrets masked, Maps and Lists expandable
    terminal.py     the pdb-style terminal debugger on prompt_toolkit (commands in a table)
    dap.py          the DAP server over stdio (requests in a table); dap_wire.py frames the messages

The debugger reuses the parser, checker, compiler and executor; it never evaluates
Deluge itself. Nothing here is imported by a run without a debugger.
"""

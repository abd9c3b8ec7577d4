"""Workshop rules as pure functions over plain data: no I/O, no async, no Starlette, no Redis."""

from __future__ import annotations

import functools
import io

import segno
from markupsafe import Markup


@functools.lru_cache(maxsize=256)
def qr_svg(url: str) -> Markup:
    """The join URL as an inline SVG QR code, rendered on the server (no third-party service sees the code)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", xmldecl=False, svgns=True, scale=10, border=2, svgclass="qr", lineclass=None, omitsize=True
    )
    return Markup(buffer.getvalue().decode())  # noqa: S704 - segno's own output; the URL is ours, not user text

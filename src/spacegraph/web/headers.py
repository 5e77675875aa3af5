"""What every answer carries: the browser-facing security headers (issue 13) and, where the settings allow another
site's scripts to read the data, CORS; and the front-end files served from node_modules."""

from __future__ import annotations

from flask import Flask, Response, abort, request, send_from_directory

from spacegraph.settings import PROJECT_ROOT, resource_dir
from spacegraph.web import transfer

NODE_MODULES = PROJECT_ROOT / "node_modules"
# The front-end files served at /vendor/NAME: each from its npm package, pinned in package-lock.json.
VENDOR_FILES = {
    "yasgui.min.js": NODE_MODULES / "@zazuko" / "yasgui" / "build",
    "yasgui.min.css": NODE_MODULES / "@zazuko" / "yasgui" / "build",
    "chart.umd.min.js": NODE_MODULES / "chart.js" / "dist",
    "graphology.umd.min.js": NODE_MODULES / "graphology" / "dist",
    "sigma.min.js": NODE_MODULES / "sigma" / "dist",
}

# The network view draws on canvas and exports PNG/SVG through blob: URLs; YASGUI's stylesheet has data: images.
# Nothing is fetched from another site: the editor's class and property completions, which would ask the Linked
# Open Vocabularies (lov.linkeddata.es), are turned off (static/sparql.js), and connect-src says so. The
# column resizer of YASGUI's result table adds two fixed <style> elements, allowed by their hashes (YASGUI_STYLES).
YASGUI_STYLES = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",  # " .grip-resizable{table-layout:fixed;} …"
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",  # "*{cursor:col-resize!important}", while dragging
)
CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; script-src 'self'; style-src 'self' {' '.join(YASGUI_STYLES)}; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def security_headers(response: Response) -> Response:
    """On every answer: only this site's own scripts, styles and connections (no inline script or style), no
    framing, no content-type sniffing, and no path or query sent to other sites."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


def cors(origin: str, response: Response) -> Response:
    """Every read-only answer (a GET, HEAD or OPTIONS, and /sparql's queries, also POSTed) readable by scripts of
    ``origin`` (none when it is empty): pages, their JSON twins and RDF descriptions, /api/, /sparql. No
    credentials are allowed, so a curator's session is never sent along."""
    if origin and (request.method in ("GET", "HEAD", "OPTIONS") or request.path == "/sparql"):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept, If-None-Match, If-Modified-Since"
        response.headers["Access-Control-Expose-Headers"] = (
            "X-Result-Truncated, Warning, Server-Timing, Content-Disposition, ETag, Last-Modified"
        )
        response.headers["Timing-Allow-Origin"] = origin
    return response


def vendor(filename: str) -> Response:
    """Front-end libraries from the npm registry, pinned in package-lock.json, served from the package (the wheel
    holds copies, see hatch_build.py) or, in a checkout, from node_modules."""
    if filename not in VENDOR_FILES:
        abort(404)
    packaged = resource_dir("web/vendor")
    directory = packaged if (packaged / filename).is_file() else VENDOR_FILES[filename]
    return send_from_directory(directory, filename, max_age=86400)


def add_to(app: Flask, cors_origin: str) -> None:
    """The headers on every answer of ``app``, and its /vendor/ files; validators per data version and gzip
    (``web.transfer``: registered first, so that it runs last)."""
    transfer.add_to(app)
    app.after_request(security_headers)
    app.after_request(lambda response: cors(cors_origin, response))
    app.add_url_rule("/vendor/<path:filename>", "vendor", vendor)
    app.add_url_rule("/favicon.ico", "favicon", lambda: ("", 204))

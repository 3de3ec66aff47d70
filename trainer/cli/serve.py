"""``gradrill serve``: the trainer in a web browser, served from this machine (textual-serve).

Each browser tab that connects gets its own trainer process: the same ``gradrill`` (this
interpreter, ``-m gradrill``), with the same environment (``GRADRILL_HOME`` and friends) and
the same ``--workspace``. Learner code runs here, on the serving machine, in the grader's
sandbox as always.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import logging
import shlex
import socket
import sys
from pathlib import Path

from rich.text import Text

from . import EXIT_OK, Context, UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="open the trainer in a web browser (served from this machine)",
        description="Serve the trainer on a local web address (textual-serve): open the printed URL in "
                    "a browser. Each tab runs its own trainer on this machine, with your progress and your "
                    "files, as `gradrill` would. Ctrl+C stops serving. In a browser, $EDITOR is not "
                    "available (use the built-in editor, or edit the file in another window: watch mode "
                    "re-checks it), and the browser keeps ctrl+n, ctrl+t and ctrl+w for itself: use the "
                    "command palette (ctrl+p) for those actions.")
    p.add_argument("--port", default=str(DEFAULT_PORT), metavar="N",
                   help=f"the port to listen on (default: {DEFAULT_PORT})")
    p.add_argument("--host", default=DEFAULT_HOST, metavar="H",
                   help=f"the address to listen on (default: {DEFAULT_HOST}, this machine only)")
    p.set_defaults(handler=cmd_serve)


def cmd_serve(ctx: Context) -> int:
    port = parse_port(ctx.args.port)
    host = ctx.args.host.strip()
    if not host:
        raise UsageError("--host must not be empty")
    try:
        from textual_serve.server import Server
    except ImportError as exc:
        raise UsageError(f"serving needs textual-serve ({exc}): pip install textual-serve") from None
    check_bindable(host, port)
    if not is_loopback(host):
        ctx.err.print(f"[yellow]warning:[/] {host} can be reached from other machines: whoever opens the page "
                      "uses your trainer and runs code on this machine.", highlight=False)

    url = public_url(host, port)
    server = _server_class(Server)(served_command(ctx.args.workspace), host=host, port=port,
                                   title="gradrill", public_url=url)
    server.announce = lambda: _announce(ctx, url)
    try:
        server.serve()
    except OSError as exc:  # the port was taken between our check and the server's bind
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    return EXIT_OK


def parse_port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise UsageError(f"--port must be a whole number from 1 to 65535, not {text!r}") from None
    if not 1 <= port <= 65535:
        raise UsageError(f"--port must be from 1 to 65535, not {port}")
    return port


def served_command(workspace: str | None) -> str:
    """The shell command textual-serve runs for each browser tab: this gradrill, this workspace."""
    argv = [sys.executable, "-m", "gradrill"]
    if workspace:
        argv += ["--workspace", str(Path(workspace).expanduser().resolve())]
    return shlex.join(argv)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def public_url(host: str, port: int) -> str:
    """The address a browser opens (and the page's websocket connects back to)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"http://{host}:{port}"
    if address.is_unspecified:  # 0.0.0.0 or ::: every interface; name this machine
        return f"http://{socket.gethostname()}:{port}"
    return f"http://[{host}]:{port}" if address.version == 6 else f"http://{host}:{port}"


def check_bindable(host: str, port: int) -> None:
    """Fail early, in one line, when the server could not listen on ``host:port``."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise UsageError(f"--host {host!r} is not a known name or address") from None
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
            try:
                sock.bind(address)
            except OSError as exc:
                raise UsageError(_bind_error(host, port, exc)) from None


def _bind_error(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is already in use on {host}: choose another with --port"
    if exc.errno == errno.EACCES:
        return f"port {port} needs special privileges on this machine: choose one above 1023 with --port"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"--host {host!r} is not an address of this machine"
    return f"cannot serve on {host}:{port}: {exc.strerror or exc}"


def _announce(ctx: Context, url: str) -> None:
    ctx.console.print(Text.assemble("gradrill is served at ", (url, "bold"),
                                    " : open it in a web browser. Ctrl+C stops."), highlight=False,
                      soft_wrap=True)


def _server_class(base: type) -> type:
    """textual-serve's Server, announcing our URL instead of its banner and without access logs."""

    class GradrillServer(base):
        announce = staticmethod(lambda: None)

        def initialize_logging(self) -> None:
            super().initialize_logging()
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        async def on_startup(self, app) -> None:
            self.announce()

    return GradrillServer

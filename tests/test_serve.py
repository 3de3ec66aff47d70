"""``gradrill serve``: its bad-input errors, and the trainer served to a real headless browser.

The browser tests drive Debian's ``chromium`` with playwright (both in the ``[test]`` extra
and ``.ci/run``'s optional browser step); they are skipped, saying why, when either is
missing. textual-serve draws the terminal with xterm.js into a canvas, so the page has no
text to read: an init script catches the xterm ``Terminal`` when textual-serve's page stores
it (``this.terminal = ...``) and the tests read its buffer, row by row, with
``page.evaluate``. Every wait is on a condition (text on the screen, a file on disk), with
generous time limits: the machine may be loaded.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from gradrill.cli import main
from gradrill.core.catalog import load_catalog

CHALLENGE = "slope-numeric"  # the first drill of the curriculum: preselected on a fresh home screen
WAIT_MS = 180_000  # the first screen waits for a Python process to import Textual and start the app
SERVER_START_S = 120

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# Runs in the page before textual-serve's script: the first object that stores an xterm
# Terminal under `.terminal` (textual-serve's session does, in its constructor) hands it over.
CATCH_XTERM = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    Object.defineProperty(this, 'terminal', {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.buffer.active && !window.__gradrillXterm) window.__gradrillXterm = value;
  },
});
"""

# The visible screen as text, one line per row (null before the terminal exists).
SCREEN_TEXT = """() => {
  const term = window.__gradrillXterm;
  if (!term) return null;
  const buffer = term.buffer.active, rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : '');
  }
  return rows.join('\\n');
}"""

SCREEN_HAS = f"""(needles) => {{
  const text = ({SCREEN_TEXT})();
  return text !== null && needles.every((needle) => text.includes(needle));
}}"""


# -- bad input: one line, exit 2 (no browser needed) ----------------------------------------


@pytest.mark.parametrize("port, message", [
    ("abc", "--port must be a whole number from 1 to 65535, not 'abc'"),
    ("0", "--port must be from 1 to 65535, not 0"),
    ("70000", "--port must be from 1 to 65535, not 70000"),
])
def test_an_invalid_port_is_one_line_and_exit_2(port, message, capsys):
    assert main(["serve", "--port", port]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"error: {message}"


def test_a_port_in_use_is_one_line_and_exit_2(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"error: port {port} is already in use on 127.0.0.1: choose another with --port"


def test_an_unknown_host_is_one_line_and_exit_2(capsys):
    assert main(["serve", "--host", "no-such-host.invalid"]) == 2
    assert capsys.readouterr().err.strip() == "error: --host 'no-such-host.invalid' is not a known name or address"


def test_the_served_command_is_this_gradrill_with_the_same_workspace(tmp_path):
    from gradrill.cli.serve import served_command

    assert shlex.split(served_command(None)) == [sys.executable, "-m", "gradrill"]
    relative = os.path.relpath(tmp_path / "my files")
    assert shlex.split(served_command(relative)) == [sys.executable, "-m", "gradrill",
                                                     "--workspace", str(tmp_path / "my files")]


def test_the_default_host_is_this_machine_only():
    from gradrill.cli import build_parser

    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", "8000")


# -- the served trainer, in a headless browser ----------------------------------------------


def _chromium() -> str | None:
    for name in (os.environ.get("GRADRILL_CHROMIUM"), "chromium", "chromium-browser"):
        if name and (path := shutil.which(name)):
            return path
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """``gradrill --workspace W serve --port P`` with its own GRADRILL_HOME, in a process of its own."""

    def __init__(self, home: Path, workspace: Path) -> None:
        self.home, self.workspace = home, workspace
        self.env = dict(os.environ, GRADRILL_HOME=str(home), HOME=str(home.parent))
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self) -> None:
        for _ in range(3):  # a free port can be taken before the server binds it: try another
            port = _free_port()
            self.url = f"http://127.0.0.1:{port}/"
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gradrill", "--workspace", str(self.workspace), "serve", "--port", str(port)],
                env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if self._wait_until_up():
                return
            output = self.stop()
            if "already in use" not in output:
                pytest.fail(f"`gradrill serve` did not start:\n{output}")
        pytest.fail("`gradrill serve` found no free port in 3 tries")

    def _wait_until_up(self) -> bool:
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    return response.status == 200
            except OSError:
                time.sleep(0.2)  # polling for the server to listen, not racing it
        return False

    def stop(self) -> str:
        if self.proc is None:
            return ""
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: textual-serve shuts down and quits its apps
        try:
            output, _ = self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            output, _ = self.proc.communicate()
        self.proc = None
        return output or ""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    chromium = _chromium()
    if chromium is None:
        pytest.skip("no chromium browser (apt-get install -y chromium, or set GRADRILL_CHROMIUM)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=chromium, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 2400, "height": 1000})  # wide: toasts (bottom right) leave the verdict line clear
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def served(browser, tmp_path):
    server = Served(tmp_path / "home" / "gradrill", tmp_path / "my workspace")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def page(browser, served):
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    page.add_init_script(CATCH_XTERM)
    page.goto(served.url)
    yield page
    page.close()  # closes the websocket: the served trainer quits


def screen(page) -> str:
    return page.evaluate(SCREEN_TEXT) or ""


def wait_for(page, *needles: str) -> str:
    """Wait until the served screen shows every needle; fail with the screen as it is."""
    try:
        page.wait_for_function(SCREEN_HAS, arg=list(needles), polling=250, timeout=WAIT_MS)
    except Exception as exc:  # playwright's TimeoutError
        pytest.fail(f"the served screen never showed {needles!r} ({type(exc).__name__}); it shows:\n{screen(page)}")
    return screen(page)


def press(page, key: str) -> None:
    page.focus(".xterm-helper-textarea")  # xterm's keyboard input: no click, which the app would see
    page.keyboard.press(key)


def _write_atomically(path: Path, text: str) -> None:
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text(text)
    os.replace(scratch, path)


def test_a_served_drill_opens_and_checks_the_file_on_disk(page, served):
    # one served trainer for the whole walk (starting one, and its page, costs seconds): home first
    text = wait_for(page, "Derivatives, numerically", "The slope, numerically", "Beyond the lecture")
    assert "0 of " in text and "passed" in text
    wait_for(page, "your file", f"{CHALLENGE}.py")  # the detail pane of the highlighted drill

    press(page, "Enter")  # the first drill is highlighted: enter starts it
    wait_for(page, "No checks run yet")
    mine = served.workspace / f"{CHALLENGE}.py"
    assert mine.is_file(), "the drill did not create the learner's file in --workspace"

    press(page, "Control+r")  # check the file on disk: the starter
    wait_for(page, "✗ 0/", "checks passed")

    _write_atomically(mine, load_catalog(strict=False).get(CHALLENGE).solution)
    press(page, "Control+r")
    text = wait_for(page, "✓ all", "checks passed")
    assert "✗" not in text.split("✓ all", 1)[1].split("\n", 1)[0]

    # the pass is recorded in the served GRADRILL_HOME, as a terminal session would record it
    listing = subprocess.run([sys.executable, "-m", "gradrill", "--workspace", str(served.workspace), "list", "--json"],
                             env=served.env, capture_output=True, text=True, timeout=120)
    rows = {row["id"]: row for row in json.loads(listing.stdout)}
    assert rows[CHALLENGE]["passed"] is True, rows[CHALLENGE]

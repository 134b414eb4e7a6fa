"""Headless Chromium for page tests, driven over the DevTools protocol on a pipe.

Debian's ``chromium`` runs with ``--remote-debugging-pipe``: the test sets the viewport exactly
(desktop, or a phone with mobile emulation, which the command line cannot do: a headless window is
at least 500 px wide), loads the page, measures it with JavaScript evaluated from outside (the page
keeps its own Content-Security-Policy), and takes screenshots. Every console message, CSP violation
and request the page makes is recorded; DNS is mapped to nowhere, so nothing could leave anyway.

PNG screenshots are decoded here with zlib alone (the project writes PNGs in ``png.py``; this reads
them back), enough to count colours in a region.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import struct
import subprocess
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DESKTOP = (1280, 900)
PHONE = (390, 844)
WHITE = b"\xff\xff\xff"
TIMEOUT = 90.0  # seconds for one protocol call: generous, the machine is shared


class Tab:
    """One page target of a running Chromium, spoken to as JSON messages ending in NUL."""

    def __init__(self, process: subprocess.Popen[bytes], send: int, receive: int) -> None:
        self.process, self.send_fd, self.receive_fd = process, send, receive
        self.buffer, self.last_id = b"", 0
        self.events: list[dict[str, Any]] = []
        self.session = ""
        self.document = ""

    def call(self, method: str, params: dict[str, Any] | None = None, browser: bool = False) -> Any:
        self.last_id += 1
        message: dict[str, Any] = {"id": self.last_id, "method": method, "params": params or {}}
        if not browser:
            message["sessionId"] = self.session
        os.write(self.send_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read(deadline)
            if reply.get("id") != self.last_id:
                self.events.append(reply)
            elif "error" in reply:
                raise RuntimeError(f"{method}: {reply['error']}")
            else:
                return reply["result"]

    def wait_for(self, event: str) -> None:
        """Read until ``event`` has arrived (since ``events`` was last cleared)."""
        deadline = time.monotonic() + TIMEOUT
        while not any(e.get("method") == event for e in self.events):
            self.events.append(self._read(deadline))

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = max(deadline - time.monotonic(), 0)
            ready, _, _ = select.select([self.receive_fd], [], [], left)
            chunk = os.read(self.receive_fd, 1 << 16) if ready else b""
            if not chunk:
                raise RuntimeError("Chromium did not answer" if not ready else "Chromium exited")
            self.buffer += chunk
        raw, _, self.buffer = self.buffer.partition(b"\0")
        message = json.loads(raw)
        assert isinstance(message, dict)
        return message

    def load(self, page: Path, size: tuple[int, int], mobile: bool) -> None:
        """Open ``page`` in a viewport of ``size`` CSS px at scale 1 and wait for its load event."""
        width, height = size
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
        self.call("Emulation.setDeviceMetricsOverride", metrics)
        self.document = page.as_uri()
        self.events.clear()
        self.call("Page.navigate", {"url": self.document})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])

    def console(self) -> list[str]:
        """What the page said: console calls, uncaught errors, and log entries (CSP violations)."""
        out = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled":
                args = params["args"]
                words = " ".join(str(a.get("value", a.get("description"))) for a in args)
                out.append(f"console.{params['type']}: {words}")
            elif method == "Runtime.exceptionThrown":
                out.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Log.entryAdded":
                entry = params["entry"]
                out.append(f"{entry['level']} ({entry['source']}): {entry['text']}")
        return out

    def requests(self) -> list[str]:
        """Every URL the page asked for besides itself (blocked attempts included)."""
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
            and e["params"]["request"]["url"] != self.document
        ]


@contextmanager
def chromium(work: Path) -> Iterator[Tab]:
    """A headless Chromium with no network, its first tab attached; closed afterwards."""
    assert CHROMIUM
    to_child, from_child = os.pipe(), os.pipe()

    def wire_pipes() -> None:  # the protocol expects to read fd 3 and write fd 4
        read, write = os.dup(to_child[0]), os.dup(from_child[1])
        os.dup2(read, 3)
        os.dup2(write, 4)

    process = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--hide-scrollbars", f"--user-data-dir={work / 'profile'}",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--remote-debugging-pipe", "about:blank"],
        pass_fds=(3, 4), preexec_fn=wire_pipes,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(to_child[0])
    os.close(from_child[1])
    tab = Tab(process, to_child[1], from_child[0])
    try:
        targets = tab.call("Target.getTargets", browser=True)["targetInfos"]
        target = next(t["targetId"] for t in targets if t["type"] == "page")
        attached = tab.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                            browser=True)  # fmt: skip
        tab.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            tab.call(f"{domain}.enable")
        yield tab
    finally:
        try:
            tab.call("Browser.close", browser=True)
            process.wait(timeout=TIMEOUT)
        except (RuntimeError, OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        os.close(to_child[1])
        os.close(from_child[0])


class Image(NamedTuple):
    width: int
    height: int
    rows: list[bytes]  # RGB, 3 bytes a pixel, only as many rows as were decoded


def decode_png(data: bytes, max_rows: int | None = None) -> Image:
    """An 8-bit RGB or RGBA PNG as RGB rows (alpha dropped); stops after ``max_rows`` rows."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, idat, header = 8, [], b""
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        header = body if kind == b"IHDR" else header
        if kind == b"IDAT":
            idat.append(body)
        at += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, "only 8-bit RGB(A) PNGs"
    channels = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(b"".join(idat)), width * channels
    previous, rows = bytearray(stride), []
    for y in range(min(height, max_rows if max_rows is not None else height)):
        start = y * (stride + 1)
        line = _unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), previous,
                         channels)  # fmt: skip
        rows.append(bytes(line) if channels == 3 else bytes(_drop_alpha(line)))
        previous = line
    return Image(width, height, rows)


def _drop_alpha(line: bytearray) -> bytearray:
    out = bytearray()
    for at in range(0, len(line), 4):
        out += line[at : at + 3]
    return out


def _unfilter(kind: int, line: bytearray, prior: bytearray, bpp: int) -> bytearray:
    if kind == 1:
        for x in range(bpp, len(line)):
            line[x] = (line[x] + line[x - bpp]) & 255
    elif kind == 2:
        line = bytearray((a + b) & 255 for a, b in zip(line, prior, strict=True))
    elif kind == 3:
        for x in range(len(line)):
            left = line[x - bpp] if x >= bpp else 0
            line[x] = (line[x] + (left + prior[x]) // 2) & 255
    elif kind == 4:
        for x in range(len(line)):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prior[x], (prior[x - bpp] if x >= bpp else 0)
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    return line


class Ink(NamedTuple):
    colours: int  # distinct colours in the region
    share: float  # share of its pixels that are not white


def ink(image: Image, box: tuple[int, int, int, int] | None = None) -> Ink:
    """How much is drawn in ``box`` (left, top, right, bottom; default the decoded image)."""
    left, top, right, bottom = box or (0, 0, image.width, len(image.rows))
    colours: set[bytes] = set()
    inked = 0
    for row in image.rows[top:bottom]:
        pixels = [row[x * 3 : x * 3 + 3] for x in range(left, right)]
        colours.update(pixels)
        inked += len(pixels) - pixels.count(WHITE)
    area = max((right - left) * (bottom - top), 1)
    return Ink(len(colours), inked / area)

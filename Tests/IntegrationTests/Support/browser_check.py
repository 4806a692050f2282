"""Opens a page in headless Chromium over file:// through the DevTools
protocol and prints, as JSON: every request other than the page itself,
every console message and exception of level error, the number of distinct
colours of a full-page screenshot (saved to the given path), and every table
of the rendered page as text (caption and cells), as a reader sees them.

    browser_check.py PAGE.html SCREENSHOT.png [WIDTH]

At WIDTH CSS pixels (default 1000; below 600 as a phone would), it also
prints whether the page is wider than that (it would scroll sideways) and
every word outside the tables that is broken across two lines.
"""
import base64
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket
from PIL import Image

page = "file://" + os.path.abspath(sys.argv[1])
width = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
profile = tempfile.mkdtemp(prefix="keen-chromium-")
browser = subprocess.Popen(
    ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
     "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
    stderr=subprocess.PIPE, text=True)
try:
    endpoint = None
    deadline = time.time() + 30
    while endpoint is None and time.time() < deadline:
        line = browser.stderr.readline()
        match = re.search(r"DevTools listening on (ws://[^\s]+)", line)
        if match:
            endpoint = match.group(1)
    port = re.search(r":(\d+)/", endpoint).group(1)
    targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
    target = next(t for t in targets if t["type"] == "page")
    socket = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=30)
    counter = [0]
    events = []

    def call(method, **params):
        counter[0] += 1
        socket.send(json.dumps({"id": counter[0], "method": method, "params": params}))
        while True:
            message = json.loads(socket.recv())
            if message.get("id") == counter[0]:
                return message.get("result", {})
            events.append(message)

    for domain in ("Network", "Runtime", "Log", "Page"):
        call(f"{domain}.enable")
    call("Emulation.setDeviceMetricsOverride", width=width, height=800, deviceScaleFactor=1, mobile=width < 600)
    call("Page.navigate", url=page)
    deadline = time.time() + 20
    while time.time() < deadline and not any(e.get("method") == "Page.loadEventFired" for e in events):
        events.append(json.loads(socket.recv()))
    # Anything late (a lazy image, a font) would come now.
    socket.settimeout(1.0)
    try:
        while True:
            events.append(json.loads(socket.recv()))
    except websocket.WebSocketTimeoutException:
        pass
    socket.settimeout(30)

    requests = [e["params"]["request"]["url"] for e in events
                if e.get("method") == "Network.requestWillBeSent" and e["params"]["request"]["url"] != page]
    errors = []
    for e in events:
        if e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"):
            errors.append(str(e["params"]["args"]))
        elif e.get("method") == "Runtime.exceptionThrown":
            errors.append(e["params"]["exceptionDetails"].get("text", "exception"))
        elif e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error":
            errors.append(e["params"]["entry"].get("text", "error"))

    metrics = call("Page.getLayoutMetrics")["cssContentSize"]
    layout = call("Runtime.evaluate", returnByValue=True, expression="""
        (() => {
            const broken = [];
            for (const root of document.querySelectorAll('.figures, h1, h2, .status, .meta, section > p')) {
                const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    if (node.parentElement.closest('table')) continue;
                    const re = /\\S+/g;
                    let match;
                    while ((match = re.exec(node.textContent)) !== null) {
                        const range = document.createRange();
                        range.setStart(node, match.index);
                        range.setEnd(node, match.index + match[0].length);
                        const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
                        if (tops.size > 1) broken.push(match[0]);
                    }
                }
            }
            return {scrollWidth: document.documentElement.scrollWidth, broken};
        })()
        """)["result"]["value"]
    call("Emulation.setDeviceMetricsOverride", width=width, height=int(metrics["height"]), deviceScaleFactor=1, mobile=width < 600)
    shot = base64.b64decode(call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"])
    with open(sys.argv[2], "wb") as out:
        out.write(shot)
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    colors = image.getcolors(maxcolors=1 << 24) or []

    tables = call("Runtime.evaluate", returnByValue=True, expression="""
        Array.from(document.querySelectorAll('table')).map(t => ({
            caption: t.caption ? t.caption.textContent : '',
            rows: Array.from(t.rows).map(r => Array.from(r.cells).map(c => c.textContent))}))
        """)["result"]["value"]
    text = call("Runtime.evaluate", returnByValue=True, expression="document.body.innerText")["result"]["value"]
    print(json.dumps({"requests": requests, "errors": errors, "colors": len(colors),
                      "width": image.width, "height": image.height, "tables": tables, "text": text,
                      "scroll_width": layout["scrollWidth"], "broken_words": layout["broken"]}))
finally:
    browser.kill()
    browser.wait()

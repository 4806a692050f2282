"""A real HTTP receiver on loopback for the webhook tests.

    http_receiver.py PORT FOLDER STATUS...

Answers the Nth POST with the Nth STATUS (the last one repeats), and saves
each request body it answers 2xx as FOLDER/NNN.json. Prints "ready" when it
listens; stops when its standard input closes.
"""
import http.server
import os
import sys
import threading

port, folder, statuses = int(sys.argv[1]), sys.argv[2], [int(s) for s in sys.argv[3:]]
seen = []


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status = statuses[min(len(seen), len(statuses) - 1)]
        seen.append(status)
        if 200 <= status < 300:
            with open(os.path.join(folder, f"{len(os.listdir(folder)):03}.json"), "wb") as out:
                out.write(body)
        with open(os.path.join(folder, "requests.log"), "a") as log:
            log.write(f"{status} {self.headers.get('Content-Type')}\n")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok" if status < 300 else b"no")

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print("ready", flush=True)
sys.stdin.read()
server.shutdown()

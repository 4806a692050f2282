"""A real SMTP server on loopback for the delivery tests (aiosmtpd).

    mail_server.py PORT FOLDER CERT KEY USER PASSWORD [--fail-first N]

It offers STARTTLS with the given certificate and requires it, requires
AUTH against USER and PASSWORD, and saves each message it accepts as
FOLDER/NNN.eml with its envelope in FOLDER/NNN.json. With --fail-first N it
answers the first N messages 451 (a transient failure). Prints "ready" when
it listens; stops when its standard input closes.
"""
import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, folder, cert, key, user, password = sys.argv[1:7]
fail_first = int(sys.argv[sys.argv.index("--fail-first") + 1]) if "--fail-first" in sys.argv else 0


class Saver:
    def __init__(self):
        self.seen = 0

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen <= fail_first:
            return "451 4.3.0 try again later"
        number = len([n for n in os.listdir(folder) if n.endswith(".eml")])
        with open(os.path.join(folder, f"{number:03}.eml"), "wb") as out:
            out.write(envelope.original_content)
        with open(os.path.join(folder, f"{number:03}.json"), "w") as out:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos, "tls": session.ssl is not None,
                       "authenticated": session.authenticated}, out)
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password:
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(Saver(), hostname="127.0.0.1", port=int(port), tls_context=context, require_starttls=True,
                        authenticator=authenticate, auth_required=True, auth_require_tls=True,
                        data_size_limit=64 * 1024 * 1024)
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()

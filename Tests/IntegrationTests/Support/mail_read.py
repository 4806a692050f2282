"""Reads a message the way a mail client does, with Python's email package,
and prints it as JSON: its headers, each part with its content type, file
name and the SHA-256 of its decoded bytes, and the plain-text body.

    mail_read.py MESSAGE.eml
"""
import email
import email.policy
import hashlib
import json
import sys

message = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
parts = []
for part in message.walk():
    payload = part.get_payload(decode=True) if not part.is_multipart() else None
    parts.append({"content_type": part.get_content_type(), "filename": part.get_filename(),
                  "disposition": part.get_content_disposition(),
                  "sha256": hashlib.sha256(payload).hexdigest() if payload is not None else None})
print(json.dumps({"subject": str(message["Subject"]), "from": str(message["From"]), "to": str(message["To"]),
                  "date": str(message["Date"]), "message_id": str(message["Message-ID"]),
                  "defects": [str(d) for d in message.defects], "parts": parts,
                  "text": message.get_body(("plain",)).get_content()}))

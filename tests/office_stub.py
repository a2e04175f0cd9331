"""A stand-in for docgen/office_bridge.py that needs no LibreOffice, for the pool's own logic.

    python office_stub.py FOLDER MODE MARKER

It speaks the bridge's JSON lines. MODE: ``ok`` writes a small file where the PDF goes; ``hang_once``,
``die_once``: the first document on the machine (MARKER absent, then created) hangs or kills the stub, the
next ones are converted; ``die``: every document kills it; ``refuse``: every document is refused, the stub
lives on; ``no_start``: exits before saying it is ready.
"""

import json
import os
import sys
import time

folder, mode, marker = sys.argv[1:4]
if mode == "no_start":
    print(json.dumps({"error": "stub refuses to start"}), flush=True)
    sys.exit(1)
assert os.path.isdir(folder)
print(json.dumps({"ready": True, "soffice": None}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    if "quit" in request:
        break
    first = not os.path.exists(marker)
    if first:
        open(marker, "w").close()
    if mode == "die" or (mode == "die_once" and first):
        os._exit(3)
    if mode == "hang_once" and first:
        time.sleep(3600)
    if mode == "refuse":
        print(json.dumps({"error": "IOException: stub refuses", "dead": False}), flush=True)
        continue
    with open(request["pdf"][1], "wb") as out:
        out.write(b"%PDF-stub " + os.path.basename(request["pdf"][0]).encode())
    print(json.dumps({"ok": True}), flush=True)

#!/usr/bin/env python3
"""Disk full: `rembuk serve` with its data folder on a small tmpfs that fills up.

    disk_full.py REMBUK_BINARY [--size 8m]

Mounts a tmpfs (needs root and CAP_SYS_ADMIN; otherwise exits 77, which CTest reports as
skipped), starts the server on a data folder inside it, creates a masterplan, then fills the
file system with a filler file and keeps submitting edits. Checks:
  - once LMDB can no longer write, every edit is rejected with `storage_full`, and none of
    the rejected command ids is in the log;
  - the server stays up; reads keep working (HTTP state and a WebSocket catch-up from 0
    return the last acked version);
  - `rembuk verify` passes while the disk is full and at the end;
  - after the filler is deleted, the same rejected command ids are accepted (not as
    duplicates: nothing of them was written) and new edits go through.
Prints one JSON line with the figures; exits 0 when all checks hold, 1 otherwise.
"""

import argparse
import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rembuk_process import Server, issue_token, log_events, verify  # noqa: E402
from wsclient import WsClient, http_get  # noqa: E402

SKIP = 77
MASTERPLAN = "disk-full-kota"


def submit(ws, command_id, command):
    ws.send({"type": "submit", "commandId": command_id, "masterplan": MASTERPLAN,
             "command": command})
    while True:
        message = ws.recv()
        if message.get("type") in ("ack", "reject") and message.get("commandId") == command_id:
            return message


def mission(n, pad=0):
    return {"type": "AddMission", "missionId": f"m-{n}",
            "text": f"Misi {n} " + "x" * pad}


def fill(path):
    """Writes `path` until the file system is full; returns the bytes written."""
    written = 0
    chunk = b"\0" * 65536
    with open(path, "wb", buffering=0) as f:
        while True:
            try:
                written += f.write(chunk)
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
                break
        # The last partial block too.
        for size in (4096, 512, 1):
            while True:
                try:
                    written += f.write(chunk[:size])
                except OSError:
                    break
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--size", default="8m")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("SKIP: disk_full needs root to mount a tmpfs", flush=True)
        return SKIP
    mount_point = tempfile.mkdtemp(prefix="rembuk-disk-full-")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.size}", "tmpfs",
                              mount_point], capture_output=True, text=True)
    if mounted.returncode != 0:
        os.rmdir(mount_point)
        print(f"SKIP: cannot mount a tmpfs here: {mounted.stderr.strip()}", flush=True)
        return SKIP

    data = os.path.join(mount_point, "data")
    filler = os.path.join(mount_point, "filler")
    server = Server(args.binary, data)
    problems = []
    figures = {}
    try:
        token = issue_token(args.binary, data, "u-disk", "admin")
        server.start()
        ws = WsClient("127.0.0.1", server.port)
        ws.send({"type": "hello", "token": token})
        assert ws.recv()["type"] == "welcome"
        created = submit(ws, "create", {"type": "CreateMasterplan", "cityName": "Kota Penuh",
                                        "regionCode": "13.71", "startYear": 2025,
                                        "endYear": 2030})
        if created["type"] != "ack":
            raise RuntimeError(f"CreateMasterplan: {created}")
        version = created["version"]
        for n in range(1, 11):
            answer = submit(ws, f"before-{n}", mission(n, 500))
            if answer["type"] != "ack":
                raise RuntimeError(f"edit before the disk filled: {answer}")
            version = answer["version"]

        figures["fillerBytes"] = fill(filler)
        # LMDB may still have free pages inside its file: edits go through until it needs a
        # new page. From the first refusal on, every edit must be refused the same way.
        accepted_while_full = 0
        refused = []
        n = 100
        while len(refused) < 5 and n < 5100:
            n += 1
            answer = submit(ws, f"full-{n}", mission(n, 2000))
            if answer["type"] == "ack":
                if refused:
                    problems.append(f"full-{n} acked after a refusal")
                accepted_while_full += 1
                version = answer["version"]
            elif answer.get("code") == "storage_full":
                refused.append((f"full-{n}", mission(n, 2000)))
            else:
                problems.append(f"full-{n}: expected storage_full, got {answer}")
                break
        figures["acceptedWhileFull"] = accepted_while_full
        figures["refused"] = len(refused)
        if not refused:
            problems.append("no edit was refused with storage_full")

        # The server is up and reads work.
        if server.process.poll() is not None:
            problems.append(f"server exited with {server.process.returncode}")
        status, body = http_get("127.0.0.1", server.port, f"/api/masterplans/{MASTERPLAN}",
                                token)
        if status != 200 or body.get("version") != version:
            problems.append(f"HTTP read while full: {status} {str(body)[:200]}")
        reader = WsClient("127.0.0.1", server.port)
        reader.send({"type": "hello", "token": token})
        reader.recv()
        reader.send({"type": "subscribe", "masterplan": MASTERPLAN, "fromVersion": 0})
        caught_up = reader.recv()
        if caught_up.get("type") != "events" or caught_up.get("version") != version or \
                len(caught_up.get("events", [])) != version:
            problems.append(f"catch-up while full: {str(caught_up)[:200]}")
        reader.close()
        ok, output = verify(args.binary, data)
        if not ok:
            problems.append(f"verify while full: {output}")
        in_log = {e.get("commandId") for e in log_events(args.binary, data)}
        for command_id, _ in refused:
            if command_id in in_log:
                problems.append(f"{command_id} was refused but is in the log")

        # Free the space: the refused commands now go through, as new (not duplicates).
        os.remove(filler)
        for command_id, command in refused:
            answer = submit(ws, command_id, command)
            if answer["type"] != "ack" or answer.get("duplicate"):
                problems.append(f"{command_id} after freeing space: {answer}")
        for k in range(1, 6):
            answer = submit(ws, f"after-{k}", mission(10000 + k, 500))
            if answer["type"] != "ack":
                problems.append(f"after-{k} after freeing space: {answer}")
        ws.close()
        if server.stop() != 0:
            problems.append("server did not stop cleanly")
        ok, output = verify(args.binary, data)
        if not ok:
            problems.append(f"verify at the end: {output}")
        figures["eventsInLog"] = len(log_events(args.binary, data))
    except Exception as e:  # noqa: BLE001 — any failure is reported as one
        problems.append(f"{type(e).__name__}: {e}")
    finally:
        server.kill()
        for _ in range(50):
            if subprocess.run(["umount", mount_point], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        shutil.rmtree(mount_point, ignore_errors=True)

    print(json.dumps({**figures, "problems": len(problems)}), flush=True)
    for p in problems:
        print(f"disk_full: {p}", file=sys.stderr)
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())

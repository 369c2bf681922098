#!/usr/bin/env python3
"""A backup onto a full disk: `rembuk backup --out` into a small tmpfs that the archive
cannot fit.

    backup_disk_full.py REMBUK_BINARY [--size 1m]

Mounts a tmpfs (needs root and CAP_SYS_ADMIN; otherwise exits 77, which CTest reports as
skipped), makes a log of a few MB outside it, and backs it up into the tmpfs. Checks: the
backup exits 1 saying the disk is full; no archive and no temporary file is left in the
tmpfs; the log is untouched (same head, `rembuk verify` passes); with room again the same
backup succeeds and verifies. Prints one JSON line; exits 0 when all checks hold, 1 otherwise.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rembuk_process import Server, issue_token, log_events, run, verify  # noqa: E402
from wsclient import WsClient  # noqa: E402

SKIP = 77


def make_log(binary, data):
    token = issue_token(binary, data, "u-full", "admin")
    server = Server(binary, data)
    server.start()
    try:
        ws = WsClient("127.0.0.1", server.port)
        ws.send({"type": "hello", "token": token})
        ws.recv()

        def submit(command_id, command):
            # A quick machine outruns the server's per-connection rate limit: wait and
            # resubmit the same command id, as a client does.
            while True:
                ws.send({"type": "submit", "commandId": command_id, "masterplan": "penuh-kota",
                         "command": command})
                while True:
                    m = ws.recv()
                    if m.get("commandId") == command_id and m.get("type") in ("ack", "reject"):
                        break
                if m.get("code") != "rate_limited":
                    return m
                time.sleep(0.05)

        submit("create", {"type": "CreateMasterplan", "cityName": "Kota Penuh",
                          "regionCode": "13.71", "startYear": 2025, "endYear": 2030})
        for k in range(1, 401):
            answer = submit(f"m-{k}", {"type": "AddMission", "missionId": f"m-{k}",
                                       "text": f"Misi {k} " + "x" * 4000})
            if answer["type"] != "ack":
                raise RuntimeError(f"m-{k}: {answer}")
        ws.close()
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--size", default="1m")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("SKIP: backup_disk_full needs root to mount a tmpfs", flush=True)
        return SKIP
    work = tempfile.mkdtemp(prefix="rembuk-backup-full-")
    mount_point = os.path.join(work, "small")
    os.mkdir(mount_point)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.size}", "tmpfs",
                              mount_point], capture_output=True, text=True)
    if mounted.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        print(f"SKIP: cannot mount a tmpfs here: {mounted.stderr.strip()}", flush=True)
        return SKIP
    problems, figures = [], {}
    data = os.path.join(work, "data")
    try:
        make_log(args.binary, data)
        head_before = log_events(args.binary, data)[-1]["hash"]
        out = os.path.join(mount_point, "city.rembuk-backup")
        done = run(args.binary, "backup", "--data", data, "--out", out, check=False)
        figures["exitCode"] = done.returncode
        if done.returncode != 1:
            problems.append(f"backup onto a full disk exited {done.returncode}: {done.stderr}")
        if "disk is full" not in done.stderr:
            problems.append(f"the message does not say the disk is full: {done.stderr.strip()}")
        figures["message"] = done.stderr.strip()
        left = os.listdir(mount_point)
        if left:
            problems.append(f"the full disk keeps {left}")
        ok, output = verify(args.binary, data)
        if not ok:
            problems.append(f"verify after the failed backup: {output}")
        if log_events(args.binary, data)[-1]["hash"] != head_before:
            problems.append("the log's head changed")
        roomy = os.path.join(work, "city.rembuk-backup")
        done = run(args.binary, "backup", "--data", data, "--out", roomy, check=False)
        if done.returncode != 0:
            problems.append(f"backup with room failed: {done.stderr}")
        elif run(args.binary, "backup", "verify", roomy, check=False).returncode != 0:
            problems.append("the backup with room does not verify")
        else:
            figures["archiveBytes"] = os.path.getsize(roomy)
    except Exception as e:  # noqa: BLE001
        problems.append(f"{type(e).__name__}: {e}")
    finally:
        for _ in range(50):
            if subprocess.run(["umount", mount_point], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({**figures, "problems": len(problems)}), flush=True)
    for p in problems:
        print(f"backup_disk_full: {p}", file=sys.stderr)
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())

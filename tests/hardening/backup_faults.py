#!/usr/bin/env python3
"""Backups of a live server: `rembuk backup` while clients keep writing, SIGKILL during a
backup, and the server's own schedule (`--backup-every`) with its /metrics gauge.

    backup_faults.py REMBUK_BINARY [--clients 4] [--kills 8]

Checks:
  - a backup taken while clients submit edits holds every edit acked before it started,
    verifies (`rembuk backup verify`: no append cut in half), restores into a new folder
    that passes `rembuk verify` and holds the same events, hash for hash, up to its head;
  - a backup killed with SIGKILL at any moment leaves no archive at its path (or a whole one,
    when it finished first); a temporary file it leaves is refused by `backup verify` as
    truncated, so nothing that looks complete is left;
  - `rembuk serve --backup-every 1s --backup-dir D --backup-keep 2` writes archives that
    verify, keeps at most 2, and /metrics shows rembuk_backup_last_success_age_seconds.
Prints one JSON line with the figures; exits 0 when all checks hold, 1 otherwise.
"""

import argparse
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rembuk_process import Server, issue_token, log_events, run, verify  # noqa: E402
from wsclient import WsClient  # noqa: E402


def submit(ws, masterplan, command_id, command):
    # A quick machine outruns the server's per-connection rate limit: wait and resubmit the
    # same command id, as a client does.
    while True:
        ws.send({"type": "submit", "commandId": command_id, "masterplan": masterplan,
                 "command": command})
        while True:
            message = ws.recv()
            if message.get("type") in ("ack", "reject") and message.get("commandId") == command_id:
                break
        if message.get("code") != "rate_limited":
            return message
        time.sleep(0.05)


class Writer(threading.Thread):
    """One client creating its masterplan and adding missions until told to stop."""

    def __init__(self, port, token, n):
        super().__init__(daemon=True)
        self.port, self.token, self.masterplan = port, token, f"backup-kota-{n}"
        self.acked = []  # (command id, monotonic time of the ack)
        self.stop = threading.Event()
        self.error = None

    def run(self):
        try:
            ws = WsClient("127.0.0.1", self.port)
            ws.send({"type": "hello", "token": self.token})
            ws.recv()
            created = submit(ws, self.masterplan, f"{self.masterplan}-create",
                             {"type": "CreateMasterplan", "cityName": "Kota Cadangan",
                              "regionCode": "13.71", "startYear": 2025, "endYear": 2030})
            if created["type"] != "ack":
                raise RuntimeError(f"create: {created}")
            k = 0
            while not self.stop.is_set():
                k += 1
                command_id = f"{self.masterplan}-m{k}"
                answer = submit(ws, self.masterplan, command_id,
                                {"type": "AddMission", "missionId": f"m-{k}",
                                 "text": f"Misi {k} " + "x" * 300})
                if answer["type"] != "ack":
                    raise RuntimeError(f"{command_id}: {answer}")
                self.acked.append((command_id, time.monotonic()))
            ws.close()
        except Exception as e:  # noqa: BLE001
            self.error = f"{type(e).__name__}: {e}"


def backup_verify(binary, archive):
    done = run(binary, "backup", "verify", archive, check=False)
    return done.returncode, (done.stdout + done.stderr).strip()


def under_load(binary, work, server, token, clients, problems, figures):
    writers = [Writer(server.port, token, n) for n in range(clients)]
    for w in writers:
        w.start()
    deadline = time.monotonic() + 30
    while min(len(w.acked) for w in writers) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    archive = os.path.join(work, "load.rembuk-backup")
    started = time.monotonic()
    done = run(binary, "backup", "--data", server.data, "--out", archive, check=False)
    time.sleep(0.3)  # more acks after the backup, which it may or may not hold
    for w in writers:
        w.stop.set()
    for w in writers:
        w.join(30)
        if w.error:
            problems.append(f"writer {w.masterplan}: {w.error}")
    if done.returncode != 0:
        problems.append(f"backup under load failed: {done.stderr}")
        return
    before = {c for w in writers for c, t in w.acked if t < started}
    figures["ackedBeforeBackup"] = len(before)
    figures["ackedTotal"] = sum(len(w.acked) for w in writers)
    code, output = backup_verify(binary, archive)
    if code != 0:
        problems.append(f"backup verify of the load archive: {output}")
        return
    restored = os.path.join(work, "restored")
    done = run(binary, "restore", archive, "--data", restored, check=False)
    if done.returncode != 0:
        problems.append(f"restore: {done.stderr}")
        return
    ok, output = verify(binary, restored)
    if not ok:
        problems.append(f"verify of the restored log: {output}")
    copy = log_events(binary, restored)
    figures["eventsInBackup"] = len(copy)
    in_copy = {e.get("commandId") for e in copy}
    missing = before - in_copy
    if missing:
        problems.append(f"{len(missing)} edits acked before the backup are not in it, "
                        f"e.g. {sorted(missing)[:3]}")
    original = log_events(binary, server.data)
    for a, b in zip(original, copy):
        if a["hash"] != b["hash"]:
            problems.append(f"position {a['position']}: the restored hash differs")
            break


def killed_backups(binary, work, data, kills, problems, figures):
    """SIGKILL at growing delays; what is left must never look complete unless it is."""
    whole = 0
    for k in range(kills):
        out = os.path.join(work, f"killed-{k}.rembuk-backup")
        process = subprocess.Popen([binary, "backup", "--data", data, "--out", out],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.002 * k)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if os.path.exists(out):
            code, output = backup_verify(binary, out)
            if code != 0:
                problems.append(f"kill {k}: {out} exists but does not verify: {output}")
            whole += 1
        for partial in glob.glob(out + ".partial-*"):
            code, output = backup_verify(binary, partial)
            if code == 0 or "truncated" not in output:
                problems.append(f"kill {k}: the temporary file {partial} is not refused as "
                                f"truncated: {output}")
            os.remove(partial)
    figures["killsFinishedFirst"] = whole


def scheduled(binary, work, problems, figures):
    data = os.path.join(work, "scheduled-data")
    backups = os.path.join(work, "scheduled")
    server = Server(binary, data, ["--backup-every", "1s", "--backup-dir", backups,
                                   "--backup-keep", "2"])
    try:
        server.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if len(glob.glob(os.path.join(backups, "rembuk-*.rembuk-backup"))) >= 2:
                break
            time.sleep(0.1)
        time.sleep(2.5)  # a few more rounds: older archives get deleted
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=5) as r:
            metrics = r.read().decode()
        age = [line for line in metrics.splitlines()
               if line.startswith("rembuk_backup_last_success_age_seconds ")]
        if not age or float(age[0].split()[1]) < 0:
            problems.append(f"/metrics has no backup age: {age}")
        else:
            figures["lastBackupAgeSeconds"] = float(age[0].split()[1])
    finally:
        server.stop()
    archives = sorted(glob.glob(os.path.join(backups, "rembuk-*.rembuk-backup")))
    figures["scheduledKept"] = len(archives)
    if not archives or len(archives) > 2:
        problems.append(f"--backup-keep 2 left {len(archives)} archives")
    for a in archives:
        code, output = backup_verify(binary, a)
        if code != 0:
            problems.append(f"scheduled archive {a}: {output}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--kills", type=int, default=8)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="rembuk-backup-faults-")
    data = os.path.join(work, "data")
    server = Server(args.binary, data)
    problems, figures = [], {}
    try:
        token = issue_token(args.binary, data, "u-backup", "admin")
        server.start()
        under_load(args.binary, work, server, token, args.clients, problems, figures)
        killed_backups(args.binary, work, data, args.kills, problems, figures)
        if server.stop() != 0:
            problems.append("server did not stop cleanly")
        scheduled(args.binary, work, problems, figures)
    except Exception as e:  # noqa: BLE001 — any failure is reported as one
        problems.append(f"{type(e).__name__}: {e}")
    finally:
        server.kill()
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({**figures, "problems": len(problems)}), flush=True)
    for p in problems:
        print(f"backup_faults: {p}", file=sys.stderr)
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())

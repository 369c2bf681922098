#!/usr/bin/env python3
"""Crash loop: `rembuk serve` under edit load, killed with SIGKILL at random moments.

    crash_loop.py REMBUK_BINARY [--kills 50] [--clients 4] [--seed N] [--keep]

Several clients (threads, each with its own WebSocket) edit two masterplans, a few commands
in flight each. The server is killed with SIGKILL at a random moment after it has acked
something since its start, `rembuk verify` checks the log, and the server is restarted on
the same data folder. Clients resume as a real one must: reconnect, hello, subscribe from
the last version they saw, and resubmit every command not yet acked with the same command
id (the log's idempotency answers `duplicate` for those that were committed before the
kill). Finally the server runs until every client has its commands acked, and the log is
read back with `rembuk log --json`.

Checks: every acked command id is in the log (lost = 0), no command id is applied twice,
`rembuk verify` passes after every kill, every client sees its masterplan's versions with
no gap and no repeat across reconnects, no unexpected rejection. Prints one JSON line with
the figures; exits 0 when all checks hold, 1 otherwise.
"""

import argparse
import json
import os
import random
import shutil
import socket
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rembuk_process import Server, issue_token, log_events, verify  # noqa: E402
from wsclient import ConnectionClosed, WsClient, http_get  # noqa: E402

MASTERPLANS = ("crash-kota-a", "crash-kota-b")
WINDOW = 4  # commands in flight per client
RETRY_CODES = {"unavailable", "rate_limited"}  # the server asks to retry: resubmit later


class Cluster:
    """What the clients share with the driver: the current port (None while down)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.port = None
        self.acks = 0  # acks received since the last (re)start
        self.finishing = False  # clients submit nothing new, drain what is pending
        self.heads = None  # masterplan -> final version, once every client has drained


class EditClient(threading.Thread):
    def __init__(self, index, masterplan, token, cluster, rng):
        super().__init__(daemon=True)
        self.index, self.masterplan, self.token = index, masterplan, token
        self.cluster, self.rng = cluster, rng
        self.version = 0  # last version of the masterplan seen, contiguous from 1
        self.seq = 0
        self.pending = {}  # commandId -> command, in submission order (dicts keep order)
        self.to_send = []  # commandIds to (re)send on the current connection
        self.acked = set()
        self.duplicate_acks = 0
        self.submitted = 0
        self.reconnects = 0
        self.errors = []  # unexpected things, each a short sentence
        self.done = False

    def new_command(self):
        self.seq += 1
        command_id = f"c{self.index}-{self.seq}"
        if self.seq % 2:
            command = {"type": "RegisterOpd", "opdId": f"opd-{self.index}-{self.seq}",
                       "name": f"Dinas Uji {self.index}/{self.seq}"}
        else:
            command = {"type": "AddMission", "missionId": f"m-{self.index}-{self.seq}",
                       "text": f"Misi uji {self.seq} dari klien {self.index}"}
        self.pending[command_id] = command
        self.to_send.append(command_id)
        self.submitted += 1

    def connect(self):
        while True:
            with self.cluster.lock:
                port = self.cluster.port
            if port is None:
                time.sleep(0.02)
                continue
            try:
                ws = WsClient("127.0.0.1", port, timeout=5.0)
                ws.send({"type": "hello", "token": self.token})
                welcome = ws.recv()
                if welcome.get("type") != "welcome":
                    self.errors.append(f"hello answered {welcome}")
                    ws.close()
                    time.sleep(0.1)
                    continue
                ws.send({"type": "subscribe", "masterplan": self.masterplan,
                         "fromVersion": self.version})
                # Every command not acked yet goes again, in order, with its id.
                self.to_send = list(self.pending)
                ws.sock.settimeout(0.2)
                return ws
            except (OSError, ConnectionClosed, ValueError):
                time.sleep(0.02)

    def on_events(self, message):
        for event in message.get("events", []):
            version = event["version"]
            if version != self.version + 1:
                self.errors.append(
                    f"client {self.index}: version {version} after {self.version}")
            self.version = max(self.version, version)

    def on_message(self, message):
        kind = message.get("type")
        if kind == "ack":
            command_id = message["commandId"]
            if command_id in self.pending:
                del self.pending[command_id]
                self.acked.add(command_id)
                if message.get("duplicate"):
                    self.duplicate_acks += 1
                with self.cluster.lock:
                    self.cluster.acks += 1
        elif kind == "reject":
            command_id = message.get("commandId")
            if message.get("code") in RETRY_CODES:
                self.to_send.append(command_id)
            else:
                self.errors.append(f"client {self.index}: reject {message}")
                self.pending.pop(command_id, None)
        elif kind == "events":
            self.on_events(message)
        elif kind == "snapshot":
            self.version = message["version"]
        elif kind == "error":
            self.errors.append(f"client {self.index}: error {message}")

    def run(self):
        ws = self.connect()
        while True:
            if self.cluster.finishing and not self.pending:
                heads = self.cluster.heads
                if heads is not None and self.version >= heads.get(self.masterplan, 0):
                    break
            try:
                if not self.cluster.finishing:
                    while len(self.pending) < WINDOW:
                        self.new_command()
                while self.to_send:
                    command_id = self.to_send.pop(0)
                    if command_id in self.pending:
                        ws.send({"type": "submit", "commandId": command_id,
                                 "masterplan": self.masterplan,
                                 "command": self.pending[command_id]})
                try:
                    self.on_message(ws.recv())
                except socket.timeout:
                    pass
            except (OSError, ConnectionClosed, ValueError):
                ws.close()
                self.reconnects += 1
                ws = self.connect()
        ws.close()
        self.done = True


def setup_masterplans(port, token):
    ws = WsClient("127.0.0.1", port)
    ws.send({"type": "hello", "token": token})
    assert ws.recv()["type"] == "welcome"
    for masterplan in MASTERPLANS:
        ws.send({"type": "submit", "commandId": f"create-{masterplan}", "masterplan": masterplan,
                 "command": {"type": "CreateMasterplan", "cityName": f"Kota Uji {masterplan}",
                             "regionCode": "13.71", "startYear": 2025, "endYear": 2030}})
        while True:
            message = ws.recv()
            if message.get("type") == "ack":
                break
            if message.get("type") == "reject":
                raise RuntimeError(f"CreateMasterplan rejected: {message}")
    ws.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    started = time.monotonic()

    data = tempfile.mkdtemp(prefix="rembuk-crash-loop-")
    server = Server(args.binary, data)
    cluster = Cluster()
    verify_failures = []
    kill_delays_ms = []
    try:
        token = issue_token(args.binary, data, "u-crash", "admin")
        cluster.port = server.start()
        setup_masterplans(cluster.port, token)
        clients = [EditClient(i, MASTERPLANS[i % len(MASTERPLANS)], token, cluster,
                              random.Random(rng.random())) for i in range(args.clients)]
        for client in clients:
            client.start()

        for _ in range(args.kills):
            # Under load: wait for at least one ack since this start, then a random moment.
            deadline = time.monotonic() + 30
            while True:
                with cluster.lock:
                    if cluster.acks > 0:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError("no ack within 30 s of a restart")
                time.sleep(0.005)
            delay = rng.uniform(0.0, 0.4)
            kill_delays_ms.append(round(delay * 1000))
            time.sleep(delay)
            with cluster.lock:
                cluster.port = None
                cluster.acks = 0
            server.kill()
            ok, output = verify(args.binary, data)
            if not ok:
                verify_failures.append(output)
            port = server.start()
            with cluster.lock:
                cluster.port = port

        cluster.finishing = True
        deadline = time.monotonic() + 60
        while any(c.pending for c in clients) and time.monotonic() < deadline:
            time.sleep(0.01)
        status, body = http_get("127.0.0.1", cluster.port, "/api/masterplans", token)
        if status == 200:
            cluster.heads = {m["id"]: m["version"] for m in body["masterplans"]}
        else:
            cluster.heads = {}
        for client in clients:
            client.join(timeout=max(1.0, deadline - time.monotonic()))
        exit_code = server.stop()
        ok, output = verify(args.binary, data)
        if not ok:
            verify_failures.append(output)

        events = log_events(args.binary, data)
        in_log = {}
        for event in events:
            command_id = event.get("commandId")
            if command_id:
                in_log.setdefault(command_id, set()).add(event["position"])
        acked = set().union(*(c.acked for c in clients))
        lost = sorted(acked - set(in_log))
        # One command here emits one event: two events with one id means it was applied twice.
        applied_twice = sorted(cid for cid, positions in in_log.items() if len(positions) > 1)
        errors = [e for c in clients for e in c.errors]
        unfinished = [c.index for c in clients if not c.done or c.pending]
        heads = {}
        for event in events:
            heads[event["stream"]] = event["revision"]
        stale = [c.index for c in clients if c.version != heads.get(c.masterplan)]

        result = {
            "kills": args.kills, "clients": args.clients, "seed": seed,
            "submitted": sum(c.submitted for c in clients), "acked": len(acked),
            "lost": len(lost), "appliedTwice": len(applied_twice),
            "duplicateAcks": sum(c.duplicate_acks for c in clients),
            "reconnects": sum(c.reconnects for c in clients),
            "eventsInLog": len(events), "verifyFailures": len(verify_failures),
            "clientErrors": len(errors), "unfinishedClients": len(unfinished),
            "staleClients": len(stale), "serverExit": exit_code,
            "medianKillDelayMs": sorted(kill_delays_ms)[len(kill_delays_ms) // 2]
            if kill_delays_ms else None,
            "seconds": round(time.monotonic() - started, 1),
        }
        print(json.dumps(result), flush=True)
        for line in (lost[:10] + applied_twice[:10] + errors[:10] + verify_failures[:3]):
            print(f"crash_loop: {line}", file=sys.stderr)
        good = (not lost and not applied_twice and not verify_failures and not errors
                and not unfinished and not stale and exit_code == 0 and len(acked) > 0)
        return 0 if good else 1
    finally:
        server.kill()
        if args.keep:
            print(f"crash_loop: data kept in {data}", file=sys.stderr)
        else:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

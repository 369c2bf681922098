#!/usr/bin/env python3
"""The progress line of `rembuk backup verify`, `rembuk restore` and `rembuk verify`: on stderr
when stderr is a terminal, absent when it is a pipe.

    progress_tty.py REMBUK_BINARY REMBUK_BENCH_BINARY [--events 3000]

Makes a small log and its archive with `rembuk-bench backup --runs 1 --data DIR`, then runs
each command twice: with stderr on a pseudo-terminal (pty.openpty()), where the line
"LABEL: N/N events, X MB, R events/s, S s left" must appear and end at the archive's event
count; and with stderr on a pipe, where no such line (and no carriage return) may appear.
Both runs must succeed. Prints one JSON line; exits 0 when all checks hold, 1 otherwise.
"""

import argparse
import json
import os
import pty
import re
import subprocess
import sys
import tempfile

PROGRESS = re.compile(r"(\w+): (\d+)/(\d+) events, [0-9.]+ MB, \d+ events/s, \d+ s left")


def run_on_pty(argv, timeout=120):
    """(returncode, stderr text) of `argv` with stderr on a pseudo-terminal."""
    master, slave = pty.openpty()
    try:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=slave)
    finally:
        os.close(slave)  # the child holds it; EOF (EIO) on the master once the child exits
    chunks = []
    try:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: no process holds the terminal any more
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
    return process.wait(timeout=timeout), b"".join(chunks).decode(errors="replace")


def run_on_pipe(argv, timeout=120):
    """(returncode, stderr text) of `argv` with stderr on a pipe."""
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, timeout=timeout)
    return done.returncode, done.stderr.decode(errors="replace")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("rembuk")
    parser.add_argument("bench")
    parser.add_argument("--events", type=int, default=3000)
    args = parser.parse_args()

    failures = []
    checks = 0
    with tempfile.TemporaryDirectory(prefix="rembuk-progress-") as tmp:
        work = os.path.join(tmp, "work")
        made = subprocess.run([args.bench, "backup", "--events", str(args.events), "--runs", "1",
                               "--data", work], capture_output=True, text=True, timeout=300)
        if made.returncode != 0:
            print(json.dumps({"test": "progress_tty", "ok": False,
                              "failures": ["rembuk-bench backup: " + made.stderr.strip()]}))
            return 1
        archive = os.path.join(work, "bench.rembuk-backup")

        # (what, the progress line's label, the command line for a run named n)
        commands = [
            ("backup verify", "verify", lambda n: [args.rembuk, "backup", "verify", archive]),
            ("restore", "restore", lambda n: [args.rembuk, "restore", "--data",
                                              os.path.join(tmp, f"restored-{n}"), archive]),
            ("verify", "verify", lambda n: [args.rembuk, "verify", "--data",
                                            os.path.join(work, "log")]),
        ]
        for what, label, argv in commands:
            code, text = run_on_pty(argv("pty"))
            checks += 1
            lines = [m for m in PROGRESS.finditer(text) if m.group(1) == label]
            if code != 0:
                failures.append(f"{what} on a terminal exited {code}: {text.strip()}")
            elif not lines:
                failures.append(f"{what} on a terminal showed no progress line: {text!r}")
            elif (int(lines[-1].group(2)), int(lines[-1].group(3))) != (args.events, args.events):
                failures.append(f"{what} on a terminal ended its progress at "
                                f"{lines[-1].group(2)}/{lines[-1].group(3)}, not "
                                f"{args.events}/{args.events}")

            code, text = run_on_pipe(argv("pipe"))
            checks += 1
            if code != 0:
                failures.append(f"{what} on a pipe exited {code}: {text.strip()}")
            elif PROGRESS.search(text) or "\r" in text:
                failures.append(f"{what} on a pipe wrote a progress line: {text!r}")

    print(json.dumps({"test": "progress_tty", "events": args.events, "checks": checks,
                      "ok": not failures, "failures": failures}))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())

"""Runs the real `rembuk` binary for the hardening tools: `serve` as a child process whose
port is read from its startup line, and the one-shot subcommands (token, log, verify)."""

import json
import re
import subprocess
import threading
import time

_LISTENING = re.compile(r"listening on http://([0-9.]+):(\d+)")


def run(binary, *args, check=True, timeout=120):
    """Runs `rembuk ARGS`; returns the CompletedProcess (text)."""
    done = subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise RuntimeError(f"rembuk {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done


def issue_token(binary, data, user, role="admin"):
    return run(binary, "token", "issue", "--data", data, "--user", user, "--role", role,
               "--ttl", "8h").stdout.strip().splitlines()[-1]


def log_events(binary, data):
    """Every event of the log, as dicts (`rembuk log --json`)."""
    out = run(binary, "log", "--data", data, "--json").stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def verify(binary, data):
    """(ok, output) of `rembuk verify`."""
    done = run(binary, "verify", "--data", data, check=False)
    return done.returncode == 0, (done.stdout + done.stderr).strip()


class Server:
    """`rembuk serve` on 127.0.0.1, a free port; `port` is known once start() returns."""

    def __init__(self, binary, data, extra_args=()):
        self.binary, self.data, self.extra_args = binary, data, list(extra_args)
        self.process = None
        self.port = None
        self.stderr_lines = []

    def start(self, timeout=30.0):
        self.port = None
        self.stderr_lines = []
        self.process = subprocess.Popen(
            [self.binary, "serve", "--data", self.data, "--listen", "127.0.0.1:0",
             *self.extra_args],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        ready = threading.Event()

        def drain(stream, lines):
            for line in stream:
                lines.append(line.rstrip("\n"))
                match = _LISTENING.search(line)
                if match:
                    self.port = int(match.group(2))
                    ready.set()
            ready.set()  # the process ended without listening

        threading.Thread(target=drain, args=(self.process.stderr, self.stderr_lines),
                         daemon=True).start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.05):
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("rembuk serve did not start in time: "
                                   + "\n".join(self.stderr_lines))
        if self.port is None:
            self.process.wait()
            raise RuntimeError(f"rembuk serve exited with {self.process.returncode}: "
                               + "\n".join(self.stderr_lines))
        return self.port

    def kill(self):
        """SIGKILL and reap."""
        if self.process and self.process.poll() is None:
            self.process.kill()
        if self.process:
            self.process.wait()

    def stop(self, timeout=30.0):
        """SIGTERM (graceful); returns the exit code."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

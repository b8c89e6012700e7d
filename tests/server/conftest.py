"""Starts real `kgq serve` processes on free loopback ports for the tests."""

import os
import re
import signal
import subprocess
import threading

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KGQ = os.environ.get("KGQ_BIN", os.path.join(ROOT, "target", "debug", "kgq"))


class Server:
    """A running `kgq serve` with its Bolt port and its stderr lines."""

    def __init__(self, *args):
        self.args = list(args)
        self.lines = []
        self.proc = subprocess.Popen(
            [KGQ, "serve", "--bolt", "127.0.0.1:0", *self.args],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        ready = threading.Event()
        self.port = None

        def pump():
            for line in self.proc.stderr:
                self.lines.append(line.rstrip("\n"))
                m = re.search(r"bolt listening on 127\.0\.0\.1:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    ready.set()
            ready.set()

        self.reader = threading.Thread(target=pump, daemon=True)
        self.reader.start()
        if not ready.wait(60) or self.port is None:
            self.proc.kill()
            raise RuntimeError("kgq serve did not start: " + "\n".join(self.lines))

    @property
    def uri(self):
        return f"bolt://127.0.0.1:{self.port}"

    def stop(self):
        """SIGTERM, then wait; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(60)
        self.reader.join(10)
        return code

    def kill(self):
        """SIGKILL: no shutdown, no checkpoint."""
        self.proc.kill()
        self.proc.wait(60)
        self.reader.join(10)


@pytest.fixture
def serve():
    """A factory for servers; each is stopped at the end of the test."""
    started = []

    def start(*args):
        server = Server(*args)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.proc.poll() is None:
            server.kill()


@pytest.fixture
def server(serve):
    """A server on an empty store in a temporary folder."""
    return serve()

"""Shared fixtures: the bundled graph, empty graphs and store paths."""

import os
import subprocess
import sys
import textwrap

import pytest

import kgq


@pytest.fixture
def example():
    with kgq.Database.example() as db:
        yield db


@pytest.fixture
def conn(example):
    return kgq.Connection(example)


@pytest.fixture
def empty():
    with kgq.Database() as db:
        yield kgq.Connection(db)


@pytest.fixture
def store_path(tmp_path):
    return str(tmp_path / "graph.kgqs")


def run_python(code, *args, check=True, **kwargs):
    """Runs ``code`` in a new Python process (the same interpreter)."""
    env = dict(os.environ)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        check=check,
        env=env,
        timeout=120,
        **kwargs,
    )

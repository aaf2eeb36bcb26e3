"""The minimal web page: counts per label, served by the app factory and by the CLI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from graph.stores import StoreSettings
from graph.world import import_world
from web import create_app
from web.store import get_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "importers" / "data" / "sample_world.json"


@pytest.fixture
def app(tmp_path):
    app = create_app({"TESTING": True}, store_settings=StoreSettings(data_dir=tmp_path / "data"))
    with app.app_context():
        import_world(get_store(), SAMPLE)
    yield app
    app.extensions["wegweiser.store"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def test_home_page_shows_counts_per_label_in_german(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="de">' in page
    assert 'Kurse</td><td><code>Course</code></td><td class="num">18</td>' in page
    assert "Bewerberinnen und Bewerber" in page


def test_health_reports_store_and_node_count(client):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["store"] == "embedded"
    assert body["nodes"] == 126


def test_unknown_page_is_404(client):
    assert client.get("/nothing-here").status_code == 404


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_command_loads_the_district_and_serves_it(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WEGWEISER_DATA": str(tmp_path / "data"),
        "WEGWEISER_STORE": "embedded",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "cli", "demo", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                    page = reply.read().decode("utf-8")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"server did not come up: {server.communicate()}")
                time.sleep(0.3)
        assert "Was im Graphen steht" in page
        assert ">420</td>" in page  # candidates of the generated demo district
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in out
    for role in ("advisor", "employer", "coach", "admin"):
        assert f"{role}@demo.wegweiser.example" in out  # one demo login per role

"""The shipped Varnish, started on this machine in front of a gunicorn socket.

``make test-edge`` (tests/edge/proxy.py) and ``make bench`` (bench/run.py) both
run deploy/varnish/newsroom.vcl as a sysadmin would, with only its backend
socket placeholder pointed at their own gunicorn (``render_vcl``; a missing
placeholder fails loudly, so neither can drift from what a sysadmin copies).
``start_varnishd`` runs varnishd in the foreground (``-F``) with its own work
directory (``-n``) in the caller's folder, on a loopback port, without a
management port; as root it keeps root (``-j none``) rather than switching to
the ``vcache`` user, which could not read the caller's folder.

Whether Varnish answered a request from its store, without reaching Django:
``answered_from_store(headers)`` reads what the VCL exposes (``X-Cache: hit``,
two transaction ids in ``X-Varnish``), and ``counters(folder, ...)`` reads
varnishd's own statistics (``varnishstat``), e.g. ``MAIN.cache_hit`` and
``MAIN.backend_req`` before and after a load run.

Development tooling, not a layer of the app: it imports nothing of the project.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VARNISHSTAT = shutil.which("varnishstat") or "/usr/bin/varnishstat"
VCL_FILE = ROOT / "deploy" / "varnish" / "newsroom.vcl"
BACKEND_PLACEHOLDER = '.path = "/run/newsroom/gunicorn.sock";'


def render_vcl(*, socket_path: Path) -> str:
    """The shipped VCL with its backend pointed at ``socket_path``."""
    text = VCL_FILE.read_text()
    if BACKEND_PLACEHOLDER not in text:
        raise AssertionError(f"deploy/varnish/newsroom.vcl no longer has {BACKEND_PLACEHOLDER!r}")
    return text.replace(BACKEND_PLACEHOLDER, f'.path = "{socket_path}";')


def start_varnishd(
    folder: Path,
    *,
    port: int,
    socket_path: Path,
    log_path: Path,
    storage: str = "malloc,64m",
) -> subprocess.Popen:
    """varnishd with the shipped VCL on 127.0.0.1:``port``, its backend ``socket_path``.

    Its VCL and work directory live in ``folder``, its output goes to
    ``log_path``; the caller stops the process (terminate, wait).
    """
    folder.mkdir(parents=True, exist_ok=True)
    vcl = folder / "newsroom.vcl"
    vcl.write_text(render_vcl(socket_path=socket_path))
    command = [
        VARNISHD,
        "-F",
        *("-n", str(work_directory(folder))),
        *("-a", f"127.0.0.1:{port}"),
        *("-f", str(vcl)),
        *("-s", storage),
        *("-T", "none"),
    ]
    if os.geteuid() == 0:
        command += ["-j", "none"]
    with log_path.open("w") as log:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)


def work_directory(folder: Path) -> Path:
    return folder / "varnish"


def answered_from_store(headers: Iterable[tuple[str, str]]) -> bool:
    """Varnish's own verdict on a response: served from its store (two transaction ids)."""
    values = {name.lower(): value for name, value in headers}
    return values.get("x-cache") == "hit" and len(values.get("x-varnish", "").split()) == 2


def counters(folder: Path, *names: str) -> dict[str, int]:
    """varnishd's counters ``names`` (e.g. ``MAIN.cache_hit``) now, from varnishstat."""
    command = [VARNISHSTAT, "-n", str(work_directory(folder)), "-1", "-j"]
    for name in names:
        command += ["-f", name]
    output = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    # varnishstat 6.5+ nests the counters under "counters"; older ones do not.
    found = output.get("counters", output)
    return {name: int(found[name]["value"]) for name in names}

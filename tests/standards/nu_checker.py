"""Running the W3C Nu HTML Checker (``vnu.jar``) and reporting what it finds.

The checker is ``vnu.jar`` from the npm package ``vnu-jar`` (pinned in
package.json / package-lock.json, installed by ``make test-standards``) and
runs on Java. Every page is written to a folder and all of them are checked
by one ``java -jar vnu.jar --format json --errors-only`` run: one JVM start
for the whole lane.

The ``html_checker`` fixture (conftest.py) fails the lane when ``java`` or
``vnu.jar`` is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHECKER_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Message:
    """One message of the checker, about one of the checked files."""

    file: str
    type: str
    text: str
    line: int | None = None
    column: int | None = None
    extract: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "document"
        if self.column:
            where += f", column {self.column}"
        extract = " ".join(self.extract.split())
        return f"  {where}: {self.text}" + (f"\n      ...{extract}..." if extract else "")


def missing_tools() -> list[str]:
    """What the lane needs and does not find, as instructions."""
    problems = []
    if shutil.which("java") is None:
        problems.append("java is not on PATH (install a Java 11+ runtime, e.g. openjdk-17-jre)")
    if not VNU_JAR.is_file():
        problems.append(
            f"{VNU_JAR.relative_to(settings.BASE_DIR)} is missing "
            "(run `make test-standards`, which runs `npm ci`, or `npm ci` yourself)"
        )
    return problems


def run_checker(files: list[Path]) -> list[Message]:
    """Check ``files`` in one run of the Nu HTML Checker; its error messages."""
    completed = subprocess.run(
        [
            shutil.which("java") or "java",
            "-Xss4m",  # vnu's own advice: its parser recurses deeply
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--errors-only",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=CHECKER_TIMEOUT_SECONDS,
        check=False,
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    try:
        report = json.loads(completed.stderr or "{}")
    except json.JSONDecodeError:
        pytest.fail(
            f"The Nu HTML Checker did not produce a report (exit {completed.returncode}):\n"
            f"{completed.stderr or completed.stdout}"
        )
    messages = [
        Message(
            file=Path(str(item.get("url", "")).removeprefix("file:")).name,
            type=item.get("subType") or item.get("type", ""),
            text=item.get("message", ""),
            line=item.get("lastLine"),
            column=item.get("firstColumn"),
            extract=item.get("extract", ""),
        )
        for item in report.get("messages", [])
    ]
    if completed.returncode not in (0, 1) or (completed.returncode == 1 and not messages):
        pytest.fail(
            f"The Nu HTML Checker failed (exit {completed.returncode}):\n{completed.stderr}"
        )
    return messages


def readable_report(messages: list[Message]) -> str:
    by_file: dict[str, list[Message]] = {}
    for message in messages:
        by_file.setdefault(message.file, []).append(message)
    return "\n".join(
        f"{file} ({len(found)} error{'s' if len(found) != 1 else ''}):\n"
        + "\n".join(map(str, found))
        for file, found in sorted(by_file.items())
    )

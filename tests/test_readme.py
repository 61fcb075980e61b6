"""The README's examples run against the code as it is (issue 12: the README matches the code)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from waitlab.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


@pytest.mark.slow
@pytest.mark.parametrize("i", range(len(_blocks("python"))))
def test_python_examples_run(i, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    exec(compile(_blocks("python")[i], f"README.md python block {i + 1}", "exec"), {})  # noqa: S102


def _command_lines() -> list[str]:
    lines = []
    for block in _blocks("sh"):
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith("waitlab "):
                lines.append(line)
    return lines


def test_the_readme_shows_commands():
    assert len(_command_lines()) >= 6


@pytest.mark.parametrize("line", _command_lines())
def test_command_examples_parse(line):
    # every option of every example exists with that spelling and takes a valid value
    args = build_parser().parse_args(shlex.split(line)[1:])
    assert callable(args.func)


def test_readme_pictures_exist_and_stay_small():
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", README)
    assert {"docs/img/report_es.png", "docs/img/dashboard_compliance_es.png"} <= set(pictures)
    for rel in pictures:
        path = ROOT / rel
        assert path.is_file(), f"README shows {rel}, which is missing"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size < 400_000, rel

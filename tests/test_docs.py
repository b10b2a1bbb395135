"""Docs that cannot go stale: README.md and every page of docs/ are run and their links followed.

Code blocks (the convention the pages follow):

- A ```` ```python ```` block is executed with this interpreter, in a temporary directory; the
  comment lines that end it (``# text``) are what it prints, each a line of its output (``...`` at
  the end: a line that starts so).
- A ```` ```sh ```` block runs with ``bash -euo pipefail`` in a temporary directory.
- A ```` ```console ```` block is a shell session: its ``$ `` lines run one after another in one
  shell, in a temporary directory, and every other line must appear in what the command before it
  printed (timings aside).
- A block of one of those languages is skipped only when the line before its fence is
  ``<!-- not run: REASON -->``, with the reason. Blocks of other languages (``text``, ``yaml``,
  none) are not code to run.

The temporary directory looks like the checkout's root where the examples need it to: ``.venv`` is
this test run's environment and ``tests/data/cli/`` the sample logs. A server started here, on
127.0.0.1 at a free port, answers the blocks that call ``127.0.0.1:50051`` (the address in their
text is replaced by its own).

Links: every relative link and image of a page names a file of the repository, and every
``#anchor`` (on the same page or another) a heading of that page, spelled as GitHub spells anchors.
Every page of docs/ is reachable from the README, and every ``test_x.py::test_y`` a page names
exists.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest

from bridge.server import running

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RUN = {"python", "sh", "console"}
#: Spellings of those languages that would slip past the runner.
ALIASES = {"py", "python3", "pycon", "bash", "shell", "zsh", "shell-session", "sh-session"}
#: The address the pages' examples call the service at.
DOCUMENTED_ADDRESS = "127.0.0.1:50051"
NOT_RUN = re.compile(r"<!-- not run: (?P<reason>\S.*?) -->")
TIMING = re.compile(r"; [0-9.]+ MB in [0-9.]+ s \([0-9.]+ MB/s\)")
TIMEOUT = 120


@dataclasses.dataclass(frozen=True)
class Block:
    page: pathlib.Path
    line: int  # of the opening fence, 1-based
    language: str
    code: str
    not_run: str | None  # the reason, when marked

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def _blocks(page: pathlib.Path) -> list[Block]:
    lines = page.read_text().splitlines()
    found, index = [], 0
    while index < len(lines):
        fence = re.match(r"^```(\S*)\s*$", lines[index])
        if fence is None:
            index += 1
            continue
        end = next((j for j in range(index + 1, len(lines)) if lines[j].rstrip() == "```"), None)
        assert end is not None, f"{page.name}:{index + 1}: a code block that is never closed"
        before = lines[index - 1] if index else ""
        marker = NOT_RUN.fullmatch(before.strip())
        found.append(Block(page, index + 1, fence.group(1), "\n".join(lines[index + 1:end]) + "\n",
                           marker.group("reason") if marker else None))
        index = end + 1
    return found


def _prose(page: pathlib.Path) -> str:
    """The page without its code blocks (links and headings live outside them)."""
    return re.sub(r"^```.*?^```[ \t]*$", "", page.read_text(), flags=re.MULTILINE | re.DOTALL)


def _readme_commands(block: Block) -> Block:
    """The README's first block, its two commands, stays byte for byte what a fresh clone runs (no
    marker above it): it is not run here, since command 1 serves until stopped and command 2 runs
    this suite (``.ci/run`` runs it; tests/test_packaging.py builds and installs as command 1 does)."""
    if block.page.name == "README.md" and block.line == 3:
        assert block.code.startswith("python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/rtbridge serve\n")
        return dataclasses.replace(block, not_run="the README's two commands: .ci/run runs command 2")
    return block


BLOCKS = [_readme_commands(block) for page in PAGES for block in _blocks(page)]
RUNNABLE = [block for block in BLOCKS if block.language in RUN and block.not_run is None]


def test_the_pages_follow_the_convention() -> None:
    assert (ROOT / "docs").is_dir() and len(PAGES) >= 8
    for block in BLOCKS:
        assert block.language not in ALIASES, f"{block.name}: write ```{block.language} as python, sh or console"
        if block.not_run is not None:
            assert block.language in RUN, f"{block.name}: a 'not run' marker on a ```{block.language} block"
    for page in PAGES:
        text = page.read_text()
        markers = len(re.findall(r"^\s*<!-- not run", text, flags=re.MULTILINE))
        marked = sum(1 for b in BLOCKS if b.page == page and b.not_run is not None and not (b.page.name == "README.md" and b.line == 3))
        assert markers == marked, f"{page.name}: a 'not run' marker without a reason or not right before a block"
    # Most of what the pages show runs: the README's library, CLI and service examples included.
    readme = [b for b in RUNNABLE if b.page.name == "README.md"]
    assert {b.language for b in readme} == {"python", "console"} and len(readme) >= 4
    assert len(RUNNABLE) >= 10


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The bridge, relaying sessions (docs/relay.md) to the stand-in playing a shipped recording."""
    from _relay import replaying

    from bridge.relay._config import RelayConfig

    with replaying("voice-turn", fast=True) as url, running("127.0.0.1", 0, relay=RelayConfig(url, key="sk-docs")) as address:
        yield address


@pytest.fixture
def workdir(tmp_path: pathlib.Path) -> pathlib.Path:
    """A temporary directory laid out as the examples expect the checkout's root to be."""
    (tmp_path / ".venv").symlink_to(pathlib.Path(sys.prefix), target_is_directory=True)
    shutil.copytree(ROOT / "tests" / "data" / "cli", tmp_path / "tests" / "data" / "cli")
    return tmp_path


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "RTBRIDGE_PURE_PYTHON")}
    env["PATH"] = f"{pathlib.Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}"
    return env


def _run(command: list[str], cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=TIMEOUT,
                          stdin=subprocess.DEVNULL)


def _console(block: Block, workdir: pathlib.Path) -> None:
    """Run the ``$ `` lines in one shell; check what each printed against the lines shown under it."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.code.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif line.strip():
            assert steps, f"{block.name}: output before the first command"
            steps[-1][1].append(line)
    script = "exec 2>&1\n" + "".join(f"{command}\nprintf '\\n@@@ %s\\n' \"$?\"\n" for command, _ in steps)
    (workdir / "session.sh").write_text(script)
    result = _run(["bash", str(workdir / "session.sh")], workdir)
    parts = re.split(r"\n@@@ (\d+)\n", result.stdout)
    assert len(parts) == 2 * len(steps) + 1, (block.name, result.stdout, result.stderr)
    for (command, shown), printed, status in zip(steps, parts[0::2], parts[1::2], strict=False):
        assert status in ("0", "1"), (block.name, command, status, printed)  # 1: some lines rejected
        for line in shown:
            assert TIMING.sub("", line) in TIMING.sub("", printed), (block.name, command, line, printed)


@pytest.mark.parametrize("block", RUNNABLE, ids=[b.name for b in RUNNABLE])
def test_the_block_runs(block: Block, workdir: pathlib.Path, request: pytest.FixtureRequest) -> None:
    code = block.code
    if DOCUMENTED_ADDRESS in code:
        code = code.replace(DOCUMENTED_ADDRESS, request.getfixturevalue("server"))
    if block.language == "console":
        _console(dataclasses.replace(block, code=code), workdir)
        return
    if block.language == "python":
        (workdir / "block.py").write_text(code)
        result = _run([sys.executable, "block.py"], workdir)
    else:
        (workdir / "block.sh").write_text(code)
        result = _run(["bash", "-euo", "pipefail", "block.sh"], workdir)
    assert result.returncode == 0, f"{block.name} failed ({result.returncode}):\n{code}\n{result.stdout}\n{result.stderr}"
    printed = result.stdout.splitlines()
    for line in _shown_output(block.code) if block.language == "python" else []:
        prefix = line.removesuffix("...")
        assert any(out == line or (prefix != line and out.startswith(prefix)) for out in printed), (
            f"{block.name}: does not print {line!r}; it printed:\n{result.stdout}"
        )


def _shown_output(code: str) -> list[str]:
    """The comment lines that end a Python block: what it prints."""
    lines = code.rstrip("\n").splitlines()
    shown: list[str] = []
    while lines and lines[-1].startswith("# "):
        shown.insert(0, lines.pop()[2:])
    return shown


def test_a_python_block_is_held_to_what_it_shows() -> None:
    assert _shown_output("print(1)\n# 1\n# two ...\n") == ["1", "two ..."]
    assert _shown_output("x = 1  # a comment on code\n") == []
    shown = [_shown_output(b.code) for b in RUNNABLE if b.language == "python"]
    assert sum(1 for s in shown if s) >= 2


# ------------------------------------------------------------------------------------------ links


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(page: pathlib.Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors = set()
    for heading in re.findall(r"^#{1,6} (.+)$", _prose(page), flags=re.MULTILINE):
        slug = _slug(heading)
        anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


def _links(page: pathlib.Path) -> list[str]:
    prose = re.sub(r"`[^`\n]*`", "", _prose(page))  # a link inside inline code is text
    return re.findall(r"!?\[[^\]]*\]\(([^)\s]+)\)", prose)


def test_the_slugs_are_githubs() -> None:
    assert _slug("Calling it with no .proto file") == "calling-it-with-no-proto-file"
    assert _slug("`rtbridge serve` options") == "rtbridge-serve-options"
    assert _slug("Failures and draining") == "failures-and-draining"


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_every_link_and_anchor_resolves(page: pathlib.Path) -> None:
    links = _links(page)
    broken = []
    for link in links:
        if re.match(r"^[a-z][a-z0-9+.-]*:", link, re.IGNORECASE):
            continue  # another site: not checked here (no network)
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        if not target.exists() or ROOT not in (target, *target.parents):
            broken.append(f"{link}: no such file in the repository")
        elif anchor and (target.suffix != ".md" or anchor not in _anchors(target)):
            broken.append(f"{link}: no heading #{anchor} in {target.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)}: {broken}"


def test_every_docs_page_is_reachable_from_the_readme() -> None:
    reached, todo = set(), [ROOT / "README.md"]
    while todo:
        page = todo.pop()
        if page in reached:
            continue
        reached.add(page)
        for link in _links(page):
            path = link.partition("#")[0]
            if path.endswith(".md") and not re.match(r"^[a-z][a-z0-9+.-]*:", path):
                todo.append((page.parent / path).resolve())
    assert set(PAGES) <= reached, sorted(p.name for p in set(PAGES) - reached)


def test_every_test_a_page_names_exists() -> None:
    for page in PAGES:
        for file, name in set(re.findall(r"(test_\w+\.py)::(test_\w+)", page.read_text())):
            source = ROOT / "tests" / file
            assert source.is_file() and f"def {name}(" in source.read_text(), f"{page.name} names {file}::{name}"


def test_the_checker_finds_a_broken_link_and_anchor(tmp_path: pathlib.Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n## A `code` heading\n\n[ok](#a-code-heading) [gone](#nowhere) [file](missing.md)\n"
                    "```sh\n# not a heading\n[not a link](nowhere.md)\n```\n")
    assert _anchors(page) == {"title", "a-code-heading"}
    assert _links(page) == ["#a-code-heading", "#nowhere", "missing.md"]

"""Regenerate the committed Python code for the .proto files under ``proto/``.

Usage: ``python proto/generate.py`` (needs the ``dev`` extra, which pins grpcio-tools so that the
output is reproducible). The code is written next to the package, under ``bridge/v1/``, because the
proto files live at ``proto/bridge/v1/``: protoc derives Python import paths from file paths, so the
generated modules import each other as ``bridge.v1.*`` with no rewriting.

``tests/test_generated_code.py`` runs :func:`generate` into a temporary folder and fails when the
committed files differ, so a change to a .proto file cannot land without its generated code.
"""

from __future__ import annotations

import pathlib
import sys

PROTO_ROOT = pathlib.Path(__file__).resolve().parent
REPO_ROOT = PROTO_ROOT.parent
PACKAGE = "bridge/v1"
HEADER = '"""Generated from proto/bridge/v1 by proto/generate.py; do not edit."""\n'


def proto_files() -> list[str]:
    """The .proto files to compile, relative to ``proto/``, in a stable order."""
    return sorted(p.relative_to(PROTO_ROOT).as_posix() for p in (PROTO_ROOT / PACKAGE).glob("*.proto"))


def generate(out_root: pathlib.Path) -> list[pathlib.Path]:
    """Compile every .proto file into ``out_root/bridge/v1``; return the files written."""
    import grpc_tools
    from grpc_tools import protoc

    include = pathlib.Path(grpc_tools.__file__).parent / "_proto"
    out_dir = out_root / PACKAGE
    out_dir.mkdir(parents=True, exist_ok=True)
    args = [
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"-I{include}",
        f"--python_out={out_root}",
        f"--pyi_out={out_root}",
        f"--grpc_python_out={out_root}",
        *proto_files(),
    ]
    if protoc.main(args) != 0:
        raise RuntimeError(f"protoc failed: {' '.join(args)}")
    (out_dir / "__init__.py").write_text(HEADER)
    _drop_empty_grpc_modules(out_dir)
    return sorted(p for p in out_dir.iterdir() if p.is_file())


def _drop_empty_grpc_modules(out_dir: pathlib.Path) -> None:
    """grpc_tools writes a ``*_pb2_grpc.py`` for every file; keep only those with a service."""
    for path in out_dir.glob("*_pb2_grpc.py"):
        if "Stub:" not in path.read_text() and "Stub(object):" not in path.read_text():
            path.unlink()


def main() -> int:
    out_dir = REPO_ROOT / PACKAGE
    for stale in out_dir.glob("*_pb2*.py*"):
        stale.unlink()
    generate(REPO_ROOT)
    print(f"generated {len(list(out_dir.iterdir()))} files in {out_dir.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

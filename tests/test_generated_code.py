"""The generated code committed in bridge/v1 and bridge/models.py is exactly what proto/generate.py
makes from proto/."""

from __future__ import annotations

import importlib.util
import pathlib

REPO = pathlib.Path(__file__).resolve().parent.parent
COMMITTED = REPO / "bridge" / "v1"


def _load_generator():
    spec = importlib.util.spec_from_file_location("_proto_generate", REPO / "proto" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_code_matches_proto(tmp_path):
    generated = _load_generator().generate(tmp_path)
    fresh = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in generated}
    committed = {p.relative_to(REPO).as_posix(): p.read_bytes() for p in COMMITTED.iterdir() if p.is_file()}
    committed["bridge/models.py"] = (REPO / "bridge" / "models.py").read_bytes()
    assert sorted(fresh) == sorted(committed), "run: python proto/generate.py"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"stale generated files {stale}; run: python proto/generate.py"


def test_every_proto_file_is_compiled():
    protos = {p.stem for p in (REPO / "proto" / "bridge" / "v1").glob("*.proto")}
    modules = {p.name.removesuffix("_pb2.py") for p in COMMITTED.glob("*_pb2.py")}
    assert protos == modules

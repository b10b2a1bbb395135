"""Regenerate the committed Python code for the .proto files under ``proto/``.

Usage: ``python proto/generate.py`` (needs the ``dev`` extra, which pins grpcio-tools so that the
output is reproducible). The code is written next to the package, under ``bridge/v1/``, because the
proto files live at ``proto/bridge/v1/``: protoc derives Python import paths from file paths, so the
generated modules import each other as ``bridge.v1.*`` with no rewriting.

Of the gRPC modules (``*_pb2_grpc.py``) it keeps the client stubs: the bridge's servers register
their RPCs from their own tables, so protoc's servicer base classes (which answer every RPC with
``NotImplementedError``) and their ``add_*_to_server`` functions are left out.

It also writes ``bridge/models.py``, the msgspec Structs, from the same descriptors: one Struct
per message (field for field, in declaration order, docstrings from the .proto comments), one event
class per member of ``ServerEvent``/``ClientEvent``'s ``event`` oneof, and the event unions. The
.proto files are the schema's one source; the Structs and the converters follow from them.

``tests/test_generated_code.py`` runs :func:`generate` into a temporary folder and fails when the
committed files differ, so a change to a .proto file cannot land without its generated code.
"""

from __future__ import annotations

import keyword
import pathlib
import re
import sys
import tempfile
import textwrap
from typing import Any

PROTO_ROOT = pathlib.Path(__file__).resolve().parent
REPO_ROOT = PROTO_ROOT.parent
PACKAGE = "bridge/v1"
HEADER = '"""Generated from proto/bridge/v1 by proto/generate.py; do not edit."""\n'
STRUCTS = "bridge/models.py"
SCHEMA_FILE = f"{PACKAGE}/realtime.proto"
#: The custom options (options.proto) the Struct generator reads.
EVENT_TYPE_OPTION, FLAT_EVENT_TYPES_OPTION = "realtime.bridge.v1.event_type", "realtime.bridge.v1.flat_event_types"
BASE64_OPTION, JSON_KEY_OPTION, REPLACED_BY_OPTION = (
    "realtime.bridge.v1.base64", "realtime.bridge.v1.json_key", "realtime.bridge.v1.replaced_by"
)
ENVELOPES = {"ServerEvent": "GenericEvent", "ClientEvent": "GenericClientEvent"}


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
    structs = out_root / STRUCTS
    structs.write_text(render_structs(*_descriptor_set(include)))
    return sorted([*(p for p in out_dir.iterdir() if p.is_file()), structs])


def _descriptor_set(include: pathlib.Path) -> tuple[object, _Options]:
    """The compiled schema file, comments included (a FileDescriptorProto), and a reader of its
    custom options."""
    from google.protobuf import descriptor_pb2
    from grpc_tools import protoc

    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "set.binpb"
        args = ["grpc_tools.protoc", f"-I{PROTO_ROOT}", f"-I{include}", "--include_source_info",
                "--include_imports", f"--descriptor_set_out={out}", SCHEMA_FILE]
        if protoc.main(args) != 0:
            raise RuntimeError(f"protoc failed: {' '.join(args)}")
        files = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file
    (schema,) = (f for f in files if f.name == SCHEMA_FILE)
    return schema, _Options(files)


class _Options:
    """The custom options of the compiled files, read by protobuf itself through a private
    descriptor pool holding them: generating never imports the package it regenerates (nor puts
    its files in the default pool, which the package's own modules would then collide with)."""

    def __init__(self, files: object) -> None:
        from google.protobuf import descriptor_pool, message_factory

        pool = descriptor_pool.DescriptorPool()
        for file in files:  # type: ignore[attr-defined]
            pool.Add(file)
        self._classes = {
            kind: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"google.protobuf.{kind}"))
            for kind in ("MessageOptions", "FieldOptions")
        }
        self._pool = pool

    def __call__(self, options: object, name: str) -> list[Any]:
        """The values of the option ``name`` (full name) in ``options`` (a message's or a field's);
        ``[]`` when it is not set."""
        parsed = self._classes[type(options).__name__].FromString(options.SerializeToString())  # type: ignore[attr-defined]
        extension = self._pool.FindExtensionByName(name)
        if extension.is_repeated:
            return list(parsed.Extensions[extension])
        return [parsed.Extensions[extension]] if parsed.HasExtension(extension) else []


# --------------------------------------------------------------------------- the Struct generator

MODELS_DOC = """Typed msgspec Structs for every message of the Realtime protocol: the ``realtime.response``
object, the server and client events of the beta and GA protocols, and what they carry.

Generated from ``proto/bridge/v1/realtime.proto`` by ``proto/generate.py``; do not edit: the .proto
is the one place a field is written (``tests/test_generated_code.py`` fails when this file is stale).

Every field is optional and defaults to :data:`msgspec.UNSET`, so the three states a JSON key can be
in stay distinct: missing (``UNSET``), explicit ``null`` (``None``) and a value. Closed string sets
(``status``, ``role``, ...) are typed ``str`` rather than ``Literal`` so that tomorrow's values decode
today; their known values live in the proto enums and ``strict=True`` checks them. Keys the schema
does not know are kept, value for value, in each Struct's :attr:`extra`.

Base64 keys (audio) are ``bytes``, decoded once, in C. Text that is not canonical base64 (what every
encoder writes) decodes to a :class:`Base64Text`: the bytes a lenient decoder reads from it, and
the exact text, which is what encoding writes back.

An event class is named after its ``type`` (``conversation.item.added`` ->
:class:`ConversationItemAddedEvent`); :data:`ServerEvent` and :data:`ClientEvent` are the unions
:func:`bridge.decode_event` and :func:`bridge.decode_client_event` return.
"""

_SCALARS = {9: "str", 14: "str", 3: "Int64", 1: "Number", 8: "bool"}  # string, enum, int64, double, bool
_BYTES, _MESSAGE = 12, 11


def _comments(file: object) -> dict[tuple[int, ...], str]:
    """Leading comments by source path ((4, m) a message, (4, m, 2, f) its field)."""
    out = {}
    for location in file.source_code_info.location:  # type: ignore[attr-defined]
        text = textwrap.dedent(location.leading_comments.strip("\n")).strip()
        if text:  # (long lines rewrapped: the docstrings and comments keep to 100 columns)
            out[tuple(location.path)] = "\n".join(
                "\n".join(textwrap.wrap(line, 96, break_on_hyphens=False)) if len(line) > 96 else line
                for line in text.splitlines()
            )
    return out


def _event_class(event_type: str) -> str:
    return "".join(part.capitalize() for part in event_type.replace(".", "_").split("_")) + "Event"


def _docstring(text: str, indent: str = "    ") -> str:
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = text.splitlines() or [""]
    if len(lines) == 1:
        return f'{indent}"""{lines[0]}"""\n'
    return f'{indent}"""{lines[0]}\n' + "".join(f"{indent}{line}\n" if line else "\n" for line in lines[1:]) + f'{indent}"""\n'


def render_structs(file: object, option: _Options) -> str:
    """The source of ``bridge/models.py`` for the schema file ``file`` (a FileDescriptorProto),
    whose custom options ``option`` reads."""
    comments = _comments(file)
    messages = list(file.message_type)  # type: ignore[attr-defined]
    by_name = {m.name: m for m in messages}
    package = "." + file.package  # type: ignore[attr-defined]
    classes: list[str] = []
    names: list[str] = []
    unions: dict[str, list[str]] = {}

    def type_name(field: object) -> str:
        if field.type == _MESSAGE:  # type: ignore[attr-defined]
            name = field.type_name.removeprefix(package + ".")  # type: ignore[attr-defined]
            entry = _map_entry(by_name, name)
            if entry is not None:
                return f"dict[{_SCALARS[entry.field[0].type]}, {_SCALARS[entry.field[1].type]}]"
            return name
        return _SCALARS[field.type]  # type: ignore[attr-defined]

    def body(message: object, index: int, skip: set[str], notes: bool = True) -> list[str]:
        lines: list[str] = []
        done: set[int] = set()
        for f_index, field in enumerate(message.field):  # type: ignore[attr-defined]
            if field.name in skip or field.name == "json_fidelity":
                continue
            note = comments.get((4, index, 2, f_index)) if notes else None
            real_oneof = field.HasField("oneof_index") and not field.proto3_optional
            if real_oneof:
                if field.oneof_index in done:
                    continue
                done.add(field.oneof_index)
                members = [m for m in message.field if m.HasField("oneof_index") and m.oneof_index == field.oneof_index]
                name = message.oneof_decl[field.oneof_index].name
                annotation = f"Field[Union[{', '.join(type_name(m) for m in members)}]]"
            elif option(field.options, REPLACED_BY_OPTION):
                continue  # read only from old data, as the JSON of the field that replaced it
            elif option(field.options, BASE64_OPTION):
                name, annotation = (option(field.options, JSON_KEY_OPTION) or [field.name])[0], "Field[bytes]"
            elif field.type == _BYTES and field.label != 3:
                name, annotation = field.name, "JsonValue"
            else:
                name = field.name
                value = type_name(field)
                is_map = field.type == _MESSAGE and value.startswith("dict[")
                annotation = f"Field[list[{value}]]" if field.label == 3 and not is_map else f"Field[{value}]"
            if keyword.iskeyword(name):
                raise ValueError(f"{message.name}.{name} is a Python keyword")
            if note:
                lines += [f"    #: {line}".rstrip() for line in note.splitlines()]
            lines.append(f"    {name}: {annotation} = UNSET")
        lines.append("    extra: Union[Extra, UnsetType] = _extra()")
        return lines

    def shared(envelope: object) -> list[object]:
        """The envelope fields every event has (``event_id``): its scalars but ``type``, outside the oneof."""
        return [f for f in envelope.field  # type: ignore[attr-defined]
                if f.type != _MESSAGE and f.name != "type" and not (f.HasField("oneof_index") and not f.proto3_optional)]

    envelope_of = {}
    for message in messages:
        if message.name in ENVELOPES:
            for field in message.field:
                if field.HasField("oneof_index") and not field.proto3_optional:
                    envelope_of[field.type_name.removeprefix(package + ".")] = message

    for index, message in enumerate(messages):
        if message.name in ENVELOPES or message.options.map_entry:
            continue
        doc = comments.get((4, index), f"The ``{message.name}`` message.")
        event_types = option(message.options, EVENT_TYPE_OPTION)
        if event_types:
            (event_type,) = event_types
            if message.name != _event_class(event_type):
                raise ValueError(f"{message.name} holds {event_type!r}: name it {_event_class(event_type)}")
            head = f'class {message.name}(_Event, tag="{event_type}"):'
        else:
            head = f"class {message.name}(_Model):"
        lines = body(message, index, set())
        if event_types:  # the envelope's shared fields come first, as in JSON
            envelope = envelope_of[message.name]
            lines = [*(f"    {f.name}: Field[{type_name(f)}] = UNSET" for f in shared(envelope)), *lines]
        classes.append("\n".join([head, _docstring(doc).rstrip(), "", *lines]))
        names.append(message.name)

    for index, message in enumerate(messages):
        generic = ENVELOPES.get(message.name)
        if generic is None:
            continue
        members = []
        for field in message.field:
            if field.HasField("oneof_index") and not field.proto3_optional:
                member = by_name[field.type_name.removeprefix(package + ".")]
                (event_type,) = option(member.options, EVENT_TYPE_OPTION)
                if field.name != event_type.replace(".", "_"):
                    raise ValueError(f"{message.name}.{field.name} holds {event_type!r}: name it {event_type.replace('.', '_')}")
                members.append(member.name)
        flat = []
        own = {f.name for f in message.field if not (f.HasField("oneof_index") and not f.proto3_optional)}
        for event_type in option(message.options, FLAT_EVENT_TYPES_OPTION):
            cls = _event_class(event_type)
            lines = body(message, index, {"type"} | {f.name for f in message.field if f.name not in own}, notes=False)
            doc = f"``{event_type}``, whose keys are {message.name}'s own fields."
            classes.append("\n".join([f'class {cls}(_Event, tag="{event_type}"):', _docstring(doc).rstrip(), "", *lines]))
            names.append(cls)
            flat.append(cls)
        direction = "server" if message.name == "ServerEvent" else "client"
        doc = (f"A {direction} event of a type the schema does not know: ``type`` and ``event_id`` typed, "
               "every other key\ncarried in :attr:`extra`.")
        skip = {"type", "response"} | {f.name for f in message.field if f.name not in own}
        lines = ["    type: str", *body(message, index, skip, notes=False)]
        classes.append("\n".join([f"class {generic}(_Model):", _docstring(doc).rstrip(), "", *lines]))
        names.append(generic)
        unions[message.name] = [*flat, *members, generic]

    base = ["EXTRA_KEY", "UNSET", "Base64Text", "Extra", "Field", "Int64", "JsonValue", "Number", "UnsetType"]
    out = [
        f'"""{MODELS_DOC}"""\n',
        "from __future__ import annotations\n\nfrom typing import Union\n\n"
        f"from bridge._model_base import {', '.join(base)}, _Event, _extra, _Model\n\n"
        + "__all__ = [\n" + "".join(f'    "{n}",\n' for n in sorted([*base, *names, *unions])) + "]\n",
    ]
    out += [c + "\n" for c in classes]
    for envelope, members in unions.items():
        out.append(f"#: What a {envelope} can be: one class per event type, and the generic one for any other.\n"
                   f"{envelope} = Union[\n" + "".join(f"    {m},\n" for m in members) + "]\n")
    return "\n\n\n".join(part.rstrip("\n") for part in out) + "\n"


def _map_entry(by_name: dict[str, object], name: str) -> object:
    """The entry type of a map field's ``type_name`` (nested in its message), or None."""
    outer, _, inner = name.rpartition(".")
    if not outer:
        return None
    for nested in by_name[outer].nested_type:  # type: ignore[attr-defined]
        if nested.name == inner and nested.options.map_entry:
            return nested
    return None


def _drop_empty_grpc_modules(out_dir: pathlib.Path) -> None:
    """grpc_tools writes a ``*_pb2_grpc.py`` for every file; keep only those with a service, and of
    those only the client side (:func:`_client_side`)."""
    for path in out_dir.glob("*_pb2_grpc.py"):
        text = path.read_text()
        if "Stub:" not in text and "Stub(object):" not in text:
            path.unlink()
        else:
            path.write_text(_client_side(text))


#: Where a top-level block of a ``*_pb2_grpc.py`` starts: a class, a function, or the comment that
#: marks the experimental class of static methods.
_GRPC_BLOCK = re.compile(r"^(?:class |def | # This class is part of an EXPERIMENTAL API\.)", re.MULTILINE)


def _client_side(text: str) -> str:
    """A ``*_pb2_grpc.py`` with its stubs only. The servicer base classes protoc writes answer every
    RPC with ``NotImplementedError`` until overridden, and ``add_*Servicer_to_server`` and the
    experimental static-method classes go with them; the bridge's servers register their RPCs from
    their own tables (``bridge.service._rpcs``, ``bridge.relay.servicer``), so none of it is used,
    and a user's client needs only the stubs."""
    starts = [match.start() for match in _GRPC_BLOCK.finditer(text)]
    blocks = [text[start:end] for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]
    head = text[: starts[0]] if starts else text
    head = head.replace('"""Client and server classes corresponding to protobuf-defined services."""',
                        '"""Client classes (stubs) of the protobuf-defined services; see proto/generate.py."""')
    kept = [block.rstrip("\n") for block in blocks if re.match(r"class \w+Stub\b", block)]
    return head + "\n\n\n".join(kept) + "\n"


def main() -> int:
    out_dir = REPO_ROOT / PACKAGE
    for stale in out_dir.glob("*_pb2*.py*"):
        stale.unlink()
    written = generate(REPO_ROOT)
    print(f"generated {len(written)} files: {out_dir.relative_to(REPO_ROOT)}/, {STRUCTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

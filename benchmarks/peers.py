"""The libraries the bridge is measured against, loaded on demand.

A peer whose package is missing raises :class:`Unavailable` with the reason; the runner records the
skip instead of failing, and ``--check`` then reports every floor it could not test.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import importlib.util
import json
import pathlib
import shutil
import tempfile
from collections.abc import Callable
from types import ModuleType
from typing import Any

__all__ = [
    "PLAIN_MIRROR_PROTO",
    "Unavailable",
    "openai_model_for",
    "openai_models",
    "openai_recv",
    "optional",
    "plain_mirror",
    "plain_message_for",
    "versions",
]

PLAIN_MIRROR_PROTO = pathlib.Path(__file__).resolve().parent / "plain_mirror.proto"

#: Distributions whose versions go into the results.
_DISTRIBUTIONS = (
    "realtime-bridge",
    "msgspec",
    "protobuf",
    "grpcio",
    "orjson",
    "openai",
    "pydantic",
    "pydantic-core",
    "matplotlib",
)


class Unavailable(Exception):
    """A contender cannot run here (a package is missing, or it rejects the input)."""


def optional(module: str) -> ModuleType:
    """Import ``module`` or raise :class:`Unavailable` naming the package to install."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        package = module.partition(".")[0]
        raise Unavailable(f"{package} is not installed (pip install '.[bench]')") from error


def versions() -> dict[str, str | None]:
    """Installed version of each library that takes part (None: not installed)."""
    out: dict[str, str | None] = {}
    for name in _DISTRIBUTIONS:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


@functools.cache
def plain_mirror() -> ModuleType:
    """The ``plain_mirror_pb2`` module, compiled from ``plain_mirror.proto`` into a temporary folder."""
    protoc = optional("grpc_tools.protoc")
    grpc_tools = optional("grpc_tools")
    include = pathlib.Path(grpc_tools.__file__).parent / "_proto"
    out = pathlib.Path(tempfile.mkdtemp(prefix="bench-plain-mirror-"))
    try:
        args = [
            "grpc_tools.protoc",
            f"-I{PLAIN_MIRROR_PROTO.parent}",
            f"-I{include}",
            f"--python_out={out}",
            PLAIN_MIRROR_PROTO.name,
        ]
        if protoc.main(args) != 0:
            raise Unavailable(f"protoc could not compile {PLAIN_MIRROR_PROTO.name}")
        spec = importlib.util.spec_from_file_location("plain_mirror_pb2", out / "plain_mirror_pb2.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        shutil.rmtree(out, ignore_errors=True)


def plain_message_for(document: bytes, kind: str = "event") -> Any:
    """The plain mirror's message class for one event document (dispatch done here, outside the
    timing): ``AudioDeltaEvent`` for an audio delta, else ``ServerEvent`` or ``ClientEvent``."""
    mirror = plain_mirror()
    if kind == "client_event":
        return mirror.ClientEvent
    audio_delta = json.loads(document).get("type") in ("response.audio.delta", "response.output_audio.delta")
    return mirror.AudioDeltaEvent if audio_delta else mirror.ServerEvent


#: The OpenAI SDK's model class of each event type the corpus holds, per protocol: beta in
#: ``openai.types.beta.realtime``, GA in ``openai.types.realtime``.
_OPENAI_MODELS = {
    "beta": {
        "response.created": "ResponseCreatedEvent",
        "response.done": "ResponseDoneEvent",
        "response.audio.delta": "ResponseAudioDeltaEvent",
        "conversation.item.created": "ConversationItemCreatedEvent",
    },
    "ga": {
        "response.output_audio.delta": "ResponseAudioDeltaEvent",
        "response.output_audio_transcript.delta": "ResponseAudioTranscriptDeltaEvent",
        "response.output_text.delta": "ResponseTextDeltaEvent",
        "conversation.item.added": "ConversationItemAdded",
        "conversation.item.done": "ConversationItemDone",
        "session.updated": "SessionUpdatedEvent",
        "input_audio_buffer.append": "InputAudioBufferAppendEvent",
        "conversation.item.create": "ConversationItemCreateEvent",
    },
}
_OPENAI_MODULES = {"beta": "openai.types.beta.realtime", "ga": "openai.types.realtime"}


@functools.cache
def openai_models(protocol: str = "beta") -> dict[str, Any]:
    """The OpenAI SDK's pydantic model of each event type of the corpus, for one protocol."""
    realtime = optional(_OPENAI_MODULES[protocol])
    return {kind: getattr(realtime, name) for kind, name in _OPENAI_MODELS[protocol].items()}


def openai_model_for(document: bytes, protocol: str = "beta") -> Any:
    """The SDK model class for one event document (dispatch done here, outside the timing)."""
    kind = json.loads(document).get("type")
    try:
        return openai_models(protocol)[kind]
    except KeyError:
        raise Unavailable(f"no OpenAI SDK model for {protocol} event type {kind!r}") from None


@functools.cache
def openai_recv(protocol: str = "beta") -> Callable[[bytes], Any]:
    """What the SDK's Realtime connection does with each message it receives (``parse_event``):
    ``json.loads``, then build the server event union's models (of the protocol) without
    validating them."""
    models = optional("openai._models")
    realtime = optional(_OPENAI_MODULES[protocol])
    construct = models.construct_type_unchecked
    union = realtime.RealtimeServerEvent
    loads = json.loads

    def recv(data: bytes) -> Any:
        return construct(value=loads(data), type_=union)

    return recv

"""Inventory of the OpenAI SDK's Realtime event models (beta and GA, server and client).

Walks the pydantic models reachable from the four discriminated event unions and writes
inventory.json next to this file (not committed). Run it in a scratch venv with the SDK:
``python3 -m venv /tmp/sdk && /tmp/sdk/bin/pip install openai && /tmp/sdk/bin/python docs/proposals/sdk_inventory.py``
"""

from __future__ import annotations

import ast
import inspect
import json
import pathlib
import textwrap
import types as pytypes
import typing
from collections import defaultdict

import openai
import pydantic
from openai._utils import PropertyInfo
from openai.types.beta.realtime import realtime_client_event as beta_client
from openai.types.beta.realtime import realtime_server_event as beta_server
from openai.types.realtime import realtime_client_event as ga_client
from openai.types.realtime import realtime_server_event as ga_server

try:  # newer SDKs: a separate translation protocol; reported, not counted
    from openai.types.realtime import realtime_translation_client_event as tr_client
    from openai.types.realtime import realtime_translation_server_event as tr_server
except ImportError:  # pragma: no cover
    tr_client = tr_server = None

HERE = pathlib.Path(__file__).resolve().parent
MAX_KEYS, MAX_ENUM = 64, 32

UNIONS = {
    ("beta", "server"): beta_server.RealtimeServerEvent,
    ("beta", "client"): beta_client.RealtimeClientEvent,
    ("ga", "server"): ga_server.RealtimeServerEvent,
    ("ga", "client"): ga_client.RealtimeClientEvent,
}
EXTRA_UNIONS = {}
if tr_client is not None:
    EXTRA_UNIONS = {
        ("ga-translation", "server"): tr_server.RealtimeTranslationServerEvent,
        ("ga-translation", "client"): tr_client.RealtimeTranslationClientEvent,
    }


def model_id(cls: type) -> str:
    """``beta.realtime.session_update_event.SessionUpdateEvent.Session`` style, unique per class."""
    mod = cls.__module__.removeprefix("openai.types.")
    return f"{mod}.{cls.__qualname__}"


def is_model(tp) -> bool:
    return isinstance(tp, type) and issubclass(tp, pydantic.BaseModel)


# ---------------------------------------------------------------- attribute docstrings (for base64)
_doc_cache: dict[type, dict[str, str]] = {}


def attr_docs(cls: type) -> dict[str, str]:
    if cls in _doc_cache:
        return _doc_cache[cls]
    docs: dict[str, str] = {}
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
        body = tree.body[0].body  # type: ignore[attr-defined]
        for a, b in zip(body, body[1:]):
            if isinstance(a, ast.AnnAssign) and isinstance(a.target, ast.Name):
                if isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant) and isinstance(b.value.value, str):
                    docs[a.target.id] = b.value.value
    except (OSError, TypeError, IndexError, SyntaxError):
        pass
    _doc_cache[cls] = docs
    return docs


# ---------------------------------------------------------------- type shapes
class Walker:
    def __init__(self) -> None:
        self.models: dict[str, dict] = {}
        self.classes: dict[str, type] = {}
        self.queue: list[type] = []

    def ref(self, cls: type) -> str:
        mid = model_id(cls)
        if mid not in self.classes:
            self.classes[mid] = cls
            self.queue.append(cls)
        return mid

    def shape(self, tp, discriminator: str | None = None) -> dict:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is typing.Annotated:
            disc = discriminator
            for meta in args[1:]:
                if isinstance(meta, PropertyInfo) and meta.discriminator:
                    disc = meta.discriminator
            return self.shape(args[0], disc)
        if origin is typing.Union or origin is pytypes.UnionType:
            members = [a for a in args if a is not type(None)]
            nullable = len(members) != len(args)
            # Union[str, Literal[...]]: an open string set with known values
            lits = [m for m in members if typing.get_origin(m) is typing.Literal]
            if str in members and lits and all(m is str or typing.get_origin(m) is typing.Literal for m in members):
                vals = [v for m in lits for v in typing.get_args(m)]
                out = {"kind": "open_enum", "values": vals}
            elif len(members) == 1:
                out = self.shape(members[0], discriminator)
            else:
                shapes = [self.shape(m) for m in members]
                out = {"kind": "union", "members": shapes}
                model_members = [m for m in members if is_model(m)]
                if len(model_members) >= 2:
                    out["object_members"] = len(model_members)
                    out["discriminator"] = discriminator or self.infer_discriminator(model_members)
                    out["discriminator_declared"] = discriminator is not None
            if nullable:
                out = dict(out, nullable=True)
            return out
        if origin is typing.Literal:
            return {"kind": "literal", "values": list(args)}
        if origin in (list, typing.List):
            return {"kind": "list", "of": self.shape(args[0]) if args else {"kind": "any"}}
        if origin in (dict, typing.Dict):
            return {"kind": "dict", "key": self.shape(args[0]), "value": self.shape(args[1])}
        if tp is str:
            return {"kind": "str"}
        if tp is bool:
            return {"kind": "bool"}
        if tp is int:
            return {"kind": "int"}
        if tp is float:
            return {"kind": "float"}
        if tp is object or tp is typing.Any:
            return {"kind": "any"}
        if tp is type(None):
            return {"kind": "null"}
        if is_model(tp):
            return {"kind": "model", "ref": self.ref(tp)}
        return {"kind": "unknown", "repr": repr(tp)}

    @staticmethod
    def infer_discriminator(members: list[type]) -> str | None:
        """A key every member has, typed by disjoint Literal values."""
        common = set.intersection(*(set(m.model_fields) for m in members))
        for key in sorted(common, key=lambda k: (k != "type", k)):
            seen: set = set()
            ok = True
            for m in members:
                ann = m.model_fields[key].annotation
                if typing.get_origin(ann) is typing.Union:
                    ann = next((a for a in typing.get_args(ann) if a is not type(None)), ann)
                if typing.get_origin(ann) is not typing.Literal:
                    ok = False
                    break
                vals = set(typing.get_args(ann))
                if vals & seen:
                    ok = False
                    break
                seen |= vals
            if ok:
                return key + " (inferred)"
        return None

    def walk(self) -> None:
        while self.queue:
            cls = self.queue.pop()
            mid = model_id(cls)
            docs = attr_docs(cls)
            fields = []
            for name, info in cls.model_fields.items():
                shp = self.shape(info.annotation if not info.metadata else typing.Annotated[(info.annotation, *info.metadata)])
                doc = docs.get(name, "")
                fields.append(
                    {
                        "json": info.alias or name,
                        "py": name,
                        "required": info.is_required(),
                        "nullable": bool(shp.get("nullable")),
                        "type": shp,
                        "base64": "base64" in doc.lower(),
                        "doc": doc.strip().split("\n")[0][:160],
                    }
                )
            self.models[mid] = {"class": cls.__qualname__, "module": cls.__module__, "fields": fields}


def fmt(shape: dict) -> str:
    k = shape["kind"]
    n = "?" if shape.get("nullable") else ""
    if k == "literal":
        s = "Literal[" + ",".join(json.dumps(v) for v in shape["values"]) + "]"
    elif k == "open_enum":
        s = f"str~{{{len(shape['values'])} known}}"
    elif k == "list":
        s = f"list[{fmt(shape['of'])}]"
    elif k == "dict":
        s = f"dict[{fmt(shape['key'])},{fmt(shape['value'])}]"
    elif k == "union":
        s = "|".join(fmt(m) for m in shape["members"])
        if shape.get("discriminator"):
            s = f"({s})@{shape['discriminator']}"
    elif k == "model":
        s = shape["ref"].rsplit(".", 1)[-1] if "." in shape["ref"] else shape["ref"]
        s = shape["ref"].split(".")[-1]
    else:
        s = k
    return s + n


def signature(walker: Walker, mid: str, memo: dict, stack: tuple = ()) -> str:
    """A canonical structural description of a model (field names, types, optionality), recursive."""
    if mid in memo:
        return memo[mid]
    if mid in stack:
        return f"<cycle {mid}>"
    parts = []
    for f in sorted(walker.models[mid]["fields"], key=lambda f: f["json"]):
        parts.append(f"{f['json']}{'' if f['required'] else '='}:{sig_shape(walker, f['type'], memo, stack + (mid,))}")
    memo[mid] = "{" + ",".join(parts) + "}"
    return memo[mid]


def sig_shape(walker, shape, memo, stack) -> str:
    k = shape["kind"]
    n = "?" if shape.get("nullable") else ""
    if k == "model":
        return signature(walker, shape["ref"], memo, stack) + n
    if k == "list":
        return f"[{sig_shape(walker, shape['of'], memo, stack)}]" + n
    if k == "dict":
        return f"dict<{sig_shape(walker, shape['value'], memo, stack)}>" + n
    if k == "union":
        return "(" + "|".join(sorted(sig_shape(walker, m, memo, stack) for m in shape["members"])) + ")" + n
    if k in ("literal", "open_enum"):
        return f"{k}{sorted(map(str, shape['values']))}" + n
    return k + n


def iter_shapes(shape):
    yield shape
    for key in ("of", "value"):
        if key in shape:
            yield from iter_shapes(shape[key])
    for m in shape.get("members", ()):
        yield from iter_shapes(m)


def flat_fields(walker: Walker, shape: dict, out: set, seen: set) -> None:
    """JSON keys a flat message would need to hold every object member of ``shape``."""
    for s in iter_shapes(shape):
        if s["kind"] == "model" and s["ref"] not in seen:
            seen.add(s["ref"])
            out.update(f["json"] for f in walker.models[s["ref"]]["fields"])


def main() -> None:
    walker = Walker()
    events: dict[str, dict] = {}  # "beta/server/response.done" -> info
    by_proto: dict[tuple, list] = defaultdict(list)
    for (proto, direction), union in {**UNIONS, **EXTRA_UNIONS}.items():
        for cls in typing.get_args(typing.get_args(union)[0]):
            (etype,) = typing.get_args(cls.model_fields["type"].annotation)
            mid = walker.ref(cls)
            events[f"{proto}/{direction}/{etype}"] = {
                "protocol": proto,
                "direction": direction,
                "type": etype,
                "model": mid,
                "class": cls.__name__,
            }
            by_proto[(proto, direction)].append(etype)
    event_models = {e["model"] for e in events.values()}
    walker.walk()
    memo: dict[str, str] = {}
    sigs = {mid: signature(walker, mid, memo) for mid in walker.models}

    # same type string, both protocols
    same_type = []
    for direction in ("server", "client"):
        beta = {e["type"]: e for e in events.values() if e["protocol"] == "beta" and e["direction"] == direction}
        ga = {e["type"]: e for e in events.values() if e["protocol"] == "ga" and e["direction"] == direction}
        for t in sorted(set(beta) & set(ga)):
            b, g = beta[t], ga[t]
            bf = {f["json"]: sig_shape(walker, f["type"], memo, ()) for f in walker.models[b["model"]]["fields"]}
            gf = {f["json"]: sig_shape(walker, f["type"], memo, ()) for f in walker.models[g["model"]]["fields"]}
            same_type.append(
                {
                    "direction": direction,
                    "type": t,
                    "identical": sigs[b["model"]] == sigs[g["model"]],
                    "only_beta_keys": sorted(set(bf) - set(gf)),
                    "only_ga_keys": sorted(set(gf) - set(bf)),
                    "keys_with_different_shape": sorted(k for k in set(bf) & set(gf) if bf[k] != gf[k]),
                }
            )
    # renames: same SDK class name, different type string across protocols
    renames = []
    for direction in ("server", "client"):
        beta = {e["class"]: e["type"] for e in events.values() if e["protocol"] == "beta" and e["direction"] == direction}
        ga = {e["class"]: e["type"] for e in events.values() if e["protocol"] == "ga" and e["direction"] == direction}
        for c in sorted(set(beta) & set(ga)):
            if beta[c] != ga[c]:
                renames.append({"direction": direction, "class": c, "beta": beta[c], "ga": ga[c]})
        for c in sorted(set(beta) - set(ga)):
            renames.append({"direction": direction, "class": c, "beta": beta[c], "ga": None})
        for c in sorted(set(ga) - set(beta)):
            renames.append({"direction": direction, "class": c, "beta": None, "ga": ga[c]})

    # statistics
    over_keys, big_enums, unions, b64, any_json, open_enums = [], [], [], [], [], []
    max_fields = max(walker.models.items(), key=lambda kv: len(kv[1]["fields"]))
    for mid, m in walker.models.items():
        if len(m["fields"]) > MAX_KEYS:
            over_keys.append({"model": mid, "fields": len(m["fields"])})
        for f in m["fields"]:
            where = f"{mid}.{f['json']}"
            for s in iter_shapes(f["type"]):
                if s["kind"] in ("literal", "open_enum") and len(s["values"]) > MAX_ENUM:
                    big_enums.append({"field": where, "kind": s["kind"], "values": len(s["values"])})
                if s["kind"] == "open_enum":
                    open_enums.append({"field": where, "values": s["values"]})
                if s["kind"] == "union" and s.get("object_members"):
                    flat: set = set()
                    flat_fields(walker, s, flat, set())
                    unions.append(
                        {
                            "field": where,
                            "members": [fmt(x) for x in s["members"]],
                            "discriminator": s.get("discriminator"),
                            "declared": s.get("discriminator_declared"),
                            "flattened_keys": len(flat),
                        }
                    )
                if s["kind"] == "any" or (s["kind"] == "dict" and s["value"]["kind"] == "any"):
                    any_json.append(where)
            if f["base64"]:
                full = attr_docs(walker.classes[mid]).get(f["py"], "").lower()
                cat = "audio" if "audio" in full else ("image" if "image" in full else "other")
                b64.append({"field": where, "category": cat, "doc": f["doc"]})

    # distinct shapes among the nested (non-event) models
    nested = [mid for mid in walker.models if mid not in event_models]
    distinct_nested_shapes = len({sigs[mid] for mid in nested})
    # per-event flattened key count (keys of the event + all nested objects flattened per field)
    counts = {f"{p}/{d}": len(set(v)) for (p, d), v in sorted(by_proto.items())}
    all_types = {d: sorted({e["type"] for e in events.values() if e["direction"] == d and e["protocol"] in ("beta", "ga")}) for d in ("server", "client")}

    # flattened merges the design would make: ConversationItem (all item shapes), session objects
    def merged(prefixes: list[str]) -> dict:
        keys: set = set()
        mids = [mid for mid in walker.models if any(mid.endswith(p) for p in prefixes)]
        for mid in mids:
            keys.update(f["json"] for f in walker.models[mid]["fields"])
        return {"models": len(mids), "keys": len(keys)}

    # reachability per root set (the four main unions vs the translation protocol)
    def reach(roots):
        seen, todo = set(), list(roots)
        while todo:
            mid = todo.pop()
            if mid in seen:
                continue
            seen.add(mid)
            for f in walker.models[mid]["fields"]:
                for sh in iter_shapes(f["type"]):
                    if sh["kind"] == "model":
                        todo.append(sh["ref"])
        return seen
    main_events = {e["model"] for e in events.values() if e["protocol"] in ("beta", "ga")}
    main_reach = reach(main_events)
    main_nested = main_reach - main_events
    per_protocol_nested = {
        p: len(reach({e["model"] for e in events.values() if e["protocol"] == p}) - event_models)
        for p in ("beta", "ga", "ga-translation")
    }

    # unions mixing a scalar with objects, or several scalars (a oneof chosen by JSON type)
    scalar_unions = []
    closed_enums: dict[tuple, list] = defaultdict(list)
    for mid in main_reach:
        for f in walker.models[mid]["fields"]:
            for sh in iter_shapes(f["type"]):
                if sh["kind"] == "union" and not sh.get("object_members"):
                    scalar_unions.append({"field": f"{mid}.{f['json']}", "members": [fmt(x) for x in sh["members"]]})
                if sh["kind"] == "union" and sh.get("object_members") and any(x["kind"] != "model" for x in sh["members"]):
                    scalar_unions.append({"field": f"{mid}.{f['json']}", "members": [fmt(x) for x in sh["members"]], "note": "scalar and objects"})
                if sh["kind"] == "literal" and not (f["json"] == "type" and len(sh["values"]) == 1):
                    closed_enums[tuple(sorted(map(str, sh["values"])))].append(f"{mid}.{f['json']}")
    largest_enum = max(closed_enums, key=len)

    # deep JSON-path diff for the same type string in both protocols
    def paths(mid, prefix="", stack=()):
        out = {}
        if mid in stack:
            return out
        for f in walker.models[mid]["fields"]:
            key = prefix + f["json"]
            leaf = []
            for sh in iter_shapes(f["type"]):
                if sh["kind"] == "model":
                    out.update(paths(sh["ref"], key + ".", stack + (mid,)))
                elif sh["kind"] not in ("list", "union"):
                    leaf.append(sh["kind"] if sh["kind"] not in ("literal", "open_enum") else f"{sh['kind']}{sorted(map(str, sh['values']))}")
            if leaf:
                out[key] = "|".join(sorted(set(leaf)))
        return out
    for entry in same_type:
        if entry["identical"]:
            continue
        b = next(e for e in events.values() if e["protocol"] == "beta" and e["direction"] == entry["direction"] and e["type"] == entry["type"])
        g = next(e for e in events.values() if e["protocol"] == "ga" and e["direction"] == entry["direction"] and e["type"] == entry["type"])
        pb, pg = paths(b["model"]), paths(g["model"])
        entry["deep_only_beta_paths"] = sorted(set(pb) - set(pg))
        entry["deep_only_ga_paths"] = sorted(set(pg) - set(pb))
        entry["deep_common_paths_differing_type"] = sorted(k for k in set(pb) & set(pg) if pb[k] != pg[k])
        entry["deep_common_paths"] = len(set(pb) & set(pg))

    # flat merges the design would make
    groups = {
        "ConversationItem (beta item, item-with-reference, 9 GA item shapes)": lambda m: m["class"].split(".")[0] in (
            "ConversationItem", "ConversationItemWithReference", "RealtimeConversationItemSystemMessage",
            "RealtimeConversationItemUserMessage", "RealtimeConversationItemAssistantMessage",
            "RealtimeConversationItemFunctionCall", "RealtimeConversationItemFunctionCallOutput",
            "RealtimeMcpApprovalResponse", "RealtimeMcpListTools", "RealtimeMcpToolCall", "RealtimeMcpApprovalRequest")
            and "." not in m["class"],
        "ContentPart (every item content / part class)": lambda m: m["class"].endswith(("Content", "Part", "ConversationItemContent")),
        "Session (beta session + transcription session, GA realtime + transcription)": lambda m: m["class"] in (
            "Session", "TranscriptionSession", "RealtimeSessionCreateRequest", "RealtimeTranscriptionSessionCreateRequest",
            "SessionUpdateEvent.Session", "TranscriptionSessionUpdate.Session", "SessionCreatedEvent.Session")
            or m["class"].endswith(("Event.Session", "Update.Session")),
        "Tool (function + mcp, beta + GA)": lambda m: m["class"].endswith(("Tool", "RealtimeFunctionTool", "Mcp", "RealtimeResponseCreateMcpTool", "ResponseTool", "SessionTool")) and "ListTools" not in m["class"],
        "TurnDetection (server_vad + semantic_vad, beta + GA)": lambda m: m["class"].endswith(("TurnDetection", "ServerVad", "SemanticVad")),
    }
    def coarse(shape):
        """A shape with literal values and model identities erased: what must agree to share a field."""
        k = shape["kind"]
        n = "?" if shape.get("nullable") else ""
        if k in ("literal", "open_enum"):
            vals = shape["values"]
            return ("enum" if all(isinstance(v, str) for v in vals) else "int-literal") + ("(open)" if k == "open_enum" else "")
        if k == "list":
            return f"list[{coarse(shape['of'])}]"
        if k == "dict":
            return f"dict[{coarse(shape['value'])}]"
        if k == "union":
            return "|".join(sorted({coarse(m) for m in shape["members"]}))
        return k

    def conflicts(mids):
        seen = defaultdict(dict)
        for mid in mids:
            for f in walker.models[mid]["fields"]:
                seen[f["json"]][coarse(f["type"])] = mid
        return {k: v for k, v in seen.items() if len(v) > 1}

    for u in unions:
        mid, key = u["field"].rsplit(".", 1)
        fld = next(f for f in walker.models[mid]["fields"] if f["json"] == key)
        refs = sorted({sh["ref"] for sh in iter_shapes(fld["type"]) if sh["kind"] == "model"})
        u["member_key_conflicts"] = conflicts(refs)

    merges = {}
    for name, pred in groups.items():
        mids = sorted(mid for mid in main_reach if pred(walker.models[mid]))
        keys = sorted({f["json"] for mid in mids for f in walker.models[mid]["fields"]})
        merges[name] = {"models": mids, "keys": len(keys), "key_names": keys, "conflicts": conflicts(mids)}

    summary = {
        "main_nested_model_classes": len(main_nested),
        "main_nested_distinct_shapes": len({sigs[m] for m in main_nested}),
        "nested_model_classes_by_protocol": per_protocol_nested,
        "largest_closed_enum": {"values": len(largest_enum), "spellings": largest_enum, "used_at": closed_enums[largest_enum]},
        "distinct_closed_enum_sets": len(closed_enums),
        "flat_merge_key_counts": {k: v["keys"] for k, v in merges.items()},
        "sdk_version": openai.__version__,
        "pydantic_version": pydantic.VERSION,
        "event_types_per_protocol_direction": counts,
        "event_type_pairs_total": sum(v for k, v in counts.items() if not k.startswith("ga-translation")),
        "distinct_type_strings": {d: len(v) for d, v in all_types.items()},
        "event_models": len(event_models),
        "nested_model_classes": len(nested),
        "nested_distinct_shapes": distinct_nested_shapes,
        "all_model_classes": len(walker.models),
        "largest_model": {"model": max_fields[0], "fields": len(max_fields[1]["fields"])},
        "models_over_64_keys": over_keys,
        "enums_over_32_values": big_enums,
        "merged_flat_estimates": {
            "all_session_like_objects": merged(["Session", "SessionUpdate", "RealtimeSessionCreateRequest", "RealtimeTranscriptionSessionCreateRequest"]),
        },
    }
    top = sorted(((len(m["fields"]), mid) for mid, m in walker.models.items()), reverse=True)[:10]
    summary["top10_models_by_fields"] = [{"model": mid, "fields": n} for n, mid in top]
    out = {
        "summary": summary,
        "event_types": {f"{p}/{d}": sorted(set(v)) for (p, d), v in sorted(by_proto.items())},
        "events": events,
        "same_type_both_protocols": same_type,
        "beta_ga_renames_and_singletons": renames,
        "union_fields": unions,
        "scalar_or_mixed_unions": scalar_unions,
        "closed_enum_sets": {"|".join(k): v for k, v in sorted(closed_enums.items(), key=lambda kv: -len(kv[0]))},
        "flat_merges": merges,
        "base64_fields": b64,
        "any_json_fields": sorted(set(any_json)),
        "open_enums": open_enums,
        "models": {
            mid: {**m, "signature_id": sorted(set(sigs.values())).index(sigs[mid]), "fields_compact": {f["json"]: ("" if f["required"] else "optional ") + fmt(f["type"]) for f in m["fields"]}}
            for mid, m in sorted(walker.models.items())
        },
    }
    (HERE / "inventory.json").write_text(json.dumps(out, indent=1, default=str))
    print(json.dumps(summary, indent=1, default=str))


if __name__ == "__main__":
    main()

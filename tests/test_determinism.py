"""Conversions are reproducible: the same JSON gives the same protobuf bytes in any process, and the
same bytes give the same JSON text (protobuf maps have no order of their own)."""

from __future__ import annotations

import subprocess
import sys

import bridge

EVENT = (
    b'{"type":"response.audio.delta","event_id":"e2","response_id":"r1","item_id":"i",'
    b'"delta":"AAA=","output_index":0,"content_index":0,"zeta":[1,{"b":2}],"alpha":null}'
)
SCRIPT = "import sys, bridge; sys.stdout.buffer.write(bridge.json_to_binary(sys.stdin.buffer.read()))"


def _in_fresh_process() -> bytes:
    done = subprocess.run([sys.executable, "-c", SCRIPT], input=EVENT, capture_output=True, timeout=60, check=True)
    return done.stdout


def test_same_json_gives_same_bytes_across_processes():
    here = bridge.json_to_binary(EVENT)
    assert {_in_fresh_process() for _ in range(3)} == {here}


def test_unknown_keys_come_back_sorted_after_the_known_ones():
    text = bridge.binary_to_json(bridge.json_to_binary(EVENT))
    assert text == (
        b'{"type":"response.audio.delta","event_id":"e2","content_index":0,"delta":"AAA=","item_id":"i",'
        b'"output_index":0,"response_id":"r1","alpha":null,"zeta":[1,{"b":2}]}'
    )

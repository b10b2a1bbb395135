// Reads a file of the bridge's length-delimited messages, as `rtbridge decode` writes them, with
// TypeScript that protoc-gen-es generated from proto/ (the `ts` output of proto/buf.gen.yaml) and
// the @bufbuild/protobuf runtime, and prints what it read: one JSON line per message, its fields
// read from the generated types. tests/test_ts_consumer.py compiles it with tsc and compares the
// lines with the Python side's values (the same lines as tools/go/readlog prints).
//
//   node out/read_log.js server|client|session FILE
//
// "server" reads realtime.bridge.v1.ServerEvent messages (`rtbridge decode --server`), "client"
// ClientEvent messages (`rtbridge decode --client`), "session" SessionRecords (`rtbridge decode`).
// The generated code sits beside this file, in bridge/v1/ (buf generate ... -o DIR puts it in
// DIR/ts/bridge/v1/, and this file goes in DIR/ts/); tsconfig.json here compiles both.

import { createHash } from "node:crypto";
import * as fs from "node:fs";

import { isMessage } from "@bufbuild/protobuf";
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { isReflectMessage, reflect } from "@bufbuild/protobuf/reflect";
import type { ReflectMessage } from "@bufbuild/protobuf/reflect";
import { sizeDelimitedDecodeStream } from "@bufbuild/protobuf/wire";

import { JsonFidelitySchema } from "./bridge/v1/fidelity_pb.js";
import { ClientEventSchema, ServerEventSchema } from "./bridge/v1/realtime_pb.js";
import type { ClientEvent, ServerEvent } from "./bridge/v1/realtime_pb.js";
import { SessionRecordSchema } from "./bridge/v1/session_pb.js";

/** What the program prints for one message (the keys the Go and Java readers print). */
interface Read {
  direction: string;
  type: string;
  member: string; // the member of the event oneof that is set, by its .proto name; "" for none
  event_id: string | null;
  received_unix_nano?: bigint;
  audio_length?: number;
  audio_sha256?: string;
  total_tokens?: bigint;
  // Every JsonFidelity in the message that records something, by the path of .proto field names
  // that leads to it ("" for the top level).
  fidelity: Record<string, Fidelity>;
}

/** What one JsonFidelity records that a consumer may look at. */
interface Fidelity {
  null_fields: number[];
  unknown_keys: Record<string, string>;
}

function audio(out: Read, data: Uint8Array): void {
  out.audio_length = data.length;
  out.audio_sha256 = createHash("sha256").update(data).digest("hex");
}

// docs/consumers.md shows the code from here to "end of what docs/consumers.md shows", byte for byte.

// readDelimited reads a file of varint-length-delimited messages of one type, one at a time.
function readDelimited<Desc extends DescMessage>(schema: Desc, path: string): AsyncIterable<MessageShape<Desc>> {
  return sizeDelimitedDecodeStream(schema, fs.createReadStream(path)); // throws "incomplete data" on a cut file
}

// readServerEvent reads the fields a consumer of the server's events usually wants.
function readServerEvent(event: ServerEvent, out: Read): void {
  out.type = event.type ?? "";
  if (event.event.case === "responseOutputAudioDelta") {
    audio(out, event.event.value.delta ?? new Uint8Array()); // raw audio bytes: no base64 to decode
  }
  const usage = event.response?.usage; // message fields are undefined when unset
  if (usage !== undefined) {
    out.total_tokens = usage.totalTokens ?? 0n; // int64 is a bigint
  }
}

// end of what docs/consumers.md shows.

function readClientEvent(event: ClientEvent, out: Read): void {
  out.type = event.type ?? "";
  if (event.event.case === "inputAudioBufferAppend") {
    audio(out, event.event.value.audio ?? new Uint8Array());
  }
}

const utf8 = new TextDecoder();

/** Collects the JsonFidelity messages under message that record something. */
function fidelity(message: ReflectMessage, path: string[], found: Record<string, Fidelity>): void {
  const held = message.message;
  if (isMessage(held, JsonFidelitySchema)) {
    if (held.nullFields.length > 0 || Object.keys(held.unknownKeys).length > 0) {
      found[path.slice(0, -1).join(".")] = {
        null_fields: [...held.nullFields].sort((a, b) => a - b),
        unknown_keys: Object.fromEntries(Object.entries(held.unknownKeys).map(([key, value]) => [key, utf8.decode(value)])),
      };
    }
    return;
  }
  for (const field of message.fields) {
    if (!message.isSet(field)) {
      continue;
    }
    if (field.fieldKind === "message") {
      fidelity(message.get(field), [...path, field.name], found);
    } else if (field.fieldKind === "list" && field.listKind === "message") {
      let index = 0;
      for (const item of message.get(field)) {
        if (isReflectMessage(item)) {
          fidelity(item, [...path, field.name, String(index)], found);
        }
        index++;
      }
    }
  }
}

/** Fills what every event has: its direction, the oneof member, event_id, the fidelity records. */
function describe(direction: string, event: ReflectMessage, eventId: string | undefined, out: Read): void {
  const oneof = event.oneofs.find((o) => o.name === "event");
  out.direction = direction;
  out.member = (oneof && event.oneofCase(oneof)?.name) ?? "";
  out.event_id = eventId ?? null;
  out.fidelity = {};
  fidelity(event, [], out.fidelity);
}

function server(event: ServerEvent, out: Read): void {
  readServerEvent(event, out);
  describe("server", reflect(ServerEventSchema, event), event.eventId, out);
}

function client(event: ClientEvent, out: Read): void {
  readClientEvent(event, out);
  describe("client", reflect(ClientEventSchema, event), event.eventId, out);
}

/** JSON text of value, int64 and fixed64 (bigints) as exact numbers, which JSON.stringify cannot write. */
function json(value: unknown): string {
  if (typeof value === "bigint") {
    return value.toString();
  }
  if (Array.isArray(value)) {
    return `[${value.map(json).join(",")}]`;
  }
  if (value !== null && typeof value === "object") {
    const members = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${json(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function empty(): Read {
  return { direction: "", type: "", member: "", event_id: null, fidelity: {} };
}

async function main(kind: string, path: string): Promise<void> {
  const print = (out: Read): boolean => process.stdout.write(json(out) + "\n");
  if (kind === "server") {
    for await (const event of readDelimited(ServerEventSchema, path)) {
      const out = empty();
      server(event, out);
      print(out);
    }
  } else if (kind === "client") {
    for await (const event of readDelimited(ClientEventSchema, path)) {
      const out = empty();
      client(event, out);
      print(out);
    }
  } else {
    for await (const record of readDelimited(SessionRecordSchema, path)) {
      const out = empty();
      out.received_unix_nano = record.receivedUnixNano;
      if (record.event.case === "serverEvent") {
        server(record.event.value, out);
      } else if (record.event.case === "clientEvent") {
        client(record.event.value, out);
      }
      print(out);
    }
  }
}

const [kind, path] = process.argv.slice(2);
if (kind === undefined || path === undefined || !["server", "client", "session"].includes(kind)) {
  process.stderr.write("usage: node read_log.js server|client|session FILE\n");
  process.exit(2);
}
main(kind, path).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

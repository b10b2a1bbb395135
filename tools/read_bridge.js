// Reads the bridge's protobuf bytes in Node with protobufjs, as a TypeScript/JavaScript service
// would, and prints what it decoded (tests/test_cross_language.py runs it).
//
//   node tools/read_bridge.js descriptor|proto REPO_ROOT < input.json
//
// The schema comes from the published descriptor set (proto/realtime-bridge.binpb, "descriptor")
// or from the .proto files themselves ("proto"). input.json is {"messages": [base64 of one
// ServerEvent, ...], "delimited": base64 of a length-delimited stream of ServerEvents, as
// `rtbridge decode --server` writes, "session": base64 of a stream of SessionRecords, as
// `rtbridge decode` writes}. The output is, for each message, the decoded object (int64 as decimal
// strings, enums by name, bytes as base64, unset fields left out) and the message encoded again by
// protobufjs.
"use strict";

const fs = require("fs");
const path = require("path");
const protobuf = require("protobufjs");
const descriptor = require("protobufjs/ext/descriptor");

function load(mode, root) {
  if (mode === "descriptor") {
    const set = descriptor.FileDescriptorSet.decode(fs.readFileSync(path.join(root, "proto", "realtime-bridge.binpb")));
    return protobuf.Root.fromDescriptor(set);
  }
  if (mode === "proto") {
    const bundled = path.dirname(require.resolve("protobufjs/package.json"));
    const schema = new protobuf.Root();
    // bridge/v1/... from proto/, google/protobuf/descriptor.proto from protobufjs's own copy.
    schema.resolvePath = (origin, target) =>
      target.startsWith("google/protobuf/") ? path.join(bundled, target) : path.join(root, "proto", target);
    schema.loadSync(["bridge/v1/realtime.proto", "bridge/v1/service.proto", "bridge/v1/session.proto"], {
      keepCase: true,
    });
    return schema;
  }
  throw new Error(`unknown mode ${mode}`);
}

function describe(type, message) {
  return {
    object: type.toObject(message, { longs: String, enums: String, bytes: String, defaults: false, oneofs: true }),
    reencoded: Buffer.from(type.encode(message).finish()).toString("base64"),
  };
}

const [mode, root] = process.argv.slice(2);
const schema = load(mode, root);
schema.resolveAll();
const ServerEvent = schema.lookupType("realtime.bridge.v1.ServerEvent");
const input = JSON.parse(fs.readFileSync(0, "utf8"));

const single = input.messages.map((b64) => describe(ServerEvent, ServerEvent.decode(Buffer.from(b64, "base64"))));
function readDelimited(type, b64) {
  const out = [];
  const reader = protobuf.Reader.create(Buffer.from(b64 || "", "base64"));
  while (reader.pos < reader.len) {
    out.push(describe(type, type.decodeDelimited(reader)));
  }
  return out;
}
const delimited = readDelimited(ServerEvent, input.delimited);
const session = readDelimited(schema.lookupType("realtime.bridge.v1.SessionRecord"), input.session);
const version = protobuf.util.isNode ? require("protobufjs/package.json").version : "?";
process.stdout.write(JSON.stringify({ protobufjs: version, single, delimited, session }));

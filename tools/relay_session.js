// Runs one Realtime session through the bridge's session relay from Node, with @grpc/grpc-js and
// the types @grpc/proto-loader builds from proto/ (tests/test_relay_node.py runs it against a relay
// in front of a test upstream; docs/consumers.md shows its marked part).
//
//   node tools/relay_session.js HOST:PORT MODEL AUDIO_FILE
//
// It opens realtime.bridge.v1.SessionService/Connect, sends `open` (the model), and, once the relay
// says the upstream is connected, a typed `input_audio_buffer.append` whose `audio` is the raw PCM16
// bytes of AUDIO_FILE (no base64: the relay writes the JSON), then `response.create`. It half-closes
// after `response.done` and ends when the relay's `ended` message and the call's status have come.
// The events are messages of the schema's types both ways; no JSON is read or written for them.
//
// What it prints, one JSON line each, for the test: {"grpc_js": version}, {"connected": session id},
// per server event {"type", "event": the oneof member, "delta": hex of an audio delta's bytes},
// per rejected client event {"rejected": sequence, "error": message}, {"ended": the SessionEnded
// fields}, and {"status": the call's gRPC status code}. Exit status 1 on a call error.
"use strict";

const fs = require("fs");
const path = require("path");
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");

function print(line) {
  process.stdout.write(JSON.stringify(line) + "\n");
}

const [address, model, audioFile] = process.argv.slice(2);
if (!audioFile) {
  process.stderr.write("usage: node relay_session.js HOST:PORT MODEL AUDIO_FILE\n");
  process.exit(2);
}
print({ grpc_js: require("@grpc/grpc-js/package.json").version });
const audio = fs.readFileSync(audioFile); // a Buffer of PCM16 samples

// docs/consumers.md shows this part.

// The schema's types, from the .proto files (keepCase: the .proto's field names). Messages are
// plain objects checked and encoded by those types; bytes fields are Buffers, and a oneof's
// virtual field (oneofs: true) names the member that is set.
const definition = protoLoader.loadSync("bridge/v1/session_service.proto", {
  includeDirs: [path.join(__dirname, "..", "proto")],
  keepCase: true,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: true,
});
const { SessionService } = grpc.loadPackageDefinition(definition).realtime.bridge.v1;

const client = new SessionService(address, grpc.credentials.createInsecure());
const call = client.Connect({ deadline: Date.now() + 60_000 });
call.write({ open: { model } });

call.on("data", (response) => {
  switch (response.response) {
    case "connected":
      print({ connected: response.connected.session_id });
      call.write({ event: { event_id: "append-1", input_audio_buffer_append: { audio } } });
      call.write({ event: { response_create: {} } });
      break;
    case "events":
      for (const event of response.events.events) {
        const line = { type: event.type, event: event.event };
        if (event.event === "response_output_audio_delta") {
          line.delta = event.response_output_audio_delta.delta.toString("hex"); // raw bytes
        }
        print(line);
        if (event.type === "response.done") {
          call.end(); // half-close: the relay closes the upstream and sends `ended`
        }
      }
      break;
    case "rejected":
      print({ rejected: response.rejected.sequence, error: response.rejected.error.message });
      break;
    case "ended":
      print({ ended: response.ended });
      break;
  }
});

// end of what docs/consumers.md shows.

call.on("status", (status) => {
  print({ status: status.code });
  client.close();
});
call.on("error", (error) => {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
});

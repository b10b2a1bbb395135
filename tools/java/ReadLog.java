// Reads a file of the bridge's length-delimited messages, as `rtbridge decode` writes them, with
// Java code that protoc generated from proto/ (--java_out) and Debian's protobuf runtime
// (libprotobuf-java), and prints what it read: one JSON line per message, its fields read through
// the generated getters. tests/test_java_consumer.py compiles it and compares the lines with the
// Python side's values (the same lines as tools/go/readlog prints).
//
//   java -cp protobuf.jar:CLASSES ReadLog server|client|session FILE
//
// "server" reads realtime.bridge.v1.ServerEvent messages (`rtbridge decode --server`), "client"
// ClientEvent messages (`rtbridge decode --client`), "session" SessionRecords (`rtbridge decode`).

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.realtime.bridge.v1.ClientEvent;
import com.realtime.bridge.v1.JsonFidelity;
import com.realtime.bridge.v1.ServerEvent;
import com.realtime.bridge.v1.SessionRecord;
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

public final class ReadLog {
  private ReadLog() {}

  /** What the program prints for one message, as JSON members in order. */
  private static final class Read {
    final Map<String, String> members = new TreeMap<>();
    final Map<String, String> fidelity = new TreeMap<>();

    void put(String key, String json) {
      members.put(key, json);
    }

    void audio(ByteString data) throws NoSuchAlgorithmException {
      byte[] bytes = data.toByteArray();
      StringBuilder hex = new StringBuilder();
      for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
        hex.append(String.format("%02x", b));
      }
      put("audio_length", Integer.toString(bytes.length));
      put("audio_sha256", quote(hex.toString()));
    }

    String json() {
      StringBuilder fid = new StringBuilder("{");
      for (Map.Entry<String, String> e : fidelity.entrySet()) {
        fid.append(fid.length() > 1 ? "," : "").append(quote(e.getKey())).append(':').append(e.getValue());
      }
      members.put("fidelity", fid.append('}').toString());
      StringBuilder out = new StringBuilder("{");
      for (Map.Entry<String, String> e : members.entrySet()) {
        out.append(out.length() > 1 ? "," : "").append(quote(e.getKey())).append(':').append(e.getValue());
      }
      return out.append('}').toString();
    }
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  static void readServerEvent(ServerEvent event, Read out) throws NoSuchAlgorithmException {
    out.put("type", quote(event.getType()));
    if (event.hasResponseOutputAudioDelta()) {
      out.audio(event.getResponseOutputAudioDelta().getDelta()); // raw audio bytes
    }
    if (event.getResponse().hasUsage()) {
      out.put("total_tokens", Long.toString(event.getResponse().getUsage().getTotalTokens()));
    }
    out.put("member", quote(member(event.getEventCase().name())));
    out.put("event_id", event.hasEventId() ? quote(event.getEventId()) : "null");
    describe("server", event, out);
  }

  static void readClientEvent(ClientEvent event, Read out) throws NoSuchAlgorithmException {
    out.put("type", quote(event.getType()));
    if (event.hasInputAudioBufferAppend()) {
      out.audio(event.getInputAudioBufferAppend().getAudio());
    }
    out.put("member", quote(member(event.getEventCase().name())));
    out.put("event_id", event.hasEventId() ? quote(event.getEventId()) : "null");
    describe("client", event, out);
  }

  /** The oneof case's name as the .proto spells the member ("" when none is set). */
  static String member(String eventCase) {
    return eventCase.equals("EVENT_NOT_SET") ? "" : eventCase.toLowerCase(Locale.ROOT);
  }

  static void describe(String direction, Message event, Read out) {
    out.put("direction", quote(direction));
    fidelity(event, new ArrayList<>(), out.fidelity);
  }

  /** Every JsonFidelity under message that records something, by its path of proto field names. */
  static void fidelity(Message message, List<String> path, Map<String, String> found) {
    if (message instanceof JsonFidelity) {
      JsonFidelity f = (JsonFidelity) message;
      if (f.getNullFieldsCount() == 0 && f.getUnknownKeysCount() == 0) {
        return;
      }
      List<Integer> nulls = new ArrayList<>(f.getNullFieldsList());
      Collections.sort(nulls);
      StringBuilder entry = new StringBuilder("{\"null_fields\":").append(nulls.toString().replace(" ", ""));
      entry.append(",\"unknown_keys\":{");
      boolean first = true;
      for (Map.Entry<String, ByteString> e : new TreeMap<>(f.getUnknownKeysMap()).entrySet()) {
        entry.append(first ? "" : ",").append(quote(e.getKey())).append(':').append(quote(e.getValue().toStringUtf8()));
        first = false;
      }
      found.put(String.join(".", path.subList(0, path.size() - 1)), entry.append("}}").toString());
      return;
    }
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor field = e.getKey();
      if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || field.isMapField()) {
        continue;
      }
      List<String> here = new ArrayList<>(path);
      here.add(field.getName());
      if (field.isRepeated()) {
        List<?> items = (List<?>) e.getValue();
        for (int i = 0; i < items.size(); i++) {
          List<String> at = new ArrayList<>(here);
          at.add(Integer.toString(i));
          fidelity((Message) items.get(i), at, found);
        }
      } else {
        fidelity((Message) e.getValue(), here, found);
      }
    }
  }

  public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
    if (args.length != 2) {
      System.err.println("usage: ReadLog server|client|session FILE");
      System.exit(2);
    }
    StringBuilder lines = new StringBuilder();
    try (InputStream in = new BufferedInputStream(new FileInputStream(args[1]))) {
      while (true) {
        Read out = new Read();
        switch (args[0]) {
          case "server": {
            ServerEvent event = ServerEvent.parseDelimitedFrom(in);
            if (event == null) {
              break;
            }
            readServerEvent(event, out);
            lines.append(out.json()).append('\n');
            continue;
          }
          case "client": {
            ClientEvent event = ClientEvent.parseDelimitedFrom(in);
            if (event == null) {
              break;
            }
            readClientEvent(event, out);
            lines.append(out.json()).append('\n');
            continue;
          }
          case "session": {
            SessionRecord record = SessionRecord.parseDelimitedFrom(in);
            if (record == null) {
              break;
            }
            if (record.hasReceivedUnixNano()) {
              out.put("received_unix_nano", Long.toUnsignedString(record.getReceivedUnixNano()));
            }
            if (record.hasServerEvent()) {
              readServerEvent(record.getServerEvent(), out);
            } else if (record.hasClientEvent()) {
              readClientEvent(record.getClientEvent(), out);
            }
            lines.append(out.json()).append('\n');
            continue;
          }
          default:
            System.err.println("unknown kind " + args[0] + ": server, client or session");
            System.exit(2);
        }
        break;
      }
    }
    System.out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
    System.out.flush();
  }
}

// Command readlog reads a file of the bridge's length-delimited messages, as `rtbridge decode`
// writes them, with Go code that protoc generated from proto/, and prints what it read: one JSON
// line per message, its fields read through the generated getters (tests/test_go_consumer.py
// builds it and compares the lines with the Python side's values).
//
//	readlog server|client|session FILE
//
// "server" reads realtime.bridge.v1.ServerEvent messages (`rtbridge decode --server`), "client"
// ClientEvent messages (`rtbridge decode --client`), "session" SessionRecords (`rtbridge decode`).
// It builds in GOPATH mode against Debian's Go packages (golang-google-protobuf-dev), with the
// generated package at realtime/bridge/v1 (the schema's go_package).
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	bridgev1 "realtime/bridge/v1"
)

// docs/consumers.md shows the code from here to "end of what docs/consumers.md shows", byte for byte.

// readDelimited reads the next message of a varint-length-delimited stream into m; io.EOF at the end.
func readDelimited(r *bufio.Reader, m proto.Message) error {
	size, err := binary.ReadUvarint(r)
	if err != nil {
		return err
	}
	buf := make([]byte, size)
	if _, err := io.ReadFull(r, buf); err != nil {
		return io.ErrUnexpectedEOF
	}
	return proto.Unmarshal(buf, m)
}

// readServerEvent reads the fields a consumer of the server's events usually wants.
func readServerEvent(event *bridgev1.ServerEvent, out *Read) {
	out.Type = event.GetType()
	if delta := event.GetResponseOutputAudioDelta(); delta != nil {
		out.audio(delta.GetDelta()) // raw audio bytes: no base64 to decode
	}
	if usage := event.GetResponse().GetUsage(); usage != nil {
		total := usage.GetTotalTokens()
		out.TotalTokens = &total
	}
}

// end of what docs/consumers.md shows.

// Read is what the program prints for one message.
type Read struct {
	Direction        string  `json:"direction"`
	Type             string  `json:"type"`
	Member           string  `json:"member"` // the member of the event oneof that is set, "" for none
	EventID          *string `json:"event_id"`
	ReceivedUnixNano *uint64 `json:"received_unix_nano,omitempty"`
	AudioLength      *int    `json:"audio_length,omitempty"`
	AudioSHA256      string  `json:"audio_sha256,omitempty"`
	TotalTokens      *int64  `json:"total_tokens,omitempty"`
	// Every JsonFidelity in the message that records something, by the path of proto field names
	// that leads to it ("" for the top level).
	Fidelity map[string]Fidelity `json:"fidelity"`
}

// Fidelity is what one JsonFidelity records that a consumer may look at.
type Fidelity struct {
	NullFields  []uint32          `json:"null_fields"`
	UnknownKeys map[string]string `json:"unknown_keys"`
}

func (r *Read) audio(data []byte) {
	n := len(data)
	sum := sha256.Sum256(data)
	r.AudioLength, r.AudioSHA256 = &n, hex.EncodeToString(sum[:])
}

func readClientEvent(event *bridgev1.ClientEvent, out *Read) {
	out.Type = event.GetType()
	if appended := event.GetInputAudioBufferAppend(); appended != nil {
		out.audio(appended.GetAudio())
	}
}

// member names the member of m's "event" oneof that is set.
func member(m proto.Message) string {
	message := m.ProtoReflect()
	if field := message.WhichOneof(message.Descriptor().Oneofs().ByName("event")); field != nil {
		return string(field.Name())
	}
	return ""
}

// fidelity collects the JsonFidelity messages under m that record something.
func fidelity(m protoreflect.Message, path []string, found map[string]Fidelity) {
	if f, ok := m.Interface().(*bridgev1.JsonFidelity); ok {
		if len(f.GetNullFields()) > 0 || len(f.GetUnknownKeys()) > 0 {
			entry := Fidelity{NullFields: append([]uint32{}, f.GetNullFields()...), UnknownKeys: map[string]string{}}
			for key, value := range f.GetUnknownKeys() {
				entry.UnknownKeys[key] = string(value)
			}
			sort.Slice(entry.NullFields, func(i, j int) bool { return entry.NullFields[i] < entry.NullFields[j] })
			found[strings.Join(path[:len(path)-1], ".")] = entry
		}
		return
	}
	m.Range(func(field protoreflect.FieldDescriptor, value protoreflect.Value) bool {
		if field.Kind() != protoreflect.MessageKind || field.IsMap() {
			return true
		}
		here := append(append([]string{}, path...), string(field.Name()))
		if field.IsList() {
			for i := 0; i < value.List().Len(); i++ {
				fidelity(value.List().Get(i).Message(), append(here[:len(here):len(here)], fmt.Sprint(i)), found)
			}
			return true
		}
		fidelity(value.Message(), here, found)
		return true
	})
}

// describe fills what every event has: its direction, the oneof member, event_id, the fidelity records.
func describe(direction string, event proto.Message, eventID *string, out *Read) {
	out.Direction, out.Member, out.EventID = direction, member(event), eventID
	out.Fidelity = map[string]Fidelity{}
	fidelity(event.ProtoReflect(), nil, out.Fidelity)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: readlog server|client|session FILE")
		os.Exit(2)
	}
	file, err := os.Open(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer file.Close()
	r, w := bufio.NewReader(file), json.NewEncoder(os.Stdout)
	for {
		var out Read
		var err error
		switch os.Args[1] {
		case "server":
			event := &bridgev1.ServerEvent{}
			if err = readDelimited(r, event); err == nil {
				readServerEvent(event, &out)
				describe("server", event, event.EventId, &out)
			}
		case "client":
			event := &bridgev1.ClientEvent{}
			if err = readDelimited(r, event); err == nil {
				readClientEvent(event, &out)
				describe("client", event, event.EventId, &out)
			}
		case "session":
			record := &bridgev1.SessionRecord{}
			if err = readDelimited(r, record); err == nil {
				out.ReceivedUnixNano = record.ReceivedUnixNano
				if event := record.GetServerEvent(); event != nil {
					readServerEvent(event, &out)
					describe("server", event, event.EventId, &out)
				} else if event := record.GetClientEvent(); event != nil {
					readClientEvent(event, &out)
					describe("client", event, event.EventId, &out)
				}
			}
		default:
			err = fmt.Errorf("unknown kind %q: server, client or session", os.Args[1])
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := w.Encode(&out); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

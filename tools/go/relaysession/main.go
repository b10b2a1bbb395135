// Command relaysession runs one Realtime session through the bridge's session relay from Go, with
// the client code protoc-gen-go-grpc generated from proto/ (tests/test_go_consumer.py runs it
// against a relay in front of a test upstream, the same session as tools/relay_session.js):
//
//	relaysession HOST:PORT MODEL AUDIO_FILE
//
// It opens realtime.bridge.v1.SessionService/Connect, sends `open` (the model), and, once the relay
// says the upstream is connected, a typed `input_audio_buffer.append` whose Audio is the raw PCM16
// bytes of AUDIO_FILE (no base64: the relay writes the JSON), then `response.create`. It half-closes
// after `response.done` and reads on until the relay's `ended` message and the call's status. The
// events are messages of the generated types both ways; no JSON is read or written for them.
//
// What it prints, one JSON line each, for the test: {"connected": session id}, per server event
// {"type", "event": the oneof member, "delta": hex of an audio delta's bytes}, per rejected client
// event {"rejected": sequence, "error": message}, {"ended": the SessionEnded fields}, and
// {"status": the call's gRPC status code}. Exit status 1 on a call error.
//
// It builds in GOPATH mode against Debian's Go packages, with the codec of tools/go/protocodec that
// Debian's grpc (1.33) needs for today's generated code.
package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"protocodec"
	bridgev1 "realtime/bridge/v1"
)

// Event is what the program prints for one server event.
type Event struct {
	Type  string `json:"type"`
	Event string `json:"event,omitempty"`
	Delta string `json:"delta,omitempty"`
}

// Ended is what it prints of the relay's SessionEnded (counts as decimal strings, as grpc-js gives them).
type Ended struct {
	Outcome               string `json:"outcome"`
	Code                  int32  `json:"code,omitempty"`
	Reason                string `json:"reason,omitempty"`
	ClientEventsSent      uint64 `json:"client_events_sent,string"`
	ServerEventsDelivered uint64 `json:"server_events_delivered,string"`
}

var out = json.NewEncoder(os.Stdout)

func emit(line interface{}) {
	if err := out.Encode(line); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// docs/consumers.md shows this part.

// session runs the session on an open stream: open, then (once connected) the audio and a response
// request; half-close after response.done, and read on to the end.
func session(stream bridgev1.SessionService_ConnectClient, model string, audio []byte) error {
	open := &bridgev1.SessionOpen{Model: model}
	if err := stream.Send(&bridgev1.ConnectRequest{Request: &bridgev1.ConnectRequest_Open{Open: open}}); err != nil {
		return err
	}
	for {
		response, err := stream.Recv()
		if err == io.EOF {
			return nil // the status was OK
		}
		if err != nil {
			return err
		}
		switch r := response.GetResponse().(type) {
		case *bridgev1.ConnectResponse_Connected:
			emit(map[string]string{"connected": r.Connected.GetSessionId()})
			appendAudio := &bridgev1.ClientEvent{
				EventId: proto.String("append-1"),
				Event: &bridgev1.ClientEvent_InputAudioBufferAppend{
					InputAudioBufferAppend: &bridgev1.InputAudioBufferAppendEvent{Audio: audio}, // raw PCM16
				},
			}
			create := &bridgev1.ClientEvent{
				Event: &bridgev1.ClientEvent_ResponseCreate{ResponseCreate: &bridgev1.ResponseCreateEvent{}},
			}
			for _, event := range []*bridgev1.ClientEvent{appendAudio, create} {
				if err := stream.Send(&bridgev1.ConnectRequest{Request: &bridgev1.ConnectRequest_Event{Event: event}}); err != nil {
					return err
				}
			}
		case *bridgev1.ConnectResponse_Events:
			for _, event := range r.Events.GetEvents() {
				line := Event{Type: event.GetType()}
				// The oneof member that is set, by its .proto name.
				if member := event.ProtoReflect().WhichOneof(eventOneof); member != nil {
					line.Event = string(member.Name())
				}
				if delta := event.GetResponseOutputAudioDelta(); delta != nil {
					line.Delta = hex.EncodeToString(delta.GetDelta()) // raw audio bytes
				}
				emit(line)
				if event.GetType() == "response.done" {
					if err := stream.CloseSend(); err != nil { // the relay closes the upstream, then `ended`
						return err
					}
				}
			}
		case *bridgev1.ConnectResponse_Rejected:
			emit(map[string]interface{}{"rejected": r.Rejected.GetSequence(), "error": r.Rejected.GetError().GetMessage()})
		case *bridgev1.ConnectResponse_Ended:
			ended := r.Ended
			emit(map[string]Ended{"ended": {
				Outcome: ended.GetOutcome().String(), Code: ended.GetCode(), Reason: ended.GetReason(),
				ClientEventsSent: ended.GetClientEventsSent(), ServerEventsDelivered: ended.GetServerEventsDelivered(),
			}})
		}
	}
}

// end of what docs/consumers.md shows.

var eventOneof = (&bridgev1.ServerEvent{}).ProtoReflect().Descriptor().Oneofs().ByName("event")

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: relaysession HOST:PORT MODEL AUDIO_FILE")
		os.Exit(2)
	}
	audio, err := ioutil.ReadFile(os.Args[3])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := grpc.DialContext(ctx, os.Args[1], grpc.WithInsecure(), grpc.WithBlock(),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(protocodec.Codec{})))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer conn.Close()
	stream, err := bridgev1.NewSessionServiceClient(conn).Connect(ctx)
	if err == nil {
		err = session(stream, os.Args[2], audio)
	}
	emit(map[string]uint32{"status": uint32(status.Code(err))})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

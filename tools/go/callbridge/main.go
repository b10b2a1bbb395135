// Command callbridge calls the bridge's gRPC service from Go, with the client code protoc-gen-go-grpc
// generated from proto/: one EventFromJson call per line of standard input (the JSON of one server
// event), and one JSON line printed per call: what the answer's ServerEvent holds, or the error's
// status code and the google.rpc.BadRequest field violations it carries (tests/test_go_consumer.py
// starts the service and compares the lines with the Python side's).
//
//	callbridge HOST:PORT [strict] < events.jsonl
//	callbridge HOST:PORT [strict] batch N < events.jsonl
//
// With `batch N`, the lines go through one StreamEventsFromJson stream instead, N to a JsonBatch
// message (the last one holding what is left), and each result prints as a call's answer would, its
// error result's violations in place of the status's, with the result's sequence and the index of
// the response message that carried it.
//
// It builds in GOPATH mode against Debian's Go packages (golang-google-grpc-dev and
// golang-google-genproto-dev for errdetails), with the codec of tools/go/protocodec that Debian's
// grpc (1.33) needs for today's generated code.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"protocodec"
	bridgev1 "realtime/bridge/v1"
)

// Answer is what the program prints for one call.
type Answer struct {
	Code        string      `json:"code"`
	Type        string      `json:"type,omitempty"`
	AudioLength *int        `json:"audio_length,omitempty"`
	TotalTokens *int64      `json:"total_tokens,omitempty"`
	Violations  [][2]string `json:"violations,omitempty"` // [field, description], in order
	Sequence    *uint64     `json:"sequence,omitempty"`   // (batch) the result's position in the stream
	Response    *int        `json:"response,omitempty"`   // (batch) which response message carried it
}

func call(client bridgev1.BridgeServiceClient, line []byte, strict bool) Answer {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	reply, err := client.EventFromJson(ctx, &bridgev1.EventFromJsonRequest{Json: line, Strict: strict})
	if err != nil {
		answer := Answer{Code: status.Code(err).String()}
		for _, detail := range status.Convert(err).Details() {
			if bad, ok := detail.(*errdetails.BadRequest); ok {
				for _, v := range bad.GetFieldViolations() {
					answer.Violations = append(answer.Violations, [2]string{v.GetField(), v.GetDescription()})
				}
			}
		}
		return answer
	}
	return read(reply.GetEvent())
}

// read is the answer for a converted event.
func read(event *bridgev1.ServerEvent) Answer {
	answer := Answer{Code: "OK", Type: event.GetType()}
	if delta := event.GetResponseOutputAudioDelta(); delta != nil {
		n := len(delta.GetDelta())
		answer.AudioLength = &n
	}
	if usage := event.GetResponse().GetUsage(); usage != nil {
		total := usage.GetTotalTokens()
		answer.TotalTokens = &total
	}
	return answer
}

// stream sends lines through one StreamEventsFromJson stream, size to a batch, and prints each
// result as it comes; the sending runs beside the reading, as a live feed would.
func stream(client bridgev1.BridgeServiceClient, lines [][]byte, size int, strict bool, out *json.Encoder) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	events, err := client.StreamEventsFromJson(ctx)
	if err != nil {
		return err
	}
	sent := make(chan error, 1)
	go func() {
		for start := 0; start < len(lines); start += size {
			end := start + size
			if end > len(lines) {
				end = len(lines)
			}
			batch := &bridgev1.JsonBatch{Json: lines[start:end]}
			request := &bridgev1.StreamEventsFromJsonRequest{Input: &bridgev1.StreamEventsFromJsonRequest_Batch{Batch: batch}, Strict: strict}
			if err := events.Send(request); err != nil {
				sent <- err
				return
			}
		}
		sent <- events.CloseSend()
	}()
	for response := 0; ; response++ {
		reply, err := events.Recv()
		if err == io.EOF {
			return <-sent
		}
		if err != nil {
			return err
		}
		results := reply.GetResults()
		if len(results) == 0 { // the answer to a single event: the reply is the result
			results = []*bridgev1.StreamEventsFromJsonResponse{reply}
		}
		for _, result := range results {
			var answer Answer
			if failed := result.GetError(); failed != nil {
				answer = Answer{Code: codes.Code(failed.GetCode()).String()}
				for _, v := range failed.GetViolations() {
					answer.Violations = append(answer.Violations, [2]string{v.GetPath(), v.GetMessage()})
				}
			} else {
				answer = read(result.GetEvent())
			}
			sequence, carrier := result.GetSequence(), response
			answer.Sequence, answer.Response = &sequence, &carrier
			if err := out.Encode(answer); err != nil {
				return err
			}
		}
	}
}

func main() {
	args, size := os.Args[1:], 0
	if n := len(args); n >= 3 && args[n-2] == "batch" {
		var err error
		if size, err = strconv.Atoi(args[n-1]); err != nil || size < 1 {
			fmt.Fprintln(os.Stderr, "batch: a number of events, at least 1")
			os.Exit(2)
		}
		args = args[:n-2]
	}
	if len(args) < 1 || len(args) > 2 || (len(args) == 2 && args[1] != "strict") {
		fmt.Fprintln(os.Stderr, "usage: callbridge HOST:PORT [strict] [batch N] < events.jsonl")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	conn, err := grpc.DialContext(ctx, args[0], grpc.WithInsecure(), grpc.WithBlock(),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(protocodec.Codec{})))
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer conn.Close()
	client, strict := bridgev1.NewBridgeServiceClient(conn), len(args) == 2
	lines, out := bufio.NewScanner(os.Stdin), json.NewEncoder(os.Stdout)
	lines.Buffer(make([]byte, 1<<20), 64<<20)
	var batched [][]byte
	for lines.Scan() {
		if size > 0 {
			batched = append(batched, append([]byte(nil), lines.Bytes()...))
		} else if err := out.Encode(call(client, lines.Bytes(), strict)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	err = lines.Err()
	if err == nil && size > 0 {
		err = stream(client, batched, size, strict, out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// A hashicorp/yamux peer for the interoperability tests of @icerpc-ts/yamux.
//
// It runs one yamux session over TCP, as the server (it listens and prints "listening <port>") or as the client
// (it dials). Each stream the TypeScript side opens starts with a command line; streams this peer opens (command
// "open") expect the TypeScript side to echo them. The process exits once the session is closed.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/yamux"
)

var (
	session *yamux.Session
	// resets counts the streams whose reads failed because the TypeScript side reset them.
	resets      int
	resetsMutex sync.Mutex
	resetsCond  = sync.NewCond(&resetsMutex)
)

func main() {
	role := flag.String("role", "server", "server (listen) or client (dial)")
	addr := flag.String("addr", "127.0.0.1:0", "the address to listen on or dial")
	backlog := flag.Int("backlog", 256, "yamux AcceptBacklog")
	window := flag.Int("window", 256*1024, "yamux MaxStreamWindowSize")
	keepAlive := flag.Duration("keepalive", 30*time.Second, "yamux KeepAliveInterval")
	noAccept := flag.Bool("noaccept", false, "never accept streams (to fill the accept backlog)")
	flag.Parse()

	config := yamux.DefaultConfig()
	config.AcceptBacklog = *backlog
	config.MaxStreamWindowSize = uint32(*window)
	config.KeepAliveInterval = *keepAlive
	config.LogOutput = os.Stderr

	var conn net.Conn
	var err error
	if *role == "server" {
		listener, err := net.Listen("tcp", *addr)
		check(err)
		fmt.Printf("listening %d\n", listener.Addr().(*net.TCPAddr).Port)
		conn, err = listener.Accept()
		check(err)
		listener.Close()
		session, err = yamux.Server(conn, config)
	} else {
		conn, err = net.Dial("tcp", *addr)
		check(err)
		session, err = yamux.Client(conn, config)
	}
	check(err)

	if !*noAccept {
		go func() {
			for {
				stream, err := session.AcceptStream()
				if err != nil {
					return
				}
				go handle(stream)
			}
		}()
	}
	<-session.CloseChan()
	fmt.Println("session closed")
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "yamux-peer:", err)
		os.Exit(1)
	}
}

// pattern returns the byte at offset i of the deterministic stream "source" sends (the tests compute the same).
func pattern(i int64, seed int64) byte {
	return byte((i*7 + i/251 + seed) & 0xff)
}

func countReset(err error) {
	if errors.Is(err, yamux.ErrConnectionReset) {
		resetsMutex.Lock()
		resets++
		resetsCond.Broadcast()
		resetsMutex.Unlock()
	}
}

// waitResets waits until at least count resets were seen, or 10 seconds passed; returns the count.
func waitResets(count int) int {
	timer := time.AfterFunc(10*time.Second, func() {
		resetsMutex.Lock()
		resetsCond.Broadcast()
		resetsMutex.Unlock()
	})
	defer timer.Stop()
	deadline := time.Now().Add(10 * time.Second)
	resetsMutex.Lock()
	defer resetsMutex.Unlock()
	for resets < count && time.Now().Before(deadline) {
		resetsCond.Wait()
	}
	return resets
}

// waitStreams waits up to 10 s for the session to track at most `most` streams and returns how many it tracks.
// hashicorp/yamux sends a stream's FIN before it forgets the stream, so a stream whose FIN the TypeScript side has
// seen may still be counted for a moment; the session signals no removal, hence the polling.
func waitStreams(most int) int {
	deadline := time.Now().Add(10 * time.Second)
	for session.NumStreams() > most && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	return session.NumStreams()
}

func handle(stream *yamux.Stream) {
	defer stream.Close()
	reader := bufio.NewReader(stream)
	line, err := reader.ReadString('\n')
	if err != nil {
		countReset(err)
		return
	}
	args := strings.Fields(line)
	if len(args) == 0 {
		return
	}
	switch args[0] {
	case "echo": // copies the stream back until its FIN, then FIN
		if _, err := io.Copy(stream, reader); err != nil {
			countReset(err)
		}
	case "sink": // reads to the FIN, answers "<bytes> <sha256>"
		hash := sha256.New()
		n, err := io.Copy(hash, reader)
		if err != nil {
			countReset(err)
			return
		}
		fmt.Fprintf(stream, "%d %x\n", n, hash.Sum(nil))
	case "source": // source <bytes> <seed>: sends the pattern, then FIN
		size, _ := strconv.ParseInt(args[1], 10, 64)
		seed, _ := strconv.ParseInt(args[2], 10, 64)
		buffer := make([]byte, 64*1024)
		for sent := int64(0); sent < size; {
			n := int64(len(buffer))
			if size-sent < n {
				n = size - sent
			}
			for i := int64(0); i < n; i++ {
				buffer[i] = pattern(sent+i, seed)
			}
			if _, err := stream.Write(buffer[:n]); err != nil {
				return
			}
			sent += n
		}
	case "ping": // pings the TypeScript side
		if rtt, err := session.Ping(); err != nil {
			fmt.Fprintf(stream, "error %v\n", err)
		} else {
			fmt.Fprintf(stream, "ok %d\n", rtt.Nanoseconds())
		}
	case "open": // open <streams> <bytes>: opens streams the TypeScript side echoes, concurrently, and checks them
		count, _ := strconv.Atoi(args[1])
		size, _ := strconv.Atoi(args[2])
		fmt.Fprintln(stream, openAndCheck(count, size))
	case "goaway":
		if err := session.GoAway(); err != nil {
			fmt.Fprintf(stream, "error %v\n", err)
		} else {
			fmt.Fprintln(stream, "ok")
		}
	case "resets": // resets <count>: waits for that many streams reset by the TypeScript side
		count, _ := strconv.Atoi(args[1])
		fmt.Fprintf(stream, "resets %d\n", waitResets(count))
	case "streams": // streams <at most>: the streams the Go session tracks (this one included), once they are that few
		most, _ := strconv.Atoi(args[1])
		fmt.Fprintf(stream, "streams %d\n", waitStreams(most))
	case "exit-goaway": // GoAway, then the end of the connection: the TypeScript side sees a graceful close
		stream.Close()
		session.GoAway()
		session.Close()
	case "exit-abort": // the end of the connection without GoAway
		stream.Close()
		session.Close()
	default:
		fmt.Fprintf(stream, "error unknown command %q\n", args[0])
	}
}

func openAndCheck(count int, size int) string {
	var wait sync.WaitGroup
	errs := make(chan error, count)
	for i := 0; i < count; i++ {
		wait.Add(1)
		go func(seed int64) {
			defer wait.Done()
			stream, err := session.OpenStream()
			if err != nil {
				errs <- err
				return
			}
			data := make([]byte, size)
			for j := range data {
				data[j] = pattern(int64(j), seed)
			}
			go stream.Write(data)
			// This yamux version's reads end as soon as the stream is closed locally (no half-close for reading):
			// read the whole echo first, then send the FIN, after which the TypeScript side ends the stream.
			echoed := make([]byte, size)
			_, err = io.ReadFull(stream, echoed)
			stream.Close()
			if err != nil {
				errs <- err
			} else if !bytes.Equal(echoed, data) {
				errs <- fmt.Errorf("stream %d: the echo differs from the %d bytes sent", stream.StreamID(), size)
			} else if _, err := io.ReadAll(stream); err != nil {
				errs <- err
			}
		}(int64(i))
	}
	wait.Wait()
	close(errs)
	for err := range errs {
		return "error " + err.Error()
	}
	return "ok " + strconv.Itoa(count)
}

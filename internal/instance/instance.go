// Package instance keeps Keyshelf to one running copy per user and per vault
// file. The first copy to start listens on a local endpoint of its own user;
// a later start asks it, over that endpoint, to show its window, and exits.
//
// The endpoint is a Unix domain socket in a directory only the user may
// enter (mode 0700 and owned by the user: under $XDG_RUNTIME_DIR, else the
// user cache folder; unix.go), or on Windows a named pipe whose security
// descriptor lets in only the user, with remote clients refused
// (windows.go). Never a TCP port. The socket or pipe is named after a hash
// of the vault file's path, so that two vaults may each have their copy.
//
// The wire format is one line each way, at most MaxLine bytes:
//
//	request:  "keyshelf 1 show\n"
//	answer:   "keyshelf 1 ok\n"  (or "bad", "unsupported", "unknown")
//
// The number is the protocol version. Nothing else is ever sent: no key,
// no passphrase, no path. A peer that sends more, sends garbage or stalls is
// cut off after a deadline (Endpoint.Timeout), and the server never blocks
// on one peer. A socket left behind by a copy that crashed is found to have
// no listener and replaced, under a lock file, so that of two copies that
// start at once exactly one listens and the other hands over.
//
// The package reads and writes only its own directory (the socket and a
// lock file beside it); it imports no Fyne: the caller hands the request to
// the window's goroutine.
package instance

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Version is the protocol version this package speaks.
const Version = 1

// MaxLine is the longest request or answer, newline included.
const MaxLine = 64

// DefaultTimeout bounds each exchange, from connecting to the answer, when
// Endpoint.Timeout is zero. It also gives a copy that is still starting
// (its window not built yet) time to answer.
const DefaultTimeout = 3 * time.Second

// maxConns is how many peers a Server talks to at once; more are closed
// at once.
const maxConns = 8

const magic = "keyshelf"

// Command is what a request asks of the running copy.
type Command string

// Show asks the running copy to bring its window to the front.
const Show Command = "show"

// known reports whether c is a command this version understands.
func known(c Command) bool { return c == Show }

// Answers a server gives.
const (
	answerOK          = "ok"
	answerBad         = "bad"         // not a request line
	answerUnsupported = "unsupported" // another protocol version
	answerUnknown     = "unknown"     // a command this version does not know
)

var (
	// ErrNotRunning means no copy listens at the endpoint.
	ErrNotRunning = errors.New("keyshelf is not running")
	// ErrNoAnswer means a copy listens but did not answer in time.
	ErrNoAnswer = errors.New("the running keyshelf did not answer")
	// ErrTaken means a live copy already listens at the endpoint (Claim).
	ErrTaken = errors.New("another keyshelf listens there")
)

// Endpoint is where the running copy for one vault file listens.
type Endpoint struct {
	// Path is the socket file (Unix) or the pipe's name (Windows).
	Path string
	// Timeout bounds one exchange each side; zero means DefaultTimeout.
	Timeout time.Duration
}

func (e Endpoint) timeout() time.Duration {
	if e.Timeout > 0 {
		return e.Timeout
	}
	return DefaultTimeout
}

// ForVault is the endpoint of this user's copy for the vault file at
// vaultPath (made absolute, symbolic links resolved when it exists). It
// creates the endpoints' directory when needed and refuses one that other
// users could enter.
func ForVault(vaultPath string) (Endpoint, error) {
	dir, err := userDir()
	if err != nil {
		return Endpoint{}, err
	}
	return endpointIn(dir, vaultPath)
}

// vaultKey names a vault file's endpoint: a hash of its absolute path, so
// that the name says nothing about the file and has a fixed length.
func vaultKey(vaultPath string) (string, error) {
	p, err := filepath.Abs(vaultPath)
	if err != nil {
		return "", fmt.Errorf("vault path: %w", err)
	}
	if real, err := filepath.EvalSymlinks(p); err == nil {
		p = real
	}
	sum := sha256.Sum256([]byte(p))
	return "vault-" + hex.EncodeToString(sum[:8]), nil
}

// Start makes this process the running copy at e, or hands cmd to the copy
// already running there. It returns a Server when this process is the
// first; a nil Server and a nil error when the running copy took cmd (the
// caller should then exit); an error when the running copy could not be
// reached (ErrNoAnswer: it is there but hangs) or the endpoint could not be
// made.
func (e Endpoint) Start(cmd Command) (*Server, error) {
	for range 3 {
		err := e.Send(cmd)
		if err == nil {
			return nil, nil
		}
		if !errors.Is(err, ErrNotRunning) {
			return nil, err
		}
		srv, err := e.Claim()
		if err == nil {
			return srv, nil
		}
		if !errors.Is(err, ErrTaken) {
			return nil, err
		}
		// Another copy won the race since Send looked: ask it.
	}
	return nil, fmt.Errorf("%w: it keeps going away and coming back", ErrNoAnswer)
}

// Send asks the copy running at e to carry out cmd and waits for its
// answer. ErrNotRunning means none runs there.
func (e Endpoint) Send(cmd Command) error {
	if !known(cmd) {
		return fmt.Errorf("unknown command %q", cmd)
	}
	conn, err := dial(e.Path, e.timeout())
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(e.timeout()))
	if _, err := io.WriteString(conn, magic+" "+strconv.Itoa(Version)+" "+string(cmd)+"\n"); err != nil {
		return noAnswer(err)
	}
	line, err := readLine(conn)
	if err != nil {
		return noAnswer(err)
	}
	f := strings.Fields(line)
	if len(f) != 3 || f[0] != magic || f[1] != strconv.Itoa(Version) {
		return fmt.Errorf("%w: it sent something else than an answer", ErrNoAnswer)
	}
	if f[2] != answerOK {
		return fmt.Errorf("the running keyshelf refused %q: %s", cmd, f[2])
	}
	return nil
}

func noAnswer(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("%w in time", ErrNoAnswer)
	}
	return fmt.Errorf("%w: %w", ErrNoAnswer, err)
}

// readLine reads one line of at most MaxLine bytes, without its newline.
func readLine(r io.Reader) (string, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, MaxLine), MaxLine)
	line, err := br.ReadString('\n')
	if err != nil {
		if errors.Is(err, io.EOF) && len(line) >= MaxLine {
			return "", errors.New("line too long")
		}
		if errors.Is(err, io.EOF) {
			return "", io.ErrUnexpectedEOF
		}
		return "", err
	}
	return strings.TrimSuffix(line, "\n"), nil
}

// parseRequest checks a request line and returns its command, or the
// answer that refuses it.
func parseRequest(line string) (Command, string) {
	f := strings.Split(line, " ")
	if len(f) != 3 || f[0] != magic {
		return "", answerBad
	}
	v, err := strconv.Atoi(f[1])
	if err != nil || v < 1 || strconv.Itoa(v) != f[1] {
		return "", answerBad
	}
	if v != Version {
		return "", answerUnsupported
	}
	cmd := Command(f[2])
	if !known(cmd) {
		return "", answerUnknown
	}
	return cmd, answerOK
}

// Server is the running copy's end of the endpoint.
type Server struct {
	ln      net.Listener
	timeout time.Duration
	slots   chan struct{}

	mu     sync.Mutex // serialises handler calls
	once   sync.Once
	served sync.Once
	closed chan struct{}
	wg     sync.WaitGroup

	connMu sync.Mutex
	conns  map[net.Conn]struct{} // the peers being served, closed by Close
}

func newServer(ln net.Listener, timeout time.Duration) *Server {
	return &Server{
		ln: ln, timeout: timeout,
		slots:  make(chan struct{}, maxConns),
		closed: make(chan struct{}),
		conns:  make(map[net.Conn]struct{}),
	}
}

// track adds conn to the peers being served, or reports false when the
// server is closing.
func (s *Server) track(conn net.Conn) bool {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	select {
	case <-s.closed:
		return false
	default:
	}
	s.conns[conn] = struct{}{}
	return true
}

func (s *Server) untrack(conn net.Conn) {
	s.connMu.Lock()
	delete(s.conns, conn)
	s.connMu.Unlock()
}

// Serve starts answering requests in the background and calls handle with
// each valid one, one call at a time, before answering. handle must not
// block for long: hand the work to the window's goroutine (fyne.Do).
// Requests that arrived before Serve wait for it (up to their timeout).
// Call Serve once.
func (s *Server) Serve(handle func(Command)) {
	s.served.Do(func() {
		s.wg.Add(1)
		go s.accept(handle)
	})
}

func (s *Server) accept(handle func(Command)) {
	defer s.wg.Done()
	var backoff time.Duration
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			select {
			case <-s.closed:
				return
			default:
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors, or a peer that went away while
			// being accepted: wait a little (as net/http does) rather
			// than spin, and try again.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			select {
			case <-s.closed:
				return
			case <-time.After(backoff):
			}
			continue
		}
		backoff = 0
		select {
		case s.slots <- struct{}{}:
		default:
			conn.Close() // too many at once
			continue
		}
		if !s.track(conn) {
			conn.Close()
			<-s.slots
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() { <-s.slots }()
			defer s.untrack(conn)
			s.serveConn(conn, handle)
		}()
	}
}

func (s *Server) serveConn(conn net.Conn, handle func(Command)) {
	defer conn.Close()
	if !peerAllowed(conn) {
		return
	}
	conn.SetDeadline(time.Now().Add(s.timeout))
	line, err := readLine(conn)
	answer := answerBad
	var cmd Command
	if err == nil {
		cmd, answer = parseRequest(line)
	} else {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, io.ErrUnexpectedEOF) {
			return // stalled or hung up: nobody to answer
		}
	}
	if answer == answerOK {
		s.mu.Lock()
		handle(cmd)
		s.mu.Unlock()
	}
	io.WriteString(conn, magic+" "+strconv.Itoa(Version)+" "+answer+"\n")
}

// Close stops listening, removes the endpoint, hangs up on the peers being
// served and waits until no handler runs.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		s.connMu.Lock()
		close(s.closed)
		for c := range s.conns {
			c.Close()
		}
		s.connMu.Unlock()
		err = s.ln.Close()
		s.wg.Wait()
	})
	return err
}

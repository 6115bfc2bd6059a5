//go:build syncthing

package e2e

// The harness of the Syncthing tests (build tag "syncthing"): two real
// Syncthing devices on 127.0.0.1 sharing one folder, and the keyshelf
// binary run on each as if on two computers.
//
// Run them with `make test-sync`: it builds bin/keyshelf and this test
// binary outside, then runs the test binary inside a network namespace of
// its own that has only loopback (unshare --net), so that nothing can leave
// the machine whatever Syncthing's configuration says; the tests check
// that before they start anything. The configuration switches every
// outside connection off as well (discovery, relays, NAT, STUN, usage and
// crash reports, upgrades) before the first start: generate, edit, start.
// Every wait polls with a deadline; the devices are stopped by PID.
//
// The helpers' names do not clash with the window tests' (fixture, binary,
// withEnv...), so the package also builds with -tags window,syncthing.

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"keyshelf/e2e/internal/fakekeys"
	"keyshelf/vault"
)

const (
	stFolderID = "keyshelf"       // the shared folder's ID
	stVault    = "vault.keyshelf" // the vault's name in the shared folder
	// stConflictGlob matches Syncthing's conflict copies of stVault:
	// vault.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.keyshelf.
	stConflictGlob = "vault.sync-conflict-*.keyshelf"
	stPoll         = 250 * time.Millisecond
)

// stIgnore is the .stignore of each device's shared folder. Syncthing does
// not sync .stignore itself, so each folder gets its own copy.
//
//   - The lock (vault.keyshelf.lock, and one beside any other vault file
//     a command opens there) is per computer: it says that a Keyshelf on
//     this computer has the vault open. Synced, it would tell the other
//     computer nothing true, and each lock taken would be a change to send.
//   - .vault.keyshelf.tmp-* are saves in flight (vault/store writes the new
//     vault there, then renames it over the vault): half-written, gone a
//     moment later. The rename is what Syncthing should see.
//   - The backup (vault.keyshelf.bak, and the .bak.tmp it is made through)
//     is this computer's copy of the vault before its own last save, the
//     undo of a save gone wrong here. Synced, the other computer's save
//     would replace it with the other computer's previous version, and two
//     saves at once would leave conflict copies of the backup beside the
//     ones of the vault. Syncthing's own file versioning is the place for a
//     history across computers.
const stIgnore = `// Keyshelf: per-computer companions of the vault (see e2e/syncthing_harness_test.go).
*.keyshelf.lock
.*.keyshelf.tmp-*
*.keyshelf.bak
*.keyshelf.bak.tmp
`

// requireSyncthingSandbox stops the test unless it runs where Syncthing
// cannot reach beyond this machine: loopback up and no other interface up
// (a private network namespace, as make test-sync makes), and syncthing on
// PATH. With KEYSHELF_REAL_SYNCTHING=1 (make test-sync) it fails instead of
// skipping.
func requireSyncthingSandbox(t *testing.T) {
	t.Helper()
	stop := t.Skipf
	if os.Getenv("KEYSHELF_REAL_SYNCTHING") == "1" {
		stop = t.Fatalf
	}
	ifs, err := net.Interfaces()
	if err != nil {
		stop("list the network interfaces: %v", err)
		return
	}
	loopbackUp := false
	var others []string
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagUp == 0 {
			continue
		}
		if ifc.Flags&net.FlagLoopback != 0 && ifc.Name == "lo" {
			loopbackUp = true
		} else {
			others = append(others, ifc.Name)
		}
	}
	if len(others) > 0 {
		stop("network interfaces other than lo are up (%s): run these tests with `make test-sync`, "+
			"which runs them in a network namespace with only loopback", strings.Join(others, ", "))
		return
	}
	if !loopbackUp {
		stop("the loopback interface lo is not up: `ip link set lo up` in the namespace (make test-sync does)")
		return
	}
	if _, err := exec.LookPath("syncthing"); err != nil {
		stop("syncthing not found: run scripts/install-deps.sh test")
	}
}

// keyshelfBinary is the keyshelf binary the tests run: $KEYSHELF_BINARY,
// else bin/keyshelf of this checkout. make test-sync builds it (make build)
// before it enters the namespace, where the module proxy is out of reach.
func keyshelfBinary(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("KEYSHELF_BINARY")
	if bin == "" {
		bin = filepath.Join(stRepoRoot(), "bin", "keyshelf")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("no keyshelf binary (%v): run `make build`, or set KEYSHELF_BINARY", err)
	}
	return bin
}

// stRepoRoot is the module root: the working folder when it holds go.mod
// (make test-sync runs the test binary from there), else the folder above
// it (go test runs it in the package's folder).
func stRepoRoot() string {
	wd, _ := os.Getwd()
	if _, err := os.Stat(filepath.Join(wd, "go.mod")); err == nil {
		return wd
	}
	return filepath.Dir(wd)
}

// stDevice is one Syncthing device and the computer it stands for: its
// Syncthing home, the shared folder in it, and a HOME for keyshelf.
type stDevice struct {
	t      *testing.T
	name   string // "A" or "B", for messages
	dir    string // everything of this device
	home   string // Syncthing's --home
	folder string // the shared folder, dir/sync
	id     string // the device ID
	listen int    // the sync protocol's port
	gui    int    // the GUI and REST API's port
	apiKey string
	log    string // --logfile
	out    string // Syncthing's stdout and stderr

	cmd    *exec.Cmd
	exited chan struct{}

	ks       string   // the keyshelf binary
	env      []string // keyshelf's environment: this computer's HOME
	passFile string   // the vault's passphrase, outside the shared folder
}

// stPair is two devices sharing the folder stFolderID, and the secrets
// (passphrase and keys) that must never appear in the test's output.
type stPair struct {
	t       *testing.T
	a, b    *stDevice
	pass    string
	mu      sync.Mutex
	secrets []string
}

// newSyncthingPair makes, configures and starts two devices that share
// one folder, and waits until they are connected. Both stop when the test
// ends; if it failed, the end of both devices' logs is printed first.
func newSyncthingPair(t *testing.T) *stPair {
	t.Helper()
	requireSyncthingSandbox(t)
	p := &stPair{t: t, pass: "e2e fake passphrase " + fakekeys.RandomText(16)}
	p.secrets = []string{p.pass}
	ks := keyshelfBinary(t)
	root := t.TempDir()
	ports := freePorts(t, 4)
	p.a = p.newDevice(filepath.Join(root, "A"), "A", ports[0], ports[1], ks)
	p.b = p.newDevice(filepath.Join(root, "B"), "B", ports[2], ports[3], ks)
	for _, d := range []*stDevice{p.a, p.b} {
		d.writeConfig(p.peer(d))
	}
	// One after the other: B is up by the time A starts, and A's first
	// dial is the one that connects them. Started together, both dial at
	// once, and that can cost 20 s (see setPaused).
	start := time.Now()
	for _, d := range []*stDevice{p.b, p.a} {
		d.start()
		t.Cleanup(func() { p.stop(d) })
		d.waitREST()
		d.checkOptions()
	}
	p.waitConnected(60 * time.Second)
	t.Logf("two Syncthing devices up and connected after %v", time.Since(start).Round(100*time.Millisecond))
	return p
}

// peer is the other device of the pair.
func (p *stPair) peer(d *stDevice) *stDevice {
	if d == p.a {
		return p.b
	}
	return p.a
}

// secret records s as a value never to print and returns it.
func (p *stPair) secret(s string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.secrets = append(p.secrets, s)
	return s
}

// redact hides the passphrase and the keys in s.
func (p *stPair) redact(s string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, secret := range p.secrets {
		s = strings.ReplaceAll(s, secret, "<redacted>")
	}
	return s
}

// freePorts returns n distinct TCP ports on 127.0.0.1 that were free a
// moment ago: the system picks them (listening on port 0), and all n
// listeners stay open until the last is picked, so none repeats.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// newDevice generates the device's keys and configuration (syncthing
// generate), reads its ID, makes the shared folder with its marker and
// .stignore, and the keyshelf side: a HOME and a passphrase file.
func (p *stPair) newDevice(dir, name string, listen, gui int, ks string) *stDevice {
	t := p.t
	t.Helper()
	d := &stDevice{
		t: t, name: name, dir: dir,
		home:   filepath.Join(dir, "syncthing"),
		folder: filepath.Join(dir, "sync"),
		listen: listen, gui: gui,
		apiKey: fakekeys.RandomText(32),
		log:    filepath.Join(dir, "syncthing.log"),
		out:    filepath.Join(dir, "syncthing.out"),
		ks:     ks,
	}
	home := filepath.Join(dir, "home")
	for _, sub := range []string{d.home, filepath.Join(d.folder, ".stfolder"), home} {
		if err := os.MkdirAll(sub, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(d.folder, ".stignore"), []byte(stIgnore), 0o600); err != nil {
		t.Fatal(err)
	}
	d.passFile = filepath.Join(dir, "passphrase")
	if err := os.WriteFile(d.passFile, []byte(p.pass+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d.env = withEnv(os.Environ(), map[string]string{
		"HOME":                     home,
		"XDG_CONFIG_HOME":          filepath.Join(home, ".config"),
		"XDG_DATA_HOME":            filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME":           filepath.Join(home, ".cache"),
		"LANG":                     "C.UTF-8",
		"KEYSHELF_VAULT":           "",
		"DBUS_SESSION_BUS_ADDRESS": "",
	})

	d.syncthing(30*time.Second, "generate", "--home="+d.home, "--no-default-folder")
	out := d.syncthing(30*time.Second, "serve", "--home="+d.home, "--device-id")
	d.id = strings.TrimSpace(out)
	if len(d.id) != 63 || strings.Count(d.id, "-") != 7 {
		t.Fatalf("device %s: syncthing serve --device-id printed %q, not a device ID", name, d.id)
	}
	return d
}

// syncthing runs a short syncthing command and returns its standard
// output.
func (d *stDevice) syncthing(timeout time.Duration, args ...string) string {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "syncthing", args...)
	cmd.Env = d.syncthingEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		d.t.Fatalf("device %s: syncthing %s: %v\n%s", d.name, args[0], err, stderr.String())
	}
	return stdout.String()
}

// syncthingEnv is Syncthing's environment: no upgrades, no default folder,
// and HOME inside the device's folder so that nothing lands in the real
// one.
func (d *stDevice) syncthingEnv() []string {
	return withEnv(os.Environ(), map[string]string{
		"HOME":              d.dir,
		"STNOUPGRADE":       "1",
		"STNODEFAULTFOLDER": "1",
		"STNORESTART":       "1",
	})
}

// stConfig is the part of config.xml the generated file contributes: its
// version, which the written file must keep.
type stConfig struct {
	Version string `xml:"version,attr"`
}

// stConfigTemplate is the whole config.xml this harness writes; what it
// leaves out takes Syncthing's defaults. Every connection beyond the two
// devices is off: no global or local discovery (and no announce server),
// no relays, no NAT traversal, no STUN, no usage or crash reports, no
// upgrade checks, no browser; the listen and GUI addresses and the peer's
// address are on 127.0.0.1. The folder's watcher reports a change after
// 1 s and it is rescanned every 5 s besides; it keeps conflict copies
// (stMaxConflicts) and 1 % of the disk free, as a folder made in the GUI
// does.
const stConfigTemplate = `<configuration version="{{VERSION}}">
    <folder id="{{FOLDER}}" label="Keyshelf e2e" path="{{PATH}}" type="sendreceive" rescanIntervalS="5" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true">
        <filesystemType>basic</filesystemType>
        <device id="{{ID}}"></device>
        <device id="{{PEERID}}"></device>
        <minDiskFree unit="%">1</minDiskFree>
        <maxConflicts>{{MAXCONFLICTS}}</maxConflicts>
        <markerName>.stfolder</markerName>
    </folder>
    <device id="{{ID}}" name="keyshelf-e2e-{{NAME}}" compression="metadata" introducer="false">
        <address>tcp://127.0.0.1:{{LISTEN}}</address>
        <autoAcceptFolders>false</autoAcceptFolders>
    </device>
    <device id="{{PEERID}}" name="keyshelf-e2e-{{PEERNAME}}" compression="metadata" introducer="false">
        <address>tcp://127.0.0.1:{{PEERLISTEN}}</address>
        <autoAcceptFolders>false</autoAcceptFolders>
    </device>
    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:{{GUI}}</address>
        <apikey>{{APIKEY}}</apikey>
        <theme>default</theme>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:{{LISTEN}}</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <stunKeepaliveStartS>0</stunKeepaliveStartS>
        <stunKeepaliveMinS>0</stunKeepaliveMinS>
        <announceLANAddresses>false</announceLANAddresses>
        <urAccepted>-1</urAccepted>
        <crashReportingEnabled>false</crashReportingEnabled>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <startBrowser>false</startBrowser>
        <reconnectionIntervalS>{{RECONNECT}}</reconnectionIntervalS>
        <setLowPriority>false</setLowPriority>
    </options>
</configuration>
`

// stReconnectS is how often a device dials a peer it is not connected to
// (Syncthing's default is 60 s: after a resume the peers would wait that
// long to meet again).
const stReconnectS = 2

// stMaxConflicts is how many conflict copies of a file the folder keeps,
// Syncthing's default for a folder made in its GUI. A <folder> element
// without <maxConflicts> gets 0: no conflict copies at all.
const stMaxConflicts = 10

// writeConfig replaces the generated config.xml with stConfigTemplate for
// this device and its peer, keeping the generated file's version.
func (d *stDevice) writeConfig(peer *stDevice) {
	d.t.Helper()
	path := filepath.Join(d.home, "config.xml")
	generated, err := os.ReadFile(path)
	if err != nil {
		d.t.Fatal(err)
	}
	var cfg stConfig
	if err := xml.Unmarshal(generated, &cfg); err != nil || cfg.Version == "" {
		d.t.Fatalf("device %s: the generated config.xml has no version (%v)", d.name, err)
	}
	esc := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	text := strings.NewReplacer(
		"{{VERSION}}", esc(cfg.Version),
		"{{FOLDER}}", stFolderID,
		"{{PATH}}", esc(d.folder),
		"{{ID}}", d.id,
		"{{NAME}}", d.name,
		"{{LISTEN}}", fmt.Sprint(d.listen),
		"{{PEERID}}", peer.id,
		"{{PEERNAME}}", peer.name,
		"{{PEERLISTEN}}", fmt.Sprint(peer.listen),
		"{{GUI}}", fmt.Sprint(d.gui),
		"{{APIKEY}}", d.apiKey,
		"{{RECONNECT}}", fmt.Sprint(stReconnectS),
		"{{MAXCONFLICTS}}", fmt.Sprint(stMaxConflicts),
	).Replace(stConfigTemplate)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		d.t.Fatal(err)
	}
}

// start starts `syncthing serve` for the device in the background.
func (d *stDevice) start() {
	d.t.Helper()
	out, err := os.Create(d.out)
	if err != nil {
		d.t.Fatal(err)
	}
	defer out.Close()
	d.cmd = exec.Command("syncthing", "serve", "--home="+d.home, "--no-browser", "--no-restart",
		"--no-upgrade", "--logfile="+d.log)
	d.cmd.Env = d.syncthingEnv()
	d.cmd.Stdout, d.cmd.Stderr = out, out
	// Should the test process die before its cleanup (killed, or a closed
	// pipe on its output), the monitor gets SIGTERM and takes its child
	// down with it, rather than both living on.
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := d.cmd.Start(); err != nil {
		d.t.Fatalf("device %s: start syncthing: %v", d.name, err)
	}
	d.exited = make(chan struct{})
	go func() {
		d.cmd.Wait()
		close(d.exited)
	}()
}

// running reports whether the device's syncthing is still running.
func (d *stDevice) running() bool {
	select {
	case <-d.exited:
		return false
	default:
		return true
	}
}

// stop ends a device's syncthing by its PID and waits for it: SIGTERM,
// SIGKILL after 10 s. `syncthing serve` runs as a monitor process (the PID
// started) and the syncthing proper as its child; the monitor passes the
// signal on and waits for the child, and should the child still be there
// 10 s later, it gets SIGKILL too, by its own PID. If the test failed, it
// prints the end of the device's log.
func (p *stPair) stop(d *stDevice) {
	if d.cmd == nil || d.cmd.Process == nil {
		return
	}
	children := childPIDs(d.cmd.Process.Pid)
	if d.running() {
		d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.exited:
		case <-time.After(10 * time.Second):
			d.cmd.Process.Kill()
			<-d.exited
		}
	}
	for _, pid := range children {
		deadline := time.Now().Add(10 * time.Second)
		for syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if syscall.Kill(pid, 0) == nil {
			p.t.Errorf("device %s: syncthing's process %d outlived its monitor by 10 s; killing it", d.name, pid)
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	if p.t.Failed() {
		p.t.Logf("device %s: the end of its log:\n%s", d.name, p.redact(tail(d.log, 40)))
		if extra := linesNotIn(d.out, d.log); extra != "" {
			p.t.Logf("device %s: its other output:\n%s", d.name, p.redact(extra))
		}
	}
}

// childPIDs is the processes whose parent is pid, from /proc.
func childPIDs(pid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var pids []int
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		var child, parent int
		var state string
		if _, err := fmt.Sscanf(string(b[:bytes.IndexByte(b, ' ')]), "%d", &child); err != nil {
			continue
		}
		if _, err := fmt.Sscanf(string(b[i+1:]), " %s %d", &state, &parent); err == nil && parent == pid {
			pids = append(pids, child)
		}
	}
	return pids
}

// linesNotIn is the last 20 lines of the file at path that the file at
// other does not have (the monitor writes the log to both).
func linesNotIn(path, other string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	o, _ := os.ReadFile(other)
	have := map[string]bool{}
	for _, l := range strings.Split(string(o), "\n") {
		have[l] = true
	}
	var extra []string
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if l != "" && !have[l] {
			extra = append(extra, l)
		}
	}
	if len(extra) > 20 {
		extra = extra[len(extra)-20:]
	}
	return strings.Join(extra, "\n")
}

// tail is the last n lines of the file at path.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

var stHTTP = &http.Client{Timeout: 15 * time.Second}

// rest calls the device's REST API: method on path (with its query), the
// JSON answer decoded into out when out is not nil.
func (d *stDevice) rest(method, path string, out any) error {
	req, err := http.NewRequest(method, fmt.Sprintf("http://127.0.0.1:%d%s", d.gui, path), nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-API-Key", d.apiKey)
	resp, err := stHTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(answer)))
	}
	if out != nil {
		if err := json.Unmarshal(answer, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}

// mustREST is rest that fails the test on an error.
func (d *stDevice) mustREST(method, path string, out any) {
	d.t.Helper()
	if err := d.rest(method, path, out); err != nil {
		d.t.Fatalf("device %s: %v", d.name, err)
	}
}

// waitREST waits up to 30 s for the device's REST API to answer.
func (d *stDevice) waitREST() {
	d.t.Helper()
	stWait(d.t, fmt.Sprintf("device %s's REST API", d.name), 30*time.Second, func() (bool, string) {
		if !d.running() {
			d.t.Fatalf("device %s: syncthing exited at start", d.name)
		}
		var pong struct{ Ping string }
		err := d.rest("GET", "/rest/system/ping", &pong)
		return err == nil && pong.Ping == "pong", fmt.Sprint(err)
	})
}

// checkOptions checks that the running device uses the options written
// (that no default or earlier setting came back in their place): one
// listen address on 127.0.0.1 and every outside connection off.
func (d *stDevice) checkOptions() {
	d.t.Helper()
	var o struct {
		ListenAddresses       []string
		GlobalAnnounceEnabled bool
		LocalAnnounceEnabled  bool
		RelaysEnabled         bool
		NatEnabled            bool
		StunKeepaliveStartS   int
		StunKeepaliveMinS     int
		AnnounceLANAddresses  bool
		URAccepted            int
		CrashReportingEnabled bool
		AutoUpgradeIntervalH  int
		StartBrowser          bool
	}
	d.mustREST("GET", "/rest/config/options", &o)
	want := fmt.Sprintf("tcp://127.0.0.1:%d", d.listen)
	if len(o.ListenAddresses) != 1 || o.ListenAddresses[0] != want {
		d.t.Fatalf("device %s listens on %q, want only %q", d.name, o.ListenAddresses, want)
	}
	d.checkFolder()
	if o.GlobalAnnounceEnabled || o.LocalAnnounceEnabled || o.RelaysEnabled || o.NatEnabled ||
		o.StunKeepaliveStartS != 0 || o.StunKeepaliveMinS != 0 || o.AnnounceLANAddresses ||
		o.URAccepted != -1 || o.CrashReportingEnabled || o.AutoUpgradeIntervalH != 0 || o.StartBrowser {
		d.t.Fatalf("device %s runs with an outside connection on: %+v", d.name, o)
	}
}

// checkFolder checks that the running device shares the folder as
// written, keeping conflict copies: a <folder> without <maxConflicts> keeps
// none (0), and Syncthing then settles two edits at once by silently
// dropping the older one.
func (d *stDevice) checkFolder() {
	d.t.Helper()
	var f struct {
		Path             string
		Type             string
		RescanIntervalS  int
		FSWatcherEnabled bool
		FSWatcherDelayS  float64
		MaxConflicts     int
		Paused           bool
		Devices          []struct{ DeviceID string }
	}
	d.mustREST("GET", "/rest/config/folders/"+stFolderID, &f)
	var ids []string
	for _, dev := range f.Devices {
		ids = append(ids, dev.DeviceID)
	}
	if f.Path != d.folder || f.Type != "sendreceive" || f.RescanIntervalS != 5 || !f.FSWatcherEnabled ||
		f.FSWatcherDelayS != 1 || f.MaxConflicts != stMaxConflicts || f.Paused || len(ids) != 2 || !slices.Contains(ids, d.id) {
		d.t.Fatalf("device %s shares the folder otherwise than written: %+v", d.name, f)
	}
}

// connected reports whether the device is connected to peer.
func (d *stDevice) connected(peer *stDevice) (bool, error) {
	var c struct {
		Connections map[string]struct{ Connected bool }
	}
	if err := d.rest("GET", "/rest/system/connections", &c); err != nil {
		return false, err
	}
	return c.Connections[peer.id].Connected, nil
}

// waitConnected waits until each device sees the other connected.
func (p *stPair) waitConnected(timeout time.Duration) {
	p.t.Helper()
	p.waitConnection(true, timeout)
}

// waitConnection waits until both devices see the connection between them
// up (want true) or down.
func (p *stPair) waitConnection(want bool, timeout time.Duration) {
	p.t.Helper()
	what := "the devices connected"
	if !want {
		what = "the devices disconnected"
	}
	stWait(p.t, what, timeout, func() (bool, string) {
		var status []string
		done := true
		for _, d := range []*stDevice{p.a, p.b} {
			ok, err := d.connected(p.peer(d))
			if err != nil || ok != want {
				done = false
			}
			status = append(status, fmt.Sprintf("%s sees the peer connected: %v (%v)", d.name, ok, err))
		}
		return done, strings.Join(status, "; ")
	})
}

// setPaused cuts the connection between the devices (paused true) or lets
// them meet again: A pauses (or resumes) B, as the GUI's "Pause" of a
// remote device does, and the call waits until both see the connection
// down (or up). Only A pauses: B keeps dialing A (every stReconnectS) and
// is turned away, and on the resume A's dial is most likely the only one.
// Paused on both sides, both dial at the same moment when resumed, and
// Syncthing 1.19 handles one connection at a time: each side waits for the
// other's Hello on its own dial while the other's sits in the queue, until
// the 20 s Hello timeout ends both and they dial again (seen in about one
// resume in two).
func (p *stPair) setPaused(paused bool, timeout time.Duration) {
	p.t.Helper()
	verb := "resume"
	if paused {
		verb = "pause"
	}
	p.a.mustREST("POST", "/rest/system/"+verb+"?device="+url.QueryEscape(p.b.id), nil)
	p.waitConnection(!paused, timeout)
}

// scan makes the device rescan the shared folder now; the call returns
// when the scan is done.
func (d *stDevice) scan() {
	d.t.Helper()
	d.mustREST("POST", "/rest/db/scan?folder="+stFolderID, nil)
}

// inSync reports whether the device has the whole folder as it knows it
// (idle, nothing needed) and the peer has all of it too (completion 100 %),
// with a status line for a timeout message.
func (d *stDevice) inSync(peer *stDevice) (bool, string) {
	var st struct {
		State          string
		NeedTotalItems int
		Errors         int
		PullErrors     int
	}
	if err := d.rest("GET", "/rest/db/status?folder="+stFolderID, &st); err != nil {
		return false, err.Error()
	}
	var c struct {
		Completion float64
		NeedItems  int
	}
	if err := d.rest("GET", "/rest/db/completion?folder="+stFolderID+"&device="+url.QueryEscape(peer.id), &c); err != nil {
		return false, err.Error()
	}
	ok := st.State == "idle" && st.NeedTotalItems == 0 && c.Completion == 100 && c.NeedItems == 0
	return ok, fmt.Sprintf("%s: state %s, needs %d items, %d errors, %d pull errors; peer %.1f %% complete",
		d.name, st.State, st.NeedTotalItems, st.Errors, st.PullErrors, c.Completion)
}

// waitInSync waits until both devices are idle, need nothing, see the
// other one complete, and hold the same files in the shared folder with
// the same contents. It returns how long it waited.
func (p *stPair) waitInSync(timeout time.Duration) time.Duration {
	p.t.Helper()
	return stWait(p.t, "both devices in sync", timeout, func() (bool, string) {
		okA, sa := p.a.inSync(p.b)
		okB, sb := p.b.inSync(p.a)
		same, sf := sameFolders(p.a.folder, p.b.folder)
		return okA && okB && same, sa + "; " + sb + "; " + sf
	})
}

// sameFolders reports whether the synced files (those the ignore patterns
// do not take) at the top of the two folders are the same, by name and
// contents.
func sameFolders(a, b string) (bool, string) {
	fa, err := syncedFiles(a)
	if err != nil {
		return false, err.Error()
	}
	fb, err := syncedFiles(b)
	if err != nil {
		return false, err.Error()
	}
	if len(fa) != len(fb) {
		return false, fmt.Sprintf("A has %q, B has %q", names(fa), names(fb))
	}
	for name, ca := range fa {
		if cb, ok := fb[name]; !ok || !bytes.Equal(ca, cb) {
			return false, fmt.Sprintf("%s differs (A has %q, B has %q)", name, names(fa), names(fb))
		}
	}
	return true, fmt.Sprintf("both have %q", names(fa))
}

// syncedFiles is the contents of the regular files at the top of dir that
// Syncthing syncs: not .stignore, not Syncthing's own temporary files, not
// what stIgnore ignores.
func syncedFiles(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || name == ".stignore" || strings.HasPrefix(name, ".syncthing.") ||
			strings.HasSuffix(name, ".lock") || strings.HasSuffix(name, ".bak") ||
			strings.HasSuffix(name, ".bak.tmp") || strings.Contains(name, ".keyshelf.tmp-") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		files[name] = b
	}
	return files, nil
}

// names is the sorted names of files.
func names(files map[string][]byte) []string { return slices.Sorted(maps.Keys(files)) }

// conflicts is the paths of the vault's conflict copies in dir.
func conflicts(dir string) []string {
	m, _ := filepath.Glob(filepath.Join(dir, stConflictGlob))
	return m
}

// stWait polls done every stPoll until it reports true, failing the test
// after timeout with what and done's last status. It returns how long it
// waited.
func stWait(t *testing.T, what string, timeout time.Duration, done func() (bool, string)) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := start.Add(timeout)
	for {
		ok, status := done()
		if ok {
			return time.Since(start)
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s: %s", timeout, what, status)
		}
		time.Sleep(stPoll)
	}
}

// keyshelf runs the keyshelf binary on this device's computer with
// --vault and --passphrase-file (when vaultPath is not empty) before args,
// stdin as its standard input, and returns its standard output, its
// standard error and its error.
func (d *stDevice) keyshelf(stdin, vaultPath string, args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var full []string
	if vaultPath != "" {
		full = append(full, "--vault", vaultPath, "--passphrase-file", d.passFile)
	}
	full = append(full, args...)
	cmd := exec.CommandContext(ctx, d.ks, full...)
	cmd.Env = d.env
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

// mustKeyshelf is keyshelf on the device's vault in the shared folder that
// fails the test on an error. Its output goes into failure messages only
// redacted.
func (p *stPair) mustKeyshelf(d *stDevice, stdin string, args ...string) string {
	p.t.Helper()
	out, errs, err := d.keyshelf(stdin, d.vaultPath(), args...)
	if err != nil {
		p.t.Fatalf("device %s: keyshelf %s: %v\n%s", d.name, args[0], err, p.redact(out+errs))
	}
	return out
}

// vaultPath is the vault in the device's shared folder.
func (d *stDevice) vaultPath() string { return filepath.Join(d.folder, stVault) }

// readVault opens a copy of the vault file at path and returns the entry
// name: the current key and the keys of its history. The copy is made
// outside the shared folder, so that opening it leaves no lock file, and no
// rewrapped vault, for Syncthing to see.
func (p *stPair) readVault(path, name string) (current string, history []string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp(p.t.TempDir(), "read-")
	if err != nil {
		return "", nil, err
	}
	defer os.RemoveAll(dir)
	cp := filepath.Join(dir, stVault)
	if err := os.WriteFile(cp, b, 0o600); err != nil {
		return "", nil, err
	}
	v, err := vault.Open(cp, p.pass, vault.Options{})
	if err != nil {
		return "", nil, fmt.Errorf("open %s: %w", filepath.Base(path), err)
	}
	defer v.Close()
	e, ok := v.Find(name)
	if !ok {
		return "", nil, fmt.Errorf("%s has no key %q", filepath.Base(path), name)
	}
	for _, old := range e.History {
		history = append(history, old.Secret)
	}
	return e.Secret, history, nil
}

package cmdline

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"keyshelf/vault"
	"keyshelf/vault/shellvar"
)

const runCommandHelp = `Runs COMMAND with keys in its environment, under their variables
(OPENAI_API_KEY, GITHUB_TOKEN, ...): never on a command line or in a file.
Without --only and --env-file every key that has a variable goes in; a
variable that several keys go in is an error that names them. --env-file
takes a .env template as 'keyshelf fill' does and puts its variables in
the environment instead of writing a file.

The vault is closed (and its lock let go) before COMMAND starts. Keyshelf
exits with COMMAND's exit status (128+N when a signal N ended it). Ctrl+C
reaches COMMAND from the terminal; a signal sent to Keyshelf alone (kill)
is passed on to it. Without --redact COMMAND keeps the terminal as it is
(colours, prompts); with it, its output and errors go through Keyshelf,
which replaces any of the keys it put in with its masked form.

  keyshelf run -- python app.py
  keyshelf run --only OPENAI_API_KEY --redact -- llm "hello"`

type runOptions struct {
	only    names
	envFile string
	redact  bool
}

func runFlags(fs *flag.FlagSet) any {
	o := &runOptions{}
	fs.Var(&o.only, "only", onlyUsage)
	fs.StringVar(&o.envFile, "env-file", "", "fill the .env `TEMPLATE` and put its variables in the environment")
	fs.BoolVar(&o.redact, "redact", false, "mask the keys in COMMAND's output")
	return o
}

func runRun(r *runner, fs *flag.FlagSet, opts any) error {
	o := opts.(*runOptions)
	args := fs.Args()
	if len(args) == 0 {
		return &usageError{msg: "missing COMMAND (put it after --: keyshelf run -- COMMAND ARGS)"}
	}
	vars, secrets, err := r.runVariables(o, filepath.Base(args[0]))
	if err != nil {
		return err
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = withVariables(r.environ(), vars)
	cmd.Stdin = r.env.Stdin
	var copying sync.WaitGroup
	var copyErr error
	var copyMu sync.Mutex
	if o.redact {
		for _, p := range []struct {
			w    io.Writer
			pipe func() (io.ReadCloser, error)
		}{{r.env.Stdout, cmd.StdoutPipe}, {r.env.Stderr, cmd.StderrPipe}} {
			rd, err := p.pipe()
			if err != nil {
				return err
			}
			red := newRedactor(p.w, secrets)
			copying.Add(1)
			go func() {
				defer copying.Done()
				_, err := io.Copy(red, rd)
				if ferr := red.Flush(); err == nil {
					err = ferr
				}
				if err != nil {
					copyMu.Lock()
					copyErr = err
					copyMu.Unlock()
					io.Copy(io.Discard, rd) // keep the program from blocking on a full pipe
				}
			}()
		}
	} else {
		cmd.Stdout, cmd.Stderr = r.env.Stdout, r.env.Stderr
	}
	relay := catchSignals(r.env.Stdin)
	if err := cmd.Start(); err != nil {
		relay.release()
		fmt.Fprintf(r.env.Stderr, "keyshelf: cannot run %s: %s\n", args[0], startError(err))
		return exitStatus(127)
	}
	stop := relay.forward(cmd.Process)
	copying.Wait() // before Wait, which closes the pipes
	err = cmd.Wait()
	stop()
	if copyErr != nil {
		fmt.Fprintf(r.env.Stderr, "keyshelf: warning: the program's output was cut short: %s\n", copyErr)
	}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return exitStatus(exitCode(ee.ProcessState))
	case err != nil:
		return err
	}
	return nil
}

// runVariables opens the vault, chooses the variables (see
// runCommandHelp), notes each key's use in its access log, and closes the
// vault again. It returns the variables and the keys among their values
// (a template's settings, such as PORT=8080, are not keys).
func (r *runner) runVariables(o *runOptions, program string) ([]shellvar.Var, []string, error) {
	v, err := r.open(true)
	if err != nil {
		return nil, nil, err
	}
	defer v.Close()
	entries := v.List()
	var vars []shellvar.Var
	var used []chosen
	if o.envFile != "" {
		data, err := readTemplate(o.envFile)
		if err != nil {
			return nil, nil, err
		}
		f, err := fillTemplate(data, entries)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", o.envFile, err)
		}
		r.reportFill(o.envFile, f)
		vars, used = f.vars, f.used
	}
	if o.envFile == "" || len(o.only) > 0 {
		cs, err := chooseVariables(entries, o.only)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range cs {
			vars = append(vars, shellvar.Var{Name: c.Variable, Value: c.Entry.Secret})
		}
		used = append(used, cs...)
	}
	if len(used) == 0 && len(o.only) == 0 && o.envFile == "" {
		return nil, nil, errors.New("no key has an environment variable (give one with 'keyshelf set --env-name VAR NAME')")
	}
	r.recordMany(v, ids(used), vault.ActionExported, "put in the environment of "+program+" (run)")
	secrets := make([]string, len(used))
	for i, c := range used {
		secrets[i] = c.Entry.Secret
	}
	return vars, secrets, v.Close()
}

// environ is the environment COMMAND starts from.
func (r *runner) environ() []string {
	if r.env.Environ != nil {
		return r.env.Environ()
	}
	return os.Environ()
}

// withVariables is env with vars set: each replaces any earlier value of
// its name (compared without case on Windows, as Windows does), later vars
// winning.
func withVariables(env []string, vars []shellvar.Var) []string {
	same := func(a, b string) bool { return a == b }
	if runtime.GOOS == "windows" {
		same = strings.EqualFold
	}
	out := make([]string, 0, len(env)+len(vars))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		keep := true
		for _, v := range vars {
			if same(name, v.Name) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	seen := map[string]int{}
	for _, v := range vars {
		key := v.Name
		if runtime.GOOS == "windows" {
			key = strings.ToUpper(key)
		}
		if i, ok := seen[key]; ok {
			out[i] = v.Name + "=" + v.Value
			continue
		}
		seen[key] = len(out)
		out = append(out, v.Name+"="+v.Value)
	}
	return out
}

// startError says why a program did not start, without the environment.
func startError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var ee *exec.Error
	if errors.As(err, &ee) {
		return ee.Err.Error()
	}
	return err.Error()
}

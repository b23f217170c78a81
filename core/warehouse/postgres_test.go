//go:build postgres

package warehouse_test

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"segsim/core/warehouse/warehousetest"
)

// pgTypes are the PostgreSQL types of the cases' column types.
var pgTypes = map[string]string{"text": "text", "timestamp": "timestamp", "decimal": "numeric(18, 6)"}

// TestPostgres starts a PostgreSQL server (Debian's package, see
// .ci/install-postgres.sh) on a free localhost port in a temporary data
// directory, loads each case's orders with COPY through psql, runs the
// rendered PostgreSQL query and reads its result with psql --csv, which
// warehousetest.Check holds against segsim's own stats and scores.
func TestPostgres(t *testing.T) {
	pg := startPostgres(t)
	warehousetest.Check(t, pg.run)
}

// postgres is a running server.
type postgres struct {
	bin  string // the directory of initdb, pg_ctl and psql
	port int
}

// startPostgres initialises a data directory and starts a server on it,
// stopped and removed when the test ends. initdb refuses to run as root:
// then the server runs as the postgres user, which Debian's package
// creates.
func startPostgres(t *testing.T) *postgres {
	t.Helper()
	bin, err := postgresBin()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "segsim-postgres-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root, the server needs the postgres user (Debian's postgresql package creates it): %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	server := func(name string, args ...string) error {
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = dir
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %w\n%s", name, err, out)
		}
		return nil
	}
	data := filepath.Join(dir, "data")
	if err := server("initdb", "-D", data, "-U", "segsim", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"); err != nil {
		t.Fatal(err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c work_mem=256MB", port, dir)
	if err := server("pg_ctl", "-D", data, "-l", filepath.Join(dir, "server.log"), "-o", opts, "-w", "start"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := server("pg_ctl", "-D", data, "-m", "fast", "-w", "stop"); err != nil {
			t.Error(err)
		}
	})
	return &postgres{bin: bin, port: port}
}

// postgresBin finds the server programs and psql: on the PATH, or where
// Debian installs them, /usr/lib/postgresql/VERSION/bin (the newest
// version).
func postgresBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if p, err = filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return va - vb
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	return "", fmt.Errorf("no PostgreSQL server programs (initdb) on the PATH or in /usr/lib/postgresql/*/bin: run .ci/install-postgres.sh")
}

// freePort returns a localhost TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// psql runs one command with psql as the database's superuser, standard
// input from stdin, and returns its standard output.
func (p *postgres) psql(stdin []byte, args ...string) ([]byte, error) {
	args = append([]string{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", strconv.Itoa(p.port), "-U", "segsim", "-d", "postgres"}, args...)
	cmd := exec.Command(filepath.Join(p.bin, "psql"), args...)
	cmd.Env = append(os.Environ(), "PGCLIENTENCODING=UTF8")
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("psql: %w: %s", err, errs.Bytes())
	}
	return out.Bytes(), nil
}

// run loads the case's table into a fresh schema and returns the query's
// result as psql --csv writes it.
func (p *postgres) run(t *testing.T, _ string, c *warehousetest.Case) ([]byte, error) {
	start := time.Now()
	ddl := `DROP SCHEMA IF EXISTS shop CASCADE; CREATE SCHEMA shop; ` + c.CreateTable(pgTypes)
	if _, err := p.psql(nil, "-c", ddl); err != nil {
		return nil, err
	}
	if _, err := p.psql(c.Table, "-c", `COPY shop."order lines" FROM STDIN WITH (FORMAT csv, HEADER true)`); err != nil {
		return nil, err
	}
	n, err := p.psql(nil, "-At", "-c", `ANALYZE shop."order lines"; SELECT count(*) FROM shop."order lines"`)
	if err != nil {
		return nil, err
	}
	if got := strings.TrimSpace(string(n)); got != strconv.Itoa(c.Rows) {
		return nil, fmt.Errorf("loaded %s rows; want %d", got, c.Rows)
	}
	t.Logf("loaded in %v", time.Since(start).Round(time.Millisecond))
	q, err := c.Query("postgres")
	if err != nil {
		return nil, err
	}
	start = time.Now()
	out, err := p.psql(nil, "--csv", "-c", q)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	t.Logf("query ran in %v", time.Since(start).Round(time.Millisecond))
	return out, nil
}

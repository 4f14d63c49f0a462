// Command probe measures how long a command takes from process start to a
// first 200 from a URL (serve to /healthz), or to its exit (version,
// hello), as the median of -n runs, so that run.sh can compare the two in
// the same run on the same machine. Every serve run gets a fresh directory.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	n := flag.Int("n", 9, "runs")
	mode := flag.String("mode", "exit", "exit: time to exit; serve: time to the first /healthz 200")
	keep := flag.Bool("keep-db", false, "serve: reuse one database (seeded by the first run, not counted)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: probe [-n N] [-mode exit|serve] command [args]")
		os.Exit(2)
	}
	args := flag.Args()
	var times []time.Duration
	shared, err := os.MkdirTemp("", "coldstart")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(shared)
	runs := *n
	if *keep {
		runs++ // the first run seeds
	}
	for i := range runs {
		var d time.Duration
		if *mode == "serve" {
			dir := shared
			if !*keep {
				dir = filepath.Join(shared, fmt.Sprint(i))
				if err := os.Mkdir(dir, 0o700); err != nil {
					fail(err)
				}
			}
			d, err = serve(args, dir)
		} else {
			d, err = exit(args)
		}
		if err != nil {
			fail(err)
		}
		if *keep && i == 0 {
			continue
		}
		times = append(times, d)
	}
	slices.Sort(times)
	fmt.Printf("%.2f\n", float64(times[len(times)/2].Microseconds())/1000)
}

func exit(args []string) (time.Duration, error) {
	cmd := exec.Command(args[0], args[1:]...)
	start := time.Now()
	err := cmd.Run()
	return time.Since(start), err
}

// serve starts args with --addr and --db, polls /healthz every
// half millisecond, and stops the server once it answers 200.
func serve(args []string, dir string) (time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args = append(slices.Clone(args), "--addr", addr, "--db", "sqlite:"+filepath.Join(dir, "coalition.db"), "--log-level", "warn")
	cmd := exec.Command(args[0], args[1:]...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	client := &http.Client{Timeout: time.Second}
	for time.Since(start) < 30*time.Second {
		res, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
		}
		time.Sleep(500 * time.Microsecond)
	}
	return 0, fmt.Errorf("no /healthz 200 in 30 s: %s", stderr.String())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "probe:", err)
	os.Exit(1)
}

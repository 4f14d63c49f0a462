// Command probe measures how long a command takes from process start to a
// first 200 from a URL (serve to /healthz), or to its exit (version,
// hello), as the median of -n runs, so that run.sh can compare the two in
// the same run on the same machine. Every serve run gets a fresh directory.
// It prints the median wall time and the median CPU time (user + system)
// the process had used by then, in ms: on a shared, loaded machine the CPU
// time says what the program costs, the wall time what a user waits.
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
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	n := flag.Int("n", 9, "runs")
	mode := flag.String("mode", "exit", "exit: time to exit; serve: time to the first /healthz 200")
	keep := flag.Bool("keep-db", false, "serve: reuse one database (seeded by the first run, not counted)")
	vs := flag.String("vs", "", "a reference command (words split at spaces), run in turn with the command: prints both and their ratio, pair by pair")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: probe [-n N] [-mode exit|serve] [-keep-db] [-vs 'REFERENCE ARGS'] command [args]")
		os.Exit(2)
	}
	args := flag.Args()
	if *vs != "" {
		pairs(*n, *mode, args, strings.Fields(*vs))
		return
	}
	var times, cpus []time.Duration
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
		var d, cpu time.Duration
		if *mode == "serve" {
			dir := shared
			if !*keep {
				dir = filepath.Join(shared, fmt.Sprint(i))
				if err := os.Mkdir(dir, 0o700); err != nil {
					fail(err)
				}
			}
			d, cpu, err = serve(args, dir)
		} else {
			d, cpu, err = exit(args)
		}
		if err != nil {
			fail(err)
		}
		if *keep && i == 0 {
			continue
		}
		times, cpus = append(times, d), append(cpus, cpu)
	}
	fmt.Printf("%.2f %.2f\n", median(times), median(cpus))
}

// pairs runs a and b in turn n times (a fresh directory for every serve)
// and prints the median wall and CPU times of each, then the medians of
// the ratios a/b of each pair, wall and CPU: a ratio of two runs made
// moments apart holds when the machine's load drifts.
func pairs(n int, mode string, a, b []string) {
	shared, err := os.MkdirTemp("", "coldstart")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(shared)
	var times, cpus [2][]time.Duration
	var ratios, cpuRatios []float64
	for i := range n {
		var d, c [2]time.Duration
		for k, args := range [][]string{a, b} {
			if mode == "serve" {
				dir := filepath.Join(shared, fmt.Sprint(i, k))
				if err := os.Mkdir(dir, 0o700); err != nil {
					fail(err)
				}
				d[k], c[k], err = serve(args, dir)
			} else {
				d[k], c[k], err = exit(args)
			}
			if err != nil {
				fail(err)
			}
			times[k], cpus[k] = append(times[k], d[k]), append(cpus[k], c[k])
		}
		ratios = append(ratios, float64(d[0])/float64(d[1]))
		if c[1] > 0 {
			cpuRatios = append(cpuRatios, float64(c[0])/float64(c[1]))
		}
	}
	fmt.Printf("%.2f %.2f %.2f %.2f %.3f %.3f\n", median(times[0]), median(cpus[0]), median(times[1]), median(cpus[1]),
		medianFloat(ratios), medianFloat(cpuRatios))
}

func medianFloat(fs []float64) float64 {
	if len(fs) == 0 {
		return 0
	}
	slices.Sort(fs)
	return fs[len(fs)/2]
}

func median(ds []time.Duration) float64 {
	slices.Sort(ds)
	return float64(ds[len(ds)/2].Microseconds()) / 1000
}

func exit(args []string) (time.Duration, time.Duration, error) {
	cmd := exec.Command(args[0], args[1:]...)
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		return 0, 0, err
	}
	return d, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

// cpuTime is the user and system time pid has used so far, from
// /proc/PID/stat (Linux; clock ticks of 10 ms).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses: utime and
	// stime are the 12th and 13th of them.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.Atoi(f[11])
	s, _ := strconv.Atoi(f[12])
	return time.Duration(u+s) * 10 * time.Millisecond
}

// serve starts args with --addr and --db, polls /healthz every
// half millisecond, and stops the server once it answers 200.
func serve(args []string, dir string) (time.Duration, time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args = append(slices.Clone(args), "--addr", addr, "--db", "sqlite:"+filepath.Join(dir, "coalition.db"), "--log-level", "warn")
	cmd := exec.Command(args[0], args[1:]...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
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
				return time.Since(start), cpuTime(cmd.Process.Pid), nil
			}
		}
		time.Sleep(500 * time.Microsecond)
	}
	return 0, 0, fmt.Errorf("no /healthz 200 in 30 s: %s", stderr.String())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "probe:", err)
	os.Exit(1)
}

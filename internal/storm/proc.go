package storm

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// processes are the center's process and PostgreSQL's postmaster, measured from /proc.
type processes struct{ center, postgres int }

// sample is the processes' CPU (seconds used so far) and the center's resident memory (bytes).
type sample struct {
	at               time.Time
	centerCPU, pgCPU float64
	centerRSS        int64
}

// clockTicks is the kernel's USER_HZ, the unit of /proc/<pid>/stat's CPU times, on Linux.
const clockTicks = 100

func (p processes) sample() sample {
	s := sample{at: time.Now()}
	s.centerCPU, _ = cpuOf(p.center)
	s.centerRSS = rssOf(p.center)
	if p.postgres == 0 {
		return s
	}
	// PostgreSQL is the postmaster and the backends it forked.
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if cpu, parent := cpuOf(pid); pid == p.postgres || parent == p.postgres {
			s.pgCPU += cpu
		}
	}
	return s
}

// watch samples once a second until ctx ends.
func (p processes) watch(ctx context.Context) []sample {
	var got []sample
	for {
		got = append(got, p.sample())
		select {
		case <-ctx.Done():
			return append(got, p.sample())
		case <-time.After(time.Second):
		}
	}
}

// cpuOf is the CPU seconds (user and system) a process has used, and its parent's pid.
func cpuOf(pid int) (float64, int) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0
	}
	// The command name, in parentheses, may hold spaces: the fields follow its last ')'.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, 0
	}
	parent, _ := strconv.Atoi(f[1])
	user, _ := strconv.ParseFloat(f[11], 64)
	system, _ := strconv.ParseFloat(f[12], 64)
	return (user + system) / clockTicks, parent
}

// rssOf is a process's resident memory in bytes.
func rssOf(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// postmaster is the pid of the PostgreSQL cluster in dir (the first line of its postmaster.pid),
// 0 when none runs there.
func postmaster(dir string) int {
	b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(first))
	return pid
}

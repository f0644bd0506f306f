// Package freeport finds loopback TCP ports for servers that tests and the embedded defaults
// start as separate processes, which must be told their port before they bind it.
//
// A port the kernel hands out for "127.0.0.1:0" lies in its ephemeral range (32768–60999 on
// Linux), the same range it draws the source ports of outgoing connections from: between the
// moment a port is found free and the moment a child process binds it, any busy test's HTTP or
// gRPC client may take it as a source port, and the child fails with "address already in use".
// So the ports here are drawn at random below that range, where the kernel never puts anything
// on its own. (Temporal also keeps membership ports in a smallint column, which fits them.)
package freeport

import (
	"fmt"
	"math/rand/v2"
	"net"
)

const (
	low  = 20000
	high = 32768 // the Linux default start of the ephemeral range
)

// Loopback returns n distinct ports on 127.0.0.1 that nobody listens on now.
func Loopback(n int) ([]int, error) {
	ports := make([]int, 0, n)
	var held []net.Listener
	defer func() {
		for _, l := range held {
			_ = l.Close()
		}
	}()
	for tries := 0; len(ports) < n; tries++ {
		if tries > 1000 {
			return nil, fmt.Errorf("freeport: no %d free loopback ports between %d and %d", n, low, high-1)
		}
		port := low + rand.IntN(high-low)
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		held = append(held, l)
		ports = append(ports, port)
	}
	return ports, nil
}

// One returns one port on 127.0.0.1 that nobody listens on now.
func One() (int, error) {
	ports, err := Loopback(1)
	if err != nil {
		return 0, err
	}
	return ports[0], nil
}

//go:build race

package cli

// raceEnabled: the race detector makes the large import several times slower.
const raceEnabled = true

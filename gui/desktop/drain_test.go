//go:build windows || (darwin && !ios)

package desktop

// drain takes the events that came so far.
func drain(events chan Event) []Event {
	var got []Event
	for len(events) > 0 {
		got = append(got, <-events)
	}
	return got
}

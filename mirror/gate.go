package mirror

import (
	"log/slog"
	"strconv"
)

// GateEnv is the variable that enables the mirror, named as in upstream Flow.
const GateEnv = "FLOW_EXPECTED_INVENTORY_SYNC_ENABLED"

// ParseGate interprets the value of GateEnv. Unset or empty is off. Otherwise
// the value is parsed like strconv.ParseBool; anything it rejects (yes, on, a
// typo) leaves the mirror off and comes back as a WARN naming the variable and
// the value, so that a misspelt opt-in is never silently ignored.
func ParseGate(value string) (on bool, warning *Finding) {
	if value == "" {
		return false, nil
	}
	on, err := strconv.ParseBool(value)
	if err != nil {
		w := warn("mirror gate value not recognised; mirror stays off",
			slog.String("variable", GateEnv), slog.String("value", value))
		return false, &w
	}
	return on, nil
}

// Gate is the mirror's on/off decision with the reason for the start-up line.
type Gate struct {
	On     bool
	Reason string
}

// DecideGate decides the gate once, when the service is built. flag is the
// --expected-sync flag when given, which takes precedence; env and envSet are
// GateEnv's value and whether it is set. Log the result at INFO with Reason,
// and the warning, if any, at its level.
func DecideGate(flag *bool, env string, envSet bool) (Gate, *Finding) {
	if flag != nil {
		return Gate{On: *flag, Reason: "--expected-sync=" + strconv.FormatBool(*flag)}, nil
	}
	if !envSet {
		return Gate{Reason: GateEnv + " is unset"}, nil
	}
	on, w := ParseGate(env)
	switch {
	case w != nil:
		return Gate{Reason: GateEnv + " is not a boolean"}, w
	case env == "":
		return Gate{Reason: GateEnv + " is empty"}, nil
	}
	return Gate{On: on, Reason: GateEnv + "=" + env}, nil
}

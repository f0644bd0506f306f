// Package onedoor holds the domain of OneDoor that every layer speaks: cases, users and errors.
// Procedure definitions, the chain's levels and the organisation are in package definitions.
package onedoor

import (
	"errors"
	"fmt"
)

// Error codes: what went wrong, in terms the API maps to HTTP statuses once, in api/.
const (
	ENotFound     = "not_found"    // the thing does not exist, or the user may not know it does
	EInvalid      = "invalid"      // the input is wrong; Fields says where
	EConflict     = "conflict"     // the action does not fit the current state
	EForbidden    = "forbidden"    // the user may see the thing but not do this
	EUnauthorized = "unauthorized" // no valid credentials
	EUnavailable  = "unavailable"  // a dependency does not answer
	EInternal     = "internal"     // a bug or an unexpected failure; never shown to the client
)

// Error is OneDoor's domain error: a code, a message for the user, and for invalid input the
// JSON path and message of each bad field. Err is the cause, when another error has one: it is
// for the log and for errors.Is and errors.As, and never shown to the client.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	Err     error
}

// FieldError is one bad field of an input, located by its JSON path (e.g. "body.data.phone").
type FieldError struct {
	Path    string `json:"location"`
	Message string `json:"message"`
	Value   any    `json:"value,omitempty"`
}

// Error implements the error interface: the code, the message and the cause.
func (e *Error) Error() string {
	s := fmt.Sprintf("%s: %s", e.Code, e.Message)
	if len(e.Fields) > 0 {
		s += fmt.Sprintf(" (%d fields)", len(e.Fields))
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap is the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode is the code of err if it is (or wraps) an *Error, else EInternal.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}

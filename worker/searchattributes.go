package worker

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/onedoor/onedoor/workflows"
)

// ErrNoNamespace is the error of MissingSearchAttributes when the namespace does not exist.
var ErrNoNamespace = errors.New("worker: no such namespace")

// MissingSearchAttributes are the case workflows' search attributes the namespace lacks, by
// name, with their types; wrapping ErrNoNamespace when the namespace itself does not exist.
func MissingSearchAttributes(ctx context.Context, c client.Client, namespace string) (map[string]enumspb.IndexedValueType, error) {
	existing, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	var notFound *serviceerror.NotFound
	var nsNotFound *serviceerror.NamespaceNotFound
	if errors.As(err, &notFound) || errors.As(err, &nsNotFound) {
		return nil, fmt.Errorf("%w %q: %w", ErrNoNamespace, namespace, err)
	}
	if err != nil {
		return nil, fmt.Errorf("worker: list search attributes: %w", err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for _, key := range workflows.SearchAttributes {
		if _, ok := existing.GetCustomAttributes()[key.GetName()]; !ok {
			missing[key.GetName()] = key.GetValueType()
		}
	}
	return missing, nil
}

// SearchAttributeCommand is the Temporal CLI command that adds the search attributes to the
// namespace, for an operator who registers them by hand.
func SearchAttributeCommand(namespace string, attrs map[string]enumspb.IndexedValueType) string {
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "temporal operator search-attribute create --namespace %s", namespace)
	for _, name := range names {
		fmt.Fprintf(&b, " --name %s --type %s", name, TypeName(attrs[name]))
	}
	return b.String()
}

// TypeName is the name the Temporal CLI gives a search attribute type: Keyword, Datetime, ….
func TypeName(t enumspb.IndexedValueType) string {
	s := strings.TrimPrefix(t.String(), "INDEXED_VALUE_TYPE_")
	parts := strings.Split(strings.ToLower(s), "_")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}

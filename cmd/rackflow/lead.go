package main

import "context"

// lead takes the single-instance or leader lock for a one-shot command. It
// returns the function that releases it.
func (s *service) lead(ctx context.Context) (release func(), err error) {
	return func() {}, nil
}

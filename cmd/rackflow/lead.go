package main

import (
	"context"
	"fmt"
	"time"

	"rackflow/postgres"
	"rackflow/sqlite"
)

// election decides which process runs cycles: on PostgreSQL the leader lock,
// on SQLite the lock file that makes the process the only one.
type election struct {
	leader  *postgres.Leader // nil on SQLite
	release func() error     // the SQLite lock file; nil on PostgreSQL
}

// lockSQLite takes the single-instance lock of a SQLite database URL; it is a
// no-op for PostgreSQL and for :memory:.
func lockSQLite(url string) (release func() error, err error) {
	t, err := parseDatabaseURL(url)
	if err != nil || t.Postgres {
		return func() error { return nil }, err
	}
	return sqlite.LockFile(t.Target)
}

// newElection prepares the election for the service's database. On SQLite
// the lock file is taken at once, and cycles a dead process left running are
// marked failed.
func (s *service) newElection(ctx context.Context, opts ...postgres.LeaderOption) (*election, error) {
	t, err := parseDatabaseURL(s.cfg.DB)
	if err != nil {
		return nil, err
	}
	if t.Postgres {
		return &election{leader: postgres.NewLeader(t.Target, s.cfg.Instance, s.log, opts...)}, nil
	}
	release := s.lockRelease
	if release == nil {
		if release, err = lockSQLite(s.cfg.DB); err != nil {
			return nil, err
		}
	}
	if n, err := s.db.FailRunningCycles(ctx, "the process that ran this cycle is gone"); err != nil {
		release()
		return nil, err
	} else if n > 0 {
		s.log.Warn("marked cycles left running as failed", "cycles", n)
	}
	return &election{release: release}, nil
}

// acquire reports whether this process may run a cycle now, naming the
// leader when another instance holds the lock.
func (e *election) acquire(ctx context.Context) (ok bool, holder string, err error) {
	if e.leader == nil {
		return true, "", nil
	}
	return e.leader.TryAcquire(ctx)
}

// alive is the cycle's check before each commit: a leader that lost its lock
// connection must not commit.
func (e *election) alive(ctx context.Context) error {
	if e.leader == nil {
		return nil
	}
	return e.leader.Alive(ctx)
}

// close gives up the lock; it is bounded, so that a dead connection never
// holds up an exit.
func (e *election) close(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if e.leader != nil {
		e.leader.Release(ctx)
		e.leader.Close()
	}
	if e.release != nil {
		e.release()
	}
}

// lead takes the lock for a one-shot command: it fails at once, naming the
// holder, when another instance leads.
func (s *service) lead(ctx context.Context) (release func(), err error) {
	e, err := s.newElection(ctx)
	if err != nil {
		return nil, err
	}
	ok, holder, err := e.acquire(ctx)
	if err != nil {
		e.close(ctx)
		return nil, err
	}
	if !ok {
		e.close(ctx)
		return nil, fmt.Errorf("another instance leads: %s", holderName(holder))
	}
	s.beforeCommit = e.alive
	return func() { e.close(context.WithoutCancel(ctx)) }, nil
}

func holderName(h string) string {
	if h == "" {
		return "(unknown; it may just have released the lock)"
	}
	return h
}

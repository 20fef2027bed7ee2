package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"rackflow/inventory"
)

// LeaderLockKey is the key of the session-level advisory lock that elects the
// one serve process allowed to run cycles against a database. It is the ASCII
// bytes of "rackflow" read as a big-endian int64 (0x7261636B666C6F77). In
// pg_locks it shows as locktype advisory, classid 1918985067 (high 32 bits),
// objid 1718382455 (low 32 bits), objsubid 1. Advisory locks are per
// database, so replicas sharing a database share this lock.
const LeaderLockKey int64 = 0x7261636B666C6F77

// ErrNotLeader is returned by Alive when this instance does not hold the
// leader lock, or has just lost it.
var ErrNotLeader = errors.New("this instance does not hold the leader lock")

// Timings of a Leader. The check interval can be changed with WithCheckInterval.
const (
	DefaultLeaderCheckInterval = 10 * time.Second
	DefaultLeaderPingTimeout   = 5 * time.Second
	leaderConnectTimeout       = 10 * time.Second
)

// failRunningCyclesSQL marks the rows of cycles whose leader is gone. A cycle
// row is running only while its leader holds the lock, so whoever acquires
// the lock knows every running row is orphaned.
const failRunningCyclesSQL = `UPDATE sync_cycle SET status = 'failed', finished_at = $2, error = $1
	WHERE status = 'running'`

// FailRunningCycles marks every sync_cycle row still running as failed, with
// reason as its error, and returns how many it marked. The leader does the
// same on its own connection when it acquires the lock.
func (db *DB) FailRunningCycles(ctx context.Context, reason string) (int, error) {
	tag, err := db.pool.Exec(ctx, failRunningCyclesSQL, reason, inventory.Timestamp(time.Now()))
	if err != nil {
		return 0, fmt.Errorf("postgres: failing running cycles: %w", mapErr(err))
	}
	return int(tag.RowsAffected()), nil
}

// LeaderLostReason is the error written on cycles orphaned by a lost leader.
func LeaderLostReason(acquiredBy string) string {
	return "leader lost before the cycle finished; marked failed when " + acquiredBy + " took the leader lock"
}

// LeaderOption configures a Leader.
type LeaderOption func(*Leader)

// WithCheckInterval sets how often Start checks a held lock's connection.
func WithCheckInterval(d time.Duration) LeaderOption {
	return func(l *Leader) { l.checkEvery = d }
}

// OnLeaderChange registers f, called with the new state whenever this
// instance gains or loses the lock (for the rackflow_leader gauge). f runs
// while the Leader is locked and must not call its methods.
func OnLeaderChange(f func(leading bool)) LeaderOption {
	return func(l *Leader) { l.onChange = f }
}

// Leader elects one instance per database with a session-level advisory lock
// held on a dedicated connection, apart from the pool: the lock lives exactly
// as long as that session, so a leader that dies or loses its connection frees
// it, and a follower takes over on its next TryAcquire. Its methods are safe
// for concurrent use.
type Leader struct {
	url, instance string
	log           *slog.Logger
	checkEvery    time.Duration
	pingTimeout   time.Duration
	onChange      func(bool)

	mu      sync.Mutex // serialises use of conn, which pgx does not allow concurrently
	conn    *pgx.Conn
	leading atomic.Bool
}

// NewLeader returns an elector for the database at url. instance names this
// process (RACKFLOW_INSTANCE); it becomes the lock connection's
// application_name, which is how a refused instance names the leader. It does
// not connect until TryAcquire.
func NewLeader(url, instance string, logger *slog.Logger, opts ...LeaderOption) *Leader {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	l := &Leader{url: url, instance: instance, log: logger,
		checkEvery: DefaultLeaderCheckInterval, pingTimeout: DefaultLeaderPingTimeout}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Instance returns the name this elector acquires the lock under.
func (l *Leader) Instance() string { return l.instance }

// IsLeader reports whether this instance held the lock at its last check.
func (l *Leader) IsLeader() bool { return l.leading.Load() }

// TryAcquire takes the leader lock if it is free, without waiting. When this
// instance already leads, it checks the lock connection and answers true. When
// another instance holds the lock, it answers false and the holder's instance
// name ("" if it released the lock meanwhile). Acquiring first marks every
// running cycle as failed, since their leader is gone.
func (l *Leader) TryAcquire(ctx context.Context) (acquired bool, holder string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.leading.Load() {
		err := l.ping(ctx)
		if err == nil {
			return true, l.instance, nil
		}
		if l.leading.Load() { // ctx was done before the check: the lock is still ours
			return false, "", fmt.Errorf("postgres: checking the leader lock: %w", err)
		}
	}
	if err := l.connect(ctx); err != nil {
		return false, "", err
	}
	var got bool
	if err := l.conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, LeaderLockKey).Scan(&got); err != nil {
		l.reset()
		return false, "", fmt.Errorf("postgres: trying the leader lock: %w", mapErr(err))
	}
	if !got {
		holder, err := l.holder(ctx)
		return false, holder, err
	}
	return l.takeOver(ctx)
}

// takeOver runs once the lock is held: it fails orphaned cycles, then
// declares leadership. If the update fails, closing the session gives the
// lock back, so that no leader runs with orphaned rows left behind.
func (l *Leader) takeOver(ctx context.Context) (bool, string, error) {
	tag, err := l.conn.Exec(ctx, failRunningCyclesSQL, LeaderLostReason(l.instance), inventory.Timestamp(time.Now()))
	if err != nil {
		l.reset()
		return false, "", fmt.Errorf("postgres: failing running cycles after taking the leader lock: %w", mapErr(err))
	}
	l.setLeading(true)
	l.log.Info("leader lock acquired", "instance", l.instance, "failed_cycles", tag.RowsAffected())
	return true, l.instance, nil
}

// connect opens the dedicated lock connection if there is none.
func (l *Leader) connect(ctx context.Context) error {
	if l.conn != nil && !l.conn.IsClosed() {
		return nil
	}
	l.conn = nil
	cfg, err := pgx.ParseConfig(l.url)
	if err != nil {
		return fmt.Errorf("postgres: leader: database URL does not parse: %s", redactErr(err))
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = leaderConnectTimeout // an unreachable server must not stall a trigger
	}
	cfg.RuntimeParams["application_name"] = l.instance
	// The server must notice a vanished leader and end its session, which frees
	// the lock; without keepalives a half-open TCP connection can hold it for
	// hours.
	cfg.RuntimeParams["tcp_keepalives_idle"] = "30"
	cfg.RuntimeParams["tcp_keepalives_interval"] = "10"
	cfg.RuntimeParams["tcp_keepalives_count"] = "3"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("postgres: leader: cannot reach %s:%d (%w): %s", cfg.Host, cfg.Port, inventory.ErrUnavailable, redactErr(err))
	}
	l.conn = conn
	return nil
}

// holderQuery names the session holding LeaderLockKey in this database. A
// bigint key is split into classid (high half) and objid (low half).
const holderQuery = `SELECT coalesce(a.application_name, ''), l.pid
	FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
	WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
	  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
	  AND l.classid::bigint = $1 AND l.objid::bigint = $2
	LIMIT 1`

func (l *Leader) holder(ctx context.Context) (string, error) {
	var name string
	var pid int32
	err := l.conn.QueryRow(ctx, holderQuery, LeaderLockKey>>32, LeaderLockKey&0xFFFFFFFF).Scan(&name, &pid)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("postgres: looking up the leader: %w", mapErr(err))
	}
	if name == "" {
		return "pid " + strconv.Itoa(int(pid)), nil
	}
	return name, nil
}

// Alive checks that this instance still holds the lock, by pinging the lock
// connection: the session-level lock lasts exactly as long as the session. The
// cycle calls it before each commit. On failure leadership is lost, the
// connection is dropped so that a later TryAcquire reconnects, and the error
// wraps ErrNotLeader.
func (l *Leader) Alive(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.leading.Load() {
		return fmt.Errorf("postgres: %w", ErrNotLeader)
	}
	err := l.ping(ctx)
	switch {
	case err == nil:
		return nil
	case l.leading.Load():
		return fmt.Errorf("postgres: checking the leader lock: %w", err)
	}
	return fmt.Errorf("postgres: %w: lock connection failed: %s", ErrNotLeader, redactErr(err))
}

// ping checks the lock connection within pingTimeout and gives up leadership
// if it fails. A caller's context that was already done proves nothing about
// the session: pgx then returns without touching the connection, and the
// lock is kept.
func (l *Leader) ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	pctx, cancel := context.WithTimeout(ctx, l.pingTimeout)
	defer cancel()
	err := l.conn.Ping(pctx)
	if err != nil {
		l.log.Warn("leader lock lost", "instance", l.instance, "error", redactErr(err))
		l.reset()
	}
	return err
}

// reset closes the lock connection, which releases the lock if the session
// still exists, and stops leading.
func (l *Leader) reset() {
	if l.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), l.pingTimeout)
		l.conn.Close(ctx)
		cancel()
		l.conn = nil
	}
	l.setLeading(false)
}

func (l *Leader) setLeading(v bool) {
	if l.leading.Swap(v) != v && l.onChange != nil {
		l.onChange(v)
	}
}

// Release gives the lock up and closes the lock connection. Closing the
// session alone would free the lock too; unlocking first makes the hand-over
// immediate rather than waiting for the server to reap the backend.
func (l *Leader) Release(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn != nil && l.leading.Load() {
		if _, err := l.conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, LeaderLockKey); err != nil {
			l.log.Warn("releasing the leader lock failed; closing its connection", "error", redactErr(err))
		} else {
			l.log.Info("leader lock released", "instance", l.instance)
		}
	}
	l.reset()
}

// Close releases the lock and the connection.
func (l *Leader) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), l.pingTimeout)
	defer cancel()
	l.Release(ctx)
	return nil
}

// Start watches a held lock until ctx is cancelled, then releases it. Between
// cycles it pings the lock connection every check interval, so that a lost
// lock shows in IsLeader and the leader metric without waiting for the next
// cycle, and so that the session never sits idle long enough for an idle
// timeout to end it. It does not acquire: the scheduler does, at each trigger.
func (l *Leader) Start(ctx context.Context) error {
	t := time.NewTicker(l.checkEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			l.Close()
			return nil
		case <-t.C:
			if l.IsLeader() {
				_ = l.Alive(ctx) // a failure is logged and resets leadership
			}
		}
	}
}

-- Drift, drift history, cycles and the audit trail.

CREATE TABLE component_drift (
    id             TEXT PRIMARY KEY NOT NULL,
    component_id   TEXT NULL,
    external_id    TEXT NULL,
    component_type TEXT NOT NULL CHECK (length(component_type) <= 16),
    drift_type     TEXT NOT NULL CHECK (length(drift_type) <= 32),
    diffs          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(diffs)),
    first_seen_at  TEXT NOT NULL,
    checked_at     TEXT NOT NULL
);
CREATE INDEX component_drift_type_idx ON component_drift (component_type, drift_type);
CREATE INDEX component_drift_component_idx ON component_drift (component_id);

CREATE TABLE drift_history (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    cycle_id       TEXT NOT NULL,
    at             TEXT NOT NULL,
    drift_id       TEXT NOT NULL,
    component_type TEXT NOT NULL,
    drift_type     TEXT NOT NULL,
    component_id   TEXT NULL,
    external_id    TEXT NULL,
    event          TEXT NOT NULL CHECK (length(event) <= 16),
    diffs          TEXT NOT NULL CHECK (json_valid(diffs))
);
CREATE INDEX drift_history_component_at_idx ON drift_history (component_id, at);
CREATE INDEX drift_history_at_idx ON drift_history (at);

CREATE TABLE sync_cycle (
    id             TEXT PRIMARY KEY NOT NULL,
    started_at     TEXT NOT NULL,
    finished_at    TEXT NULL,
    trigger        TEXT NOT NULL CHECK (length(trigger) <= 16),
    instance       TEXT NOT NULL,
    mirror_enabled INTEGER NOT NULL CHECK (mirror_enabled IN (0, 1)),
    status         TEXT NOT NULL CHECK (length(status) <= 16),
    steps          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(steps)),
    error          TEXT NULL
);
CREATE INDEX sync_cycle_started_at_idx ON sync_cycle (started_at);

CREATE TABLE inventory_event (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    cycle_id  TEXT NULL,
    at        TEXT NOT NULL,
    entity    TEXT NOT NULL CHECK (length(entity) <= 16),
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (length(action) <= 16),
    changes   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(changes)),
    source    TEXT NOT NULL CHECK (length(source) <= 16)
);
CREATE INDEX inventory_event_entity_idx ON inventory_event (entity, entity_id, id);
CREATE INDEX inventory_event_cycle_idx ON inventory_event (cycle_id);
CREATE INDEX inventory_event_at_idx ON inventory_event (at);

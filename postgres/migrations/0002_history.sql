-- Drift, drift history, cycles and the audit trail.

CREATE TABLE component_drift (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    component_id   uuid NULL,
    external_id    varchar NULL,
    component_type varchar(16) NOT NULL,
    drift_type     varchar(32) NOT NULL,
    diffs          jsonb NOT NULL DEFAULT '[]',
    first_seen_at  timestamptz NOT NULL,
    checked_at     timestamptz NOT NULL
);
CREATE INDEX component_drift_type_idx ON component_drift (component_type, drift_type);
CREATE INDEX component_drift_component_idx ON component_drift (component_id);

CREATE TABLE drift_history (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id       uuid NOT NULL,
    at             timestamptz NOT NULL,
    drift_id       uuid NOT NULL,
    component_type varchar NOT NULL,
    drift_type     varchar NOT NULL,
    component_id   uuid NULL,
    external_id    varchar NULL,
    event          varchar(16) NOT NULL,
    diffs          jsonb NOT NULL
);
CREATE INDEX drift_history_component_at_idx ON drift_history (component_id, at);
CREATE INDEX drift_history_at_idx ON drift_history (at);

CREATE TABLE sync_cycle (
    id             uuid PRIMARY KEY,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz NULL,
    trigger        varchar(16) NOT NULL,
    instance       varchar NOT NULL,
    mirror_enabled boolean NOT NULL,
    status         varchar(16) NOT NULL,
    steps          jsonb NOT NULL DEFAULT '{}',
    error          text NULL
);
CREATE INDEX sync_cycle_started_at_idx ON sync_cycle (started_at);

CREATE TABLE inventory_event (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id  uuid NULL,
    at        timestamptz NOT NULL,
    entity    varchar(16) NOT NULL,
    entity_id text NOT NULL,
    action    varchar(16) NOT NULL,
    changes   jsonb NOT NULL DEFAULT '{}',
    source    varchar(16) NOT NULL
);
CREATE INDEX inventory_event_entity_idx ON inventory_event (entity, entity_id, id);
CREATE INDEX inventory_event_cycle_idx ON inventory_event (cycle_id);
CREATE INDEX inventory_event_at_idx ON inventory_event (at);

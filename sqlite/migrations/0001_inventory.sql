-- The inventory tables, compatible with NICo Flow's rack, component and bmc.
-- uuid is TEXT in lower-case canonical form; jsonb is TEXT holding JSON;
-- timestamptz is TEXT in the fixed-width UTC form YYYY-MM-DDTHH:MM:SS.ffffffZ.
-- Defaults exist only for hand-written SQL: the application supplies ids and
-- timestamps.

CREATE TABLE rack (
    id            TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    name          TEXT NOT NULL,
    manufacturer  TEXT NOT NULL,
    serial_number TEXT NOT NULL,
    description   TEXT NULL CHECK (description IS NULL OR json_valid(description)),
    location      TEXT NULL CHECK (location IS NULL OR json_valid(location)),
    nvldomain_id  TEXT NULL,
    status        TEXT DEFAULT 'new' CHECK (length(status) <= 16),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.' || substr(strftime('%f', 'now'), 4) || '000Z'),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.' || substr(strftime('%f', 'now'), 4) || '000Z'),
    ingested_at   TEXT NULL,
    deleted_at    TEXT NULL,
    external_id   TEXT NULL CHECK (external_id <> '')
);
-- Name and chassis are unique over all rows, tombstones included, so that a
-- tombstone can always be resurrected without a collision.
CREATE UNIQUE INDEX rack_name_idx ON rack (name);
CREATE UNIQUE INDEX rack_manufacturer_serial_idx ON rack (manufacturer, serial_number);
CREATE UNIQUE INDEX rack_external_id_idx ON rack (external_id) WHERE external_id IS NOT NULL;

CREATE TABLE component (
    id               TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    name             TEXT NULL,
    type             TEXT NOT NULL DEFAULT 'Compute' CHECK (length(type) <= 16),
    manufacturer     TEXT NOT NULL,
    serial_number    TEXT NOT NULL,
    model            TEXT NULL,
    description      TEXT NULL CHECK (description IS NULL OR json_valid(description)),
    firmware_version TEXT NULL,
    rack_id          TEXT NULL REFERENCES rack (id) ON DELETE SET NULL,
    slot_id          INTEGER NULL,
    tray_index       INTEGER NULL,
    host_id          INTEGER NULL,
    external_id      TEXT NULL,
    power_state      INTEGER NULL,
    ingested_at      TEXT NULL,
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.' || substr(strftime('%f', 'now'), 4) || '000Z'),
    deleted_at       TEXT NULL
);
-- The natural key is global: one (manufacturer, serial) across every type.
CREATE UNIQUE INDEX component_manufacturer_serial_idx ON component (manufacturer, serial_number);
CREATE UNIQUE INDEX component_type_external_id_idx ON component (type, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX component_external_id_idx ON component (external_id);
CREATE INDEX component_rack_id_idx ON component (rack_id);

CREATE TABLE bmc (
    mac_address  TEXT PRIMARY KEY NOT NULL,
    type         TEXT NOT NULL,
    component_id TEXT NOT NULL REFERENCES component (id) ON DELETE CASCADE,
    ip_address   TEXT NULL,
    "user"       TEXT NULL,
    password     TEXT NULL
);
CREATE INDEX bmc_component_id_idx ON bmc (component_id);

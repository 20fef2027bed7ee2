-- The inventory tables, compatible with NICo Flow's rack, component and bmc.

CREATE TABLE rack (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name          varchar NOT NULL,
    manufacturer  varchar NOT NULL,
    serial_number varchar NOT NULL,
    description   jsonb NULL,
    location      jsonb NULL,
    nvldomain_id  uuid NULL,
    status        varchar(16) DEFAULT 'new',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    ingested_at   timestamptz NULL,
    deleted_at    timestamptz NULL,
    external_id   text NULL CHECK (external_id <> '')
);
-- Name and chassis are unique over all rows, tombstones included, so that a
-- tombstone can always be resurrected without a collision.
CREATE UNIQUE INDEX rack_name_idx ON rack (name);
CREATE UNIQUE INDEX rack_manufacturer_serial_idx ON rack (manufacturer, serial_number);
CREATE UNIQUE INDEX rack_external_id_idx ON rack (external_id) WHERE external_id IS NOT NULL;

CREATE TABLE component (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name             varchar NULL,
    type             varchar(16) NOT NULL DEFAULT 'Compute',
    manufacturer     varchar NOT NULL,
    serial_number    varchar NOT NULL,
    model            varchar NULL,
    description      jsonb NULL,
    firmware_version varchar NULL,
    rack_id          uuid NULL REFERENCES rack (id) ON DELETE SET NULL,
    slot_id          bigint NULL,
    tray_index       bigint NULL,
    host_id          bigint NULL,
    external_id      text NULL,
    power_state      int NULL,
    ingested_at      timestamptz NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    deleted_at       timestamptz NULL
);
-- The natural key is global: one (manufacturer, serial) across every type.
CREATE UNIQUE INDEX component_manufacturer_serial_idx ON component (manufacturer, serial_number);
CREATE UNIQUE INDEX component_type_external_id_idx ON component (type, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX component_external_id_idx ON component (external_id);
CREATE INDEX component_rack_id_idx ON component (rack_id);

CREATE TABLE bmc (
    mac_address  varchar PRIMARY KEY,
    type         varchar NOT NULL,
    component_id uuid NOT NULL REFERENCES component (id) ON DELETE CASCADE,
    ip_address   varchar NULL,
    "user"       varchar NULL,
    password     varchar NULL
);
CREATE INDEX bmc_component_id_idx ON bmc (component_id);

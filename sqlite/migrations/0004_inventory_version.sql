-- The inventory's write counter. Every row written to rack, component or bmc,
-- whoever writes it, moves it, so that a cycle can tell with one cheap read,
-- under its lock, whether the rows it read earlier are still the rows in the
-- tables. SQLite has no statement triggers, so the triggers run per row.
CREATE TABLE inventory_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO inventory_version (id, version) VALUES (1, 0);

CREATE TRIGGER rack_version_insert AFTER INSERT ON rack
    BEGIN UPDATE inventory_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER rack_version_update AFTER UPDATE ON rack
    BEGIN UPDATE inventory_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER rack_version_delete AFTER DELETE ON rack
    BEGIN UPDATE inventory_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER component_version_insert AFTER INSERT ON component
    BEGIN UPDATE inventory_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER component_version_update AFTER UPDATE ON component
    BEGIN UPDATE inventory_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER component_version_delete AFTER DELETE ON component
    BEGIN UPDATE inventory_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER bmc_version_insert AFTER INSERT ON bmc
    BEGIN UPDATE inventory_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER bmc_version_update AFTER UPDATE ON bmc
    BEGIN UPDATE inventory_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER bmc_version_delete AFTER DELETE ON bmc
    BEGIN UPDATE inventory_version SET version = version + 1 WHERE id = 1; END;

-- The inventory's write counter. Every statement that writes rack, component
-- or bmc, whoever issues it, draws a new value, so that a cycle can tell with
-- one cheap read, under its lock, whether the rows it read earlier are still
-- the rows in the tables. A sequence rather than a row: it never blocks two
-- writers, and a rolled-back write still moves it (a needless reread, never a
-- missed one).
CREATE SEQUENCE inventory_version;

CREATE FUNCTION inventory_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('inventory_version');
    RETURN NULL;
END
$$;

CREATE TRIGGER rack_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rack
    FOR EACH STATEMENT EXECUTE FUNCTION inventory_version_bump();
CREATE TRIGGER component_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON component
    FOR EACH STATEMENT EXECUTE FUNCTION inventory_version_bump();
CREATE TRIGGER bmc_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bmc
    FOR EACH STATEMENT EXECUTE FUNCTION inventory_version_bump();

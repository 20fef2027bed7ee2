-- Indexes of the read API: resolved drift finds its "opened" row by drift id,
-- and components are looked up by serial number alone.

CREATE INDEX drift_history_drift_idx ON drift_history (drift_id, event);
CREATE INDEX component_serial_idx ON component (serial_number);


DROP VIEW events;
DROP VIEW event_columns;
ALTER TABLE event_rows RENAME TO event_rows_v3;
CREATE TABLE event_partitions (
  day TEXT PRIMARY KEY,
  table_name TEXT NOT NULL UNIQUE,
  indexed INTEGER NOT NULL
) WITHOUT ROWID;
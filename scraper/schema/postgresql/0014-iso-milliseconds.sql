-- zw_iso rounds to the millisecond as SQLite's strftime('%f') does (to_char's MS
-- truncates), so the *_iso views give the same text on both engines.
CREATE OR REPLACE FUNCTION zw_iso(seconds DOUBLE PRECISION) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(to_timestamp(round(seconds * 1000) / 1000) AT TIME ZONE 'UTC',
                   'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- zw_iso rounds to the millisecond with the arithmetic of SQLite's strftime (its
-- 'unixepoch' adds the Julian-day offset in milliseconds, then rounds half up, all in
-- doubles), where to_char's MS truncates: the *_iso views give the same text on both
-- engines for every timestamp.
CREATE OR REPLACE FUNCTION zw_iso(seconds DOUBLE PRECISION) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(to_timestamp((floor(seconds * 1000::float8 + 210866760000000::float8
                                       + 0.5::float8) - 210866760000000::float8) / 1000)
                   AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

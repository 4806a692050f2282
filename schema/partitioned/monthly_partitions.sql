-- An example partitioned layout for keen-reports (see docs/operations.md,
-- "Partitioned tables"): the append-only tables range-partitioned by month
-- on their timestamp, maintained by pg_partman (Debian's
-- postgresql-15-partman), with the primary keys partitioning requires,
-- (id, timestamp). Every report gives the same files on it as on plain
-- tables, and a day's queries read only that day's month.
--
--   tool_executions      execution_timestamp
--   phase_transitions    transition_timestamp
--   git_operations       operation_timestamp
--   streaming_events     event_timestamp (the seed partitions it by
--                        created_at, which realtime_events does not filter
--                        on, so no report could prune it)
--   credit_transactions  created_at
--
-- This script moves a database in place: each table is renamed aside, a
-- partitioned table of the same columns, defaults, checks, indexes, foreign
-- keys, triggers, row-level security, policies, owner and grants takes its
-- name, pg_partman makes the months (from the oldest row's to a few months
-- ahead, and a default partition), the rows are copied and the old table is
-- dropped. It takes the tables' locks for the whole copy: run it in a
-- maintenance window, as a superuser, with the application stopped:
--     psql "$PRIMARY_URL" -v ON_ERROR_STOP=1 -1 -f schema/partitioned/monthly_partitions.sql
-- Then schedule pg_partman's maintenance (partman.run_maintenance_proc(), or
-- its background worker) so that next months' partitions exist in time.

CREATE SCHEMA IF NOT EXISTS partman;
CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman;

CREATE FUNCTION pg_temp.partition_monthly(p_table text, p_column text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    parent regclass := format('public.%I', p_table)::regclass;
    aside text := p_table || '_unpartitioned';
    indexes text[];
    foreign_keys text[];
    triggers text[];
    policies text[];
    grants text[];
    owner text;
    oldest timestamptz;
    newest timestamptz;
    statement text;
    r record;
BEGIN
    -- What the table has, read while it still has its name.
    SELECT coalesce(array_agg(replace(pg_get_indexdef(indexrelid), ' ON ONLY ', ' ON ')), '{}') INTO indexes
      FROM pg_index WHERE indrelid = parent AND NOT indisprimary;
    SELECT pg_get_userbyid(relowner) INTO owner FROM pg_class WHERE oid = parent;
    SELECT coalesce(array_agg(format('ALTER TABLE %s ADD CONSTRAINT %I %s', parent, conname, pg_get_constraintdef(oid))), '{}')
      INTO foreign_keys FROM pg_constraint WHERE conrelid = parent AND contype = 'f';
    SELECT coalesce(array_agg(pg_get_triggerdef(oid)), '{}') INTO triggers
      FROM pg_trigger WHERE tgrelid = parent AND NOT tgisinternal;
    SELECT coalesce(array_agg(format('CREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s', policyname, parent, permissive, cmd,
                                     array_to_string(roles, ', '),
                                     CASE WHEN qual IS NOT NULL THEN ' USING (' || qual || ')' ELSE '' END,
                                     CASE WHEN with_check IS NOT NULL THEN ' WITH CHECK (' || with_check || ')' ELSE '' END)), '{}')
      INTO policies FROM pg_policies WHERE schemaname = 'public' AND tablename = p_table;
    -- Table and column privileges, as GRANT statements (PUBLIC is grantee 0).
    SELECT coalesce(array_agg(format('GRANT %s%s ON %s TO %s', a.privilege_type, coalesce(' (' || quote_ident(a.column_name) || ')', ''),
                                     parent, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)), '{}')
      INTO grants
      FROM (SELECT (aclexplode(relacl)).grantee, (aclexplode(relacl)).privilege_type, NULL::name AS column_name
              FROM pg_class WHERE oid = parent AND relacl IS NOT NULL
            UNION ALL
            SELECT (aclexplode(attacl)).grantee, (aclexplode(attacl)).privilege_type, attname
              FROM pg_attribute WHERE attrelid = parent AND attacl IS NOT NULL AND NOT attisdropped) AS a
     WHERE a.grantee <> (SELECT relowner FROM pg_class WHERE oid = parent);
    EXECUTE format('SELECT min(%I), max(%I) FROM %s', p_column, p_column, parent) INTO oldest, newest;

    -- Aside: the table, its indexes and (for a table partitioned already) its partitions.
    EXECUTE format('ALTER TABLE %s RENAME TO %I', parent, aside);
    FOR r IN SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = format('public.%I', aside)::regclass LOOP
        EXECUTE format('ALTER INDEX public.%I RENAME TO %I', r.relname, left(r.relname, 40) || '_unpartitioned');
    END LOOP;
    FOR r IN SELECT c.relname FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid WHERE h.inhparent = format('public.%I', aside)::regclass LOOP
        EXECUTE format('ALTER TABLE public.%I RENAME TO %I', r.relname, left(r.relname, 40) || '_unpartitioned');
    END LOOP;

    EXECUTE format('CREATE TABLE public.%I (LIKE public.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE (%I)',
                   p_table, aside, p_column);
    EXECUTE format('ALTER TABLE public.%I ADD PRIMARY KEY (id, %I)', p_table, p_column);
    FOREACH statement IN ARRAY indexes || foreign_keys || triggers || policies || grants LOOP
        EXECUTE statement;
    END LOOP;
    EXECUTE format('ALTER TABLE public.%I OWNER TO %I', p_table, owner);
    IF (SELECT relrowsecurity FROM pg_class WHERE oid = format('public.%I', aside)::regclass) THEN
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', p_table);
    END IF;
    IF (SELECT relforcerowsecurity FROM pg_class WHERE oid = format('public.%I', aside)::regclass) THEN
        EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', p_table);
    END IF;

    -- The months from the oldest row's to two past the newest row's (or now's), then the rows.
    PERFORM partman.create_parent(
        p_parent_table := format('public.%s', p_table), p_control := p_column, p_type := 'native', p_interval := 'monthly',
        p_start_partition := to_char(date_trunc('month', coalesce(oldest, now())), 'YYYY-MM-DD HH24:MI:SS'),
        p_premake := greatest(2, 2 + ((extract(year FROM coalesce(newest, now())) - extract(year FROM now())) * 12
                                      + extract(month FROM coalesce(newest, now())) - extract(month FROM now()))::int));
    EXECUTE format('INSERT INTO public.%I SELECT * FROM public.%I', p_table, aside);
    EXECUTE format('DROP TABLE public.%I', aside);
    EXECUTE format('ANALYZE public.%I', p_table);
END
$$;

SELECT pg_temp.partition_monthly('tool_executions', 'execution_timestamp');
SELECT pg_temp.partition_monthly('phase_transitions', 'transition_timestamp');
SELECT pg_temp.partition_monthly('git_operations', 'operation_timestamp');
SELECT pg_temp.partition_monthly('streaming_events', 'event_timestamp');
SELECT pg_temp.partition_monthly('credit_transactions', 'created_at');

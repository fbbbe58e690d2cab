using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Miso.Privacy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SummaryCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "summary_counter_deltas",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    metric = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    period = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    dim1 = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    dim2 = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    dim3 = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false),
                    late = table.Column<long>(type: "bigint", nullable: false),
                    seconds = table.Column<decimal>(type: "numeric", nullable: false),
                    latest = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_summary_counter_deltas", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "summary_counters",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    metric = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    period = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    dim1 = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    dim2 = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    dim3 = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false),
                    late = table.Column<long>(type: "bigint", nullable: false),
                    seconds = table.Column<decimal>(type: "numeric", nullable: false),
                    latest = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_summary_counters", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ux_summary_counters_key",
                schema: "privacy",
                table: "summary_counters",
                columns: new[] { "metric", "period", "dim1", "dim2", "dim3" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            // Hand-written (carry over if this migration is regenerated): what each row counts for, one SQL function
            // per table, so the triggers and the recount below cannot disagree on a rule.
            migrationBuilder.Sql("""
                CREATE FUNCTION privacy.summary_request_facts(r privacy.erasure_requests, sign int)
                RETURNS TABLE (metric text, period timestamptz, dim1 text, dim2 text, dim3 text, count bigint, late bigint, seconds numeric)
                LANGUAGE sql STABLE AS $$
                  SELECT f.metric, f.period, f.dim1, f.dim2, f.dim3, f.count, f.late, f.seconds
                    FROM (VALUES
                      ('requests', NULL::timestamptz, r.status, r.regulation, r.type, sign::bigint, 0::bigint, 0::numeric, true),
                      ('extended_by_status', NULL, r.status, '', '', sign, 0, 0, r.extended_at IS NOT NULL),
                      ('completed', date_trunc('hour', r.completed_at, 'UTC'), '', '', '', sign,
                         sign * coalesce(r.completed_at > r.due_at, false)::int, 0, r.completed_at IS NOT NULL),
                      ('completion_time', date_trunc('day', r.completed_at, 'UTC'),
                         round(extract(epoch FROM r.completed_at - r.submitted_at) / 86400, 2)::text, '', '', sign,
                         sign * coalesce(r.completed_at > r.due_at, false)::int, sign * extract(epoch FROM r.completed_at - r.submitted_at),
                         r.completed_at IS NOT NULL),
                      ('extended', date_trunc('day', r.extended_at, 'UTC'), '', '', '', sign, 0, 0, r.extended_at IS NOT NULL)
                    ) f(metric, period, dim1, dim2, dim3, count, late, seconds, counted)
                   WHERE f.counted
                $$;

                CREATE FUNCTION privacy.summary_work_item_facts(w privacy.work_items, sign int)
                RETURNS TABLE (metric text, period timestamptz, dim1 text, dim2 text, dim3 text, count bigint, latest timestamptz)
                LANGUAGE sql STABLE AS $$
                  SELECT 'work_items', NULL::timestamptz, w.environment::text, w.state, ''::text, sign::bigint,
                         CASE WHEN sign > 0 THEN w.deleted_at END
                $$;

                CREATE FUNCTION privacy.summary_sweep_facts(s privacy.request_sweeps, sign int)
                RETURNS TABLE (metric text, period timestamptz, dim1 text, dim2 text, dim3 text, count bigint)
                LANGUAGE sql STABLE AS $$
                  SELECT 'sweeps', NULL::timestamptz, s.outcome::text, ''::text, ''::text, sign::bigint WHERE s.outcome IS NOT NULL
                $$;

                -- Every counter recounted from the rows: the backfill below, and the check the tests make against the triggers.
                CREATE FUNCTION privacy.summary_recount()
                RETURNS TABLE (metric text, period timestamptz, dim1 text, dim2 text, dim3 text, count bigint, late bigint, seconds numeric,
                               latest timestamptz)
                LANGUAGE sql STABLE AS $$
                  SELECT f.metric, f.period, f.dim1, f.dim2, f.dim3, sum(f.count)::bigint, sum(f.late)::bigint, sum(f.seconds), NULL::timestamptz
                    FROM privacy.erasure_requests r, privacy.summary_request_facts(r, 1) f GROUP BY 1, 2, 3, 4, 5
                  UNION ALL
                  SELECT f.metric, f.period, f.dim1, f.dim2, f.dim3, sum(f.count)::bigint, 0, 0, max(f.latest)
                    FROM privacy.work_items w, privacy.summary_work_item_facts(w, 1) f GROUP BY 1, 2, 3, 4, 5
                  UNION ALL
                  SELECT f.metric, f.period, f.dim1, f.dim2, f.dim3, sum(f.count)::bigint, 0, 0, NULL
                    FROM privacy.request_sweeps s, privacy.summary_sweep_facts(s, 1) f GROUP BY 1, 2, 3, 4, 5
                  UNION ALL
                  SELECT 'suppressed', NULL, '', '', '', count(DISTINCT hash), 0, 0, NULL FROM privacy.suppressions WHERE lifted_at IS NULL
                $$;
                """);

            // Hand-written: the triggers. Statement-level with transition tables, so a set-based update of a thousand rows
            // appends a handful of grouped deltas, and an update that changes nothing counted appends none.
            migrationBuilder.Sql("""
                CREATE FUNCTION privacy.summary_requests_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    INSERT INTO privacy.summary_counter_deltas (metric, period, dim1, dim2, dim3, count, late, seconds, latest)
                      SELECT f.metric, f.period, f.dim1, f.dim2, f.dim3, sum(f.count), sum(f.late), sum(f.seconds), NULL
                        FROM new_rows n, privacy.summary_request_facts(n, 1) f
                       GROUP BY 1, 2, 3, 4, 5 HAVING sum(f.count) <> 0 OR sum(f.late) <> 0 OR sum(f.seconds) <> 0;
                  ELSIF TG_OP = 'UPDATE' THEN
                    INSERT INTO privacy.summary_counter_deltas (metric, period, dim1, dim2, dim3, count, late, seconds, latest)
                      SELECT f.metric, f.period, f.dim1, f.dim2, f.dim3, sum(f.count), sum(f.late), sum(f.seconds), NULL
                        FROM (SELECT f.* FROM new_rows n, privacy.summary_request_facts(n, 1) f
                              UNION ALL SELECT f.* FROM old_rows o, privacy.summary_request_facts(o, -1) f) f
                       GROUP BY 1, 2, 3, 4, 5 HAVING sum(f.count) <> 0 OR sum(f.late) <> 0 OR sum(f.seconds) <> 0;
                  ELSE
                    INSERT INTO privacy.summary_counter_deltas (metric, period, dim1, dim2, dim3, count, late, seconds, latest)
                      SELECT f.metric, f.period, f.dim1, f.dim2, f.dim3, sum(f.count), sum(f.late), sum(f.seconds), NULL
                        FROM old_rows o, privacy.summary_request_facts(o, -1) f
                       GROUP BY 1, 2, 3, 4, 5 HAVING sum(f.count) <> 0 OR sum(f.late) <> 0 OR sum(f.seconds) <> 0;
                  END IF;
                  RETURN NULL;
                END $$;

                CREATE FUNCTION privacy.summary_work_items_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    INSERT INTO privacy.summary_counter_deltas (metric, period, dim1, dim2, dim3, count, late, seconds, latest)
                      SELECT f.metric, f.period, f.dim1, f.dim2, f.dim3, sum(f.count), 0, 0, max(f.latest)
                        FROM new_rows n, privacy.summary_work_item_facts(n, 1) f
                       GROUP BY 1, 2, 3, 4, 5 HAVING sum(f.count) <> 0 OR max(f.latest) IS NOT NULL;
                  ELSIF TG_OP = 'UPDATE' THEN
                    INSERT INTO privacy.summary_counter_deltas (metric, period, dim1, dim2, dim3, count, late, seconds, latest)
                      SELECT f.metric, f.period, f.dim1, f.dim2, f.dim3, sum(f.count), 0, 0, max(f.latest)
                        FROM (SELECT f.* FROM new_rows n, privacy.summary_work_item_facts(n, 1) f
                              UNION ALL SELECT f.* FROM old_rows o, privacy.summary_work_item_facts(o, -1) f) f
                       GROUP BY 1, 2, 3, 4, 5 HAVING sum(f.count) <> 0 OR max(f.latest) IS NOT NULL;
                  ELSE
                    INSERT INTO privacy.summary_counter_deltas (metric, period, dim1, dim2, dim3, count, late, seconds, latest)
                      SELECT f.metric, f.period, f.dim1, f.dim2, f.dim3, sum(f.count), 0, 0, max(f.latest)
                        FROM old_rows o, privacy.summary_work_item_facts(o, -1) f
                       GROUP BY 1, 2, 3, 4, 5 HAVING sum(f.count) <> 0 OR max(f.latest) IS NOT NULL;
                  END IF;
                  RETURN NULL;
                END $$;

                CREATE FUNCTION privacy.summary_sweeps_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    INSERT INTO privacy.summary_counter_deltas (metric, period, dim1, dim2, dim3, count, late, seconds, latest)
                      SELECT f.metric, f.period, f.dim1, f.dim2, f.dim3, sum(f.count), 0, 0, NULL
                        FROM new_rows n, privacy.summary_sweep_facts(n, 1) f
                       GROUP BY 1, 2, 3, 4, 5 HAVING sum(f.count) <> 0;
                  ELSIF TG_OP = 'UPDATE' THEN
                    INSERT INTO privacy.summary_counter_deltas (metric, period, dim1, dim2, dim3, count, late, seconds, latest)
                      SELECT f.metric, f.period, f.dim1, f.dim2, f.dim3, sum(f.count), 0, 0, NULL
                        FROM (SELECT f.* FROM new_rows n, privacy.summary_sweep_facts(n, 1) f
                              UNION ALL SELECT f.* FROM old_rows o, privacy.summary_sweep_facts(o, -1) f) f
                       GROUP BY 1, 2, 3, 4, 5 HAVING sum(f.count) <> 0;
                  ELSE
                    INSERT INTO privacy.summary_counter_deltas (metric, period, dim1, dim2, dim3, count, late, seconds, latest)
                      SELECT f.metric, f.period, f.dim1, f.dim2, f.dim3, sum(f.count), 0, 0, NULL
                        FROM old_rows o, privacy.summary_sweep_facts(o, -1) f
                       GROUP BY 1, 2, 3, 4, 5 HAVING sum(f.count) <> 0;
                  END IF;
                  RETURN NULL;
                END $$;

                -- Suppressed subjects are distinct hashes with an active row, and one subject may hold several (one per
                -- environment). Whether this statement made a hash start or stop being suppressed depends on rows other
                -- transactions may be writing, so the hashes are locked and then counted afresh: read committed gives each
                -- statement here a new snapshot, so whoever takes a hash's lock second sees what the first committed. The
                -- locks are two-key advisory locks (apart from the ledger's one-key lock), taken in order, on the hash's
                -- first byte: at most 256 per statement however many subjects a request names.
                CREATE FUNCTION privacy.summary_suppressions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                  hashes bytea[];
                  nets bigint[];
                  delta bigint;
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    SELECT array_agg(c.hash ORDER BY c.hash), array_agg(c.net ORDER BY c.hash) INTO hashes, nets
                      FROM (SELECT x.hash, sum(x.net)::bigint AS net FROM (SELECT n.hash, 1 AS net FROM new_rows n WHERE n.lifted_at IS NULL) x GROUP BY x.hash HAVING sum(x.net) <> 0) c;
                  ELSIF TG_OP = 'UPDATE' THEN
                    SELECT array_agg(c.hash ORDER BY c.hash), array_agg(c.net ORDER BY c.hash) INTO hashes, nets
                      FROM (SELECT x.hash, sum(x.net)::bigint AS net FROM (SELECT n.hash, 1 AS net FROM new_rows n WHERE n.lifted_at IS NULL
                                     UNION ALL SELECT o.hash, -1 FROM old_rows o WHERE o.lifted_at IS NULL) x GROUP BY x.hash HAVING sum(x.net) <> 0) c;
                  ELSE
                    SELECT array_agg(c.hash ORDER BY c.hash), array_agg(c.net ORDER BY c.hash) INTO hashes, nets
                      FROM (SELECT x.hash, sum(x.net)::bigint AS net FROM (SELECT o.hash, -1 AS net FROM old_rows o WHERE o.lifted_at IS NULL) x GROUP BY x.hash HAVING sum(x.net) <> 0) c;
                  END IF;
                  IF hashes IS NULL THEN
                    RETURN NULL;
                  END IF;
                  PERFORM pg_advisory_xact_lock(1398100040, k.key)
                     FROM (SELECT DISTINCT get_byte(h, 0) AS key FROM unnest(hashes) h ORDER BY 1) k;
                  SELECT sum((a.active > 0)::int - (a.active - c.net > 0)::int) INTO delta
                    FROM unnest(hashes, nets) AS c(hash, net),
                         LATERAL (SELECT count(*) AS active FROM privacy.suppressions s WHERE s.hash = c.hash AND s.lifted_at IS NULL) a;
                  IF delta <> 0 THEN
                    INSERT INTO privacy.summary_counter_deltas (metric, period, dim1, dim2, dim3, count, late, seconds, latest)
                    VALUES ('suppressed', NULL, '', '', '', delta, 0, 0, NULL);
                  END IF;
                  RETURN NULL;
                END $$;
                """);

            // Hand-written: one trigger per event, because a trigger with transition tables names only the ones its event has.
            migrationBuilder.Sql("""
                CREATE TRIGGER summary_inserted AFTER INSERT ON privacy.erasure_requests REFERENCING NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION privacy.summary_requests_changed();
                CREATE TRIGGER summary_updated AFTER UPDATE ON privacy.erasure_requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION privacy.summary_requests_changed();
                CREATE TRIGGER summary_deleted AFTER DELETE ON privacy.erasure_requests REFERENCING OLD TABLE AS old_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION privacy.summary_requests_changed();
                CREATE TRIGGER summary_inserted AFTER INSERT ON privacy.work_items REFERENCING NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION privacy.summary_work_items_changed();
                CREATE TRIGGER summary_updated AFTER UPDATE ON privacy.work_items REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION privacy.summary_work_items_changed();
                CREATE TRIGGER summary_deleted AFTER DELETE ON privacy.work_items REFERENCING OLD TABLE AS old_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION privacy.summary_work_items_changed();
                CREATE TRIGGER summary_inserted AFTER INSERT ON privacy.request_sweeps REFERENCING NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION privacy.summary_sweeps_changed();
                CREATE TRIGGER summary_updated AFTER UPDATE ON privacy.request_sweeps REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION privacy.summary_sweeps_changed();
                CREATE TRIGGER summary_deleted AFTER DELETE ON privacy.request_sweeps REFERENCING OLD TABLE AS old_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION privacy.summary_sweeps_changed();
                CREATE TRIGGER summary_inserted AFTER INSERT ON privacy.suppressions REFERENCING NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION privacy.summary_suppressions_changed();
                CREATE TRIGGER summary_updated AFTER UPDATE ON privacy.suppressions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION privacy.summary_suppressions_changed();
                CREATE TRIGGER summary_deleted AFTER DELETE ON privacy.suppressions REFERENCING OLD TABLE AS old_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION privacy.summary_suppressions_changed();
                """);

            // Hand-written: the backfill, in this migration's transaction. Creating the triggers locked the four tables
            // against writes until commit, so no change falls between the recount and the first delta.
            migrationBuilder.Sql("""
                INSERT INTO privacy.summary_counters (metric, period, dim1, dim2, dim3, count, late, seconds, latest)
                SELECT metric, period, dim1, dim2, dim3, count, late, seconds, latest FROM privacy.summary_recount();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

            migrationBuilder.Sql("""
                DROP TRIGGER summary_inserted ON privacy.erasure_requests;
                DROP TRIGGER summary_updated ON privacy.erasure_requests;
                DROP TRIGGER summary_deleted ON privacy.erasure_requests;
                DROP TRIGGER summary_inserted ON privacy.work_items;
                DROP TRIGGER summary_updated ON privacy.work_items;
                DROP TRIGGER summary_deleted ON privacy.work_items;
                DROP TRIGGER summary_inserted ON privacy.request_sweeps;
                DROP TRIGGER summary_updated ON privacy.request_sweeps;
                DROP TRIGGER summary_deleted ON privacy.request_sweeps;
                DROP TRIGGER summary_inserted ON privacy.suppressions;
                DROP TRIGGER summary_updated ON privacy.suppressions;
                DROP TRIGGER summary_deleted ON privacy.suppressions;
                DROP FUNCTION privacy.summary_requests_changed();
                DROP FUNCTION privacy.summary_work_items_changed();
                DROP FUNCTION privacy.summary_sweeps_changed();
                DROP FUNCTION privacy.summary_suppressions_changed();
                DROP FUNCTION privacy.summary_recount();
                DROP FUNCTION privacy.summary_request_facts(privacy.erasure_requests, int);
                DROP FUNCTION privacy.summary_work_item_facts(privacy.work_items, int);
                DROP FUNCTION privacy.summary_sweep_facts(privacy.request_sweeps, int);
                """);

            migrationBuilder.DropTable(
                name: "summary_counter_deltas",
                schema: "privacy");

            migrationBuilder.DropTable(
                name: "summary_counters",
                schema: "privacy");
        }
    }
}

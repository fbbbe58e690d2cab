using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Miso.Privacy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SummaryCountersCoveringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_summary_counters_key",
                schema: "privacy",
                table: "summary_counters");

            migrationBuilder.CreateIndex(
                name: "ux_summary_counters_key",
                schema: "privacy",
                table: "summary_counters",
                columns: new[] { "metric", "period", "dim1", "dim2", "dim3" },
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "count", "late", "seconds", "latest" })
                .Annotation("Npgsql:NullsDistinct", false);

            // Index-only scans skip the heap only for pages the visibility map marks all-visible. Every fold updates the
            // current periods' rows, so by default the table waited for 20 % of its rows to change before a vacuum
            // marked those pages again; a few hundred updates are enough here (a vacuum of the unchanged pages is free).
            migrationBuilder.Sql("ALTER TABLE privacy.summary_counters SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE privacy.summary_counters RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold);");

            migrationBuilder.DropIndex(
                name: "ux_summary_counters_key",
                schema: "privacy",
                table: "summary_counters");

            migrationBuilder.CreateIndex(
                name: "ux_summary_counters_key",
                schema: "privacy",
                table: "summary_counters",
                columns: new[] { "metric", "period", "dim1", "dim2", "dim3" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);
        }
    }
}

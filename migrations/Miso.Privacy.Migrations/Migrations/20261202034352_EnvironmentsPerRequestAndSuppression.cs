using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Miso.Privacy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class EnvironmentsPerRequestAndSuppression : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // No backfill: the deployment's environment names are not known here. Existing rows keep NULL, which the
            // service reads as "every environment" (what they promised when written): a NULL suppression drops uploads
            // to every environment, a NULL request covers every configured one. New rows always name theirs.
            migrationBuilder.DropIndex(
                name: "ux_suppressions_active_hash",
                schema: "privacy",
                table: "suppressions");

            migrationBuilder.AddColumn<string>(
                name: "environment",
                schema: "privacy",
                table: "suppressions",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string[]>(
                name: "environments",
                schema: "privacy",
                table: "erasure_requests",
                type: "text[]",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ux_suppressions_active_hash_environment",
                schema: "privacy",
                table: "suppressions",
                columns: new[] { "hash", "environment" },
                unique: true,
                filter: "lifted_at IS NULL")
                .Annotation("Npgsql:NullsDistinct", false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_suppressions_active_hash_environment",
                schema: "privacy",
                table: "suppressions");

            migrationBuilder.DropColumn(
                name: "environment",
                schema: "privacy",
                table: "suppressions");

            migrationBuilder.DropColumn(
                name: "environments",
                schema: "privacy",
                table: "erasure_requests");

            // One active row per subject again: the survivor drops the subject's uploads everywhere, which is the
            // safe way to lose the environment.
            migrationBuilder.Sql("""
                DELETE FROM privacy.suppressions a USING privacy.suppressions b
                WHERE a.lifted_at IS NULL AND b.lifted_at IS NULL AND a.hash = b.hash AND a.id > b.id
                """);

            migrationBuilder.CreateIndex(
                name: "ux_suppressions_active_hash",
                schema: "privacy",
                table: "suppressions",
                column: "hash",
                unique: true,
                filter: "lifted_at IS NULL");
        }
    }
}

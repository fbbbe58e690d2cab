using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Miso.Privacy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RateGrantsAndSummaryIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "miso_rate_grants",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    environment = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    granted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_miso_rate_grants", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_work_items_environment_deleted_at",
                schema: "privacy",
                table: "work_items",
                columns: new[] { "environment", "deleted_at" },
                filter: "deleted_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_work_items_failed",
                schema: "privacy",
                table: "work_items",
                column: "environment",
                filter: "state = 'failed'");

            migrationBuilder.CreateIndex(
                name: "ix_erasure_requests_completed_at",
                schema: "privacy",
                table: "erasure_requests",
                column: "completed_at",
                filter: "completed_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_erasure_requests_status_regulation",
                schema: "privacy",
                table: "erasure_requests",
                columns: new[] { "status", "regulation" });

            migrationBuilder.CreateIndex(
                name: "ix_miso_rate_grants_environment_granted_at",
                schema: "privacy",
                table: "miso_rate_grants",
                columns: new[] { "environment", "granted_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "miso_rate_grants",
                schema: "privacy");

            migrationBuilder.DropIndex(
                name: "ix_work_items_environment_deleted_at",
                schema: "privacy",
                table: "work_items");

            migrationBuilder.DropIndex(
                name: "ix_work_items_failed",
                schema: "privacy",
                table: "work_items");

            migrationBuilder.DropIndex(
                name: "ix_erasure_requests_completed_at",
                schema: "privacy",
                table: "erasure_requests");

            migrationBuilder.DropIndex(
                name: "ix_erasure_requests_status_regulation",
                schema: "privacy",
                table: "erasure_requests");
        }
    }
}

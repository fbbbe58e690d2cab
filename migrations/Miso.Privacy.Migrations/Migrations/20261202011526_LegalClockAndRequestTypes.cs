using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Miso.Privacy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class LegalClockAndRequestTypes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing rows keep the due_at they were filed with (no recomputation: see the README's legal clock),
            // were all erase requests, and were never extended.
            migrationBuilder.DropIndex(
                name: "ix_erasure_requests_status_regulation",
                schema: "privacy",
                table: "erasure_requests");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "extended_at",
                schema: "privacy",
                table: "erasure_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "extension_reason",
                schema: "privacy",
                table: "erasure_requests",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "notified_at",
                schema: "privacy",
                table: "erasure_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "original_due_at",
                schema: "privacy",
                table: "erasure_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "type",
                schema: "privacy",
                table: "erasure_requests",
                type: "text",
                nullable: false,
                defaultValue: "erase");

            migrationBuilder.CreateIndex(
                name: "ix_erasure_requests_extended_at",
                schema: "privacy",
                table: "erasure_requests",
                column: "extended_at",
                filter: "extended_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_erasure_requests_status_regulation_type",
                schema: "privacy",
                table: "erasure_requests",
                columns: new[] { "status", "regulation", "type" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_erasure_requests_extended_at",
                schema: "privacy",
                table: "erasure_requests");

            migrationBuilder.DropIndex(
                name: "ix_erasure_requests_status_regulation_type",
                schema: "privacy",
                table: "erasure_requests");

            migrationBuilder.DropColumn(
                name: "extended_at",
                schema: "privacy",
                table: "erasure_requests");

            migrationBuilder.DropColumn(
                name: "extension_reason",
                schema: "privacy",
                table: "erasure_requests");

            migrationBuilder.DropColumn(
                name: "notified_at",
                schema: "privacy",
                table: "erasure_requests");

            migrationBuilder.DropColumn(
                name: "original_due_at",
                schema: "privacy",
                table: "erasure_requests");

            migrationBuilder.DropColumn(
                name: "type",
                schema: "privacy",
                table: "erasure_requests");

            migrationBuilder.CreateIndex(
                name: "ix_erasure_requests_status_regulation",
                schema: "privacy",
                table: "erasure_requests",
                columns: new[] { "status", "regulation" });
        }
    }
}

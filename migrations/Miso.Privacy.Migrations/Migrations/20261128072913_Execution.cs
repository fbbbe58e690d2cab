using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Miso.Privacy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class Execution : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "miso_calls",
                schema: "privacy",
                table: "erasure_requests",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "miso_rate_gates",
                schema: "privacy",
                columns: table => new
                {
                    environment = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    next_slot_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_miso_rate_gates", x => x.environment);
                });

            migrationBuilder.CreateTable(
                name: "work_items",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject_id = table.Column<long>(type: "bigint", nullable: false),
                    environment = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    operation = table.Column<string>(type: "text", nullable: false),
                    state = table.Column<string>(type: "text", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: true),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    miso_message = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_work_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_work_items_erasure_requests_request_id",
                        column: x => x.request_id,
                        principalSchema: "privacy",
                        principalTable: "erasure_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_work_items_request_subjects_subject_id",
                        column: x => x.subject_id,
                        principalSchema: "privacy",
                        principalTable: "request_subjects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_work_items_batch_id",
                schema: "privacy",
                table: "work_items",
                column: "batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_work_items_due",
                schema: "privacy",
                table: "work_items",
                columns: new[] { "environment", "operation", "next_attempt_at" },
                filter: "state IN ('pending', 'in_flight', 'retrying')");

            migrationBuilder.CreateIndex(
                name: "ix_work_items_request_id",
                schema: "privacy",
                table: "work_items",
                column: "request_id");

            migrationBuilder.CreateIndex(
                name: "ix_work_items_subject_id_environment_operation",
                schema: "privacy",
                table: "work_items",
                columns: new[] { "subject_id", "environment", "operation" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "miso_rate_gates",
                schema: "privacy");

            migrationBuilder.DropTable(
                name: "work_items",
                schema: "privacy");

            migrationBuilder.DropColumn(
                name: "miso_calls",
                schema: "privacy",
                table: "erasure_requests");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Miso.Privacy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SealedIdentifiersSweepsAndBlockedUploads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "sealed_value",
                schema: "privacy",
                table: "request_subjects",
                type: "bytea",
                maxLength: 4124,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "data_key",
                schema: "privacy",
                table: "erasure_requests",
                type: "bytea",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "shredded_at",
                schema: "privacy",
                table: "erasure_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "blocked_uploads",
                schema: "privacy",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    blocked_records = table.Column<long>(type: "bigint", nullable: false),
                    last_blocked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_blocked_uploads", x => new { x.request_id, x.day });
                    table.ForeignKey(
                        name: "fk_blocked_uploads_erasure_requests_request_id",
                        column: x => x.request_id,
                        principalSchema: "privacy",
                        principalTable: "erasure_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sweep_replays",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    completed_after = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    requests = table.Column<int>(type: "integer", nullable: false),
                    out_of_reach = table.Column<Guid[]>(type: "uuid[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sweep_replays", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "request_sweeps",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    round = table.Column<int>(type: "integer", nullable: false),
                    replay_id = table.Column<Guid>(type: "uuid", nullable: true),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    swept_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_request_sweeps", x => x.id);
                    table.ForeignKey(
                        name: "fk_request_sweeps_erasure_requests_request_id",
                        column: x => x.request_id,
                        principalSchema: "privacy",
                        principalTable: "erasure_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_request_sweeps_sweep_replays_replay_id",
                        column: x => x.replay_id,
                        principalSchema: "privacy",
                        principalTable: "sweep_replays",
                        principalColumn: "id");
                });

            migrationBuilder.CreateTable(
                name: "sweep_items",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    sweep_id = table.Column<long>(type: "bigint", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject_id = table.Column<long>(type: "bigint", nullable: false),
                    environment = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    operation = table.Column<string>(type: "text", nullable: false),
                    state = table.Column<string>(type: "text", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: true),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    miso_status = table.Column<int>(type: "integer", nullable: true),
                    miso_message = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    done_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sweep_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_sweep_items_erasure_requests_request_id",
                        column: x => x.request_id,
                        principalSchema: "privacy",
                        principalTable: "erasure_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_sweep_items_request_subjects_subject_id",
                        column: x => x.subject_id,
                        principalSchema: "privacy",
                        principalTable: "request_subjects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_sweep_items_request_sweeps_sweep_id",
                        column: x => x.sweep_id,
                        principalSchema: "privacy",
                        principalTable: "request_sweeps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_blocked_uploads_day",
                schema: "privacy",
                table: "blocked_uploads",
                column: "day");

            migrationBuilder.CreateIndex(
                name: "ix_request_sweeps_replay_id_request_id",
                schema: "privacy",
                table: "request_sweeps",
                columns: new[] { "replay_id", "request_id" },
                unique: true,
                filter: "replay_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_request_sweeps_request_id_round",
                schema: "privacy",
                table: "request_sweeps",
                columns: new[] { "request_id", "round" },
                unique: true,
                filter: "replay_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_request_sweeps_swept_at",
                schema: "privacy",
                table: "request_sweeps",
                column: "swept_at");

            migrationBuilder.CreateIndex(
                name: "ix_sweep_items_batch_id",
                schema: "privacy",
                table: "sweep_items",
                column: "batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_sweep_items_due",
                schema: "privacy",
                table: "sweep_items",
                columns: new[] { "environment", "operation", "next_attempt_at" },
                filter: "state IN ('pending', 'in_flight', 'retrying')");

            migrationBuilder.CreateIndex(
                name: "ix_sweep_items_request_id",
                schema: "privacy",
                table: "sweep_items",
                column: "request_id");

            migrationBuilder.CreateIndex(
                name: "ix_sweep_items_subject_id",
                schema: "privacy",
                table: "sweep_items",
                column: "subject_id");

            migrationBuilder.CreateIndex(
                name: "ix_sweep_items_sweep_id_subject_id_environment_operation",
                schema: "privacy",
                table: "sweep_items",
                columns: new[] { "sweep_id", "subject_id", "environment", "operation" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "blocked_uploads",
                schema: "privacy");

            migrationBuilder.DropTable(
                name: "sweep_items",
                schema: "privacy");

            migrationBuilder.DropTable(
                name: "request_sweeps",
                schema: "privacy");

            migrationBuilder.DropTable(
                name: "sweep_replays",
                schema: "privacy");

            migrationBuilder.DropColumn(
                name: "sealed_value",
                schema: "privacy",
                table: "request_subjects");

            migrationBuilder.DropColumn(
                name: "data_key",
                schema: "privacy",
                table: "erasure_requests");

            migrationBuilder.DropColumn(
                name: "shredded_at",
                schema: "privacy",
                table: "erasure_requests");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Miso.Privacy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "privacy");

            migrationBuilder.CreateTable(
                name: "audit_events",
                schema: "privacy",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    action = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    subject_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: true),
                    details = table.Column<string>(type: "jsonb", nullable: false),
                    prev_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_events", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "erasure_requests",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    regulation = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    requested_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ticket = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    created_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    fingerprint = table.Column<byte[]>(type: "bytea", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancel_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    user_id_count = table.Column<int>(type: "integer", nullable: false),
                    anonymous_id_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_erasure_requests", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "suppressions",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "text", nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lifted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lifted_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    lift_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suppressions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "request_subjects",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_request_subjects", x => x.id);
                    table.ForeignKey(
                        name: "fk_request_subjects_erasure_requests_request_id",
                        column: x => x.request_id,
                        principalSchema: "privacy",
                        principalTable: "erasure_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_occurred_at",
                schema: "privacy",
                table: "audit_events",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_request_id",
                schema: "privacy",
                table: "audit_events",
                column: "request_id");

            migrationBuilder.CreateIndex(
                name: "ix_erasure_requests_created_by_idempotency_key",
                schema: "privacy",
                table: "erasure_requests",
                columns: new[] { "created_by", "idempotency_key" },
                unique: true,
                filter: "idempotency_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_erasure_requests_number",
                schema: "privacy",
                table: "erasure_requests",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_erasure_requests_received_at",
                schema: "privacy",
                table: "erasure_requests",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_erasure_requests_status_due_at",
                schema: "privacy",
                table: "erasure_requests",
                columns: new[] { "status", "due_at" });

            migrationBuilder.CreateIndex(
                name: "ix_erasure_requests_ticket",
                schema: "privacy",
                table: "erasure_requests",
                column: "ticket");

            migrationBuilder.CreateIndex(
                name: "ix_request_subjects_hash",
                schema: "privacy",
                table: "request_subjects",
                column: "hash");

            migrationBuilder.CreateIndex(
                name: "ix_request_subjects_request_id_hash",
                schema: "privacy",
                table: "request_subjects",
                columns: new[] { "request_id", "hash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_suppressions_request_id",
                schema: "privacy",
                table: "suppressions",
                column: "request_id");

            migrationBuilder.CreateIndex(
                name: "ux_suppressions_active_hash",
                schema: "privacy",
                table: "suppressions",
                column: "hash",
                unique: true,
                filter: "lifted_at IS NULL");

            // Append-only: the chain proves tampering, the trigger stops the casual kind.
            migrationBuilder.Sql("""
                CREATE FUNCTION privacy.audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'audit_events is append-only';
                END $$;
                CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON privacy.audit_events
                    FOR EACH ROW EXECUTE FUNCTION privacy.audit_events_append_only();
                CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON privacy.audit_events
                    FOR EACH STATEMENT EXECUTE FUNCTION privacy.audit_events_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS privacy.audit_events_append_only() CASCADE;");
            migrationBuilder.DropTable(
                name: "audit_events",
                schema: "privacy");

            migrationBuilder.DropTable(
                name: "request_subjects",
                schema: "privacy");

            migrationBuilder.DropTable(
                name: "suppressions",
                schema: "privacy");

            migrationBuilder.DropTable(
                name: "erasure_requests",
                schema: "privacy");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Miso.Privacy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class WebhooksOutboxAndOpenDsr : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "callback_secrets",
                schema: "privacy",
                columns: table => new
                {
                    key_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    sealed_secret = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_callback_secrets", x => x.key_name);
                });

            migrationBuilder.CreateTable(
                name: "opendsr_requests",
                schema: "privacy",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    controller_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    subject_request_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_opendsr_requests", x => x.request_id);
                    table.ForeignKey(
                        name: "fk_opendsr_requests_erasure_requests_request_id",
                        column: x => x.request_id,
                        principalSchema: "privacy",
                        principalTable: "erasure_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "request_callbacks",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    format = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    key_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    external_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_request_callbacks", x => x.id);
                    table.ForeignKey(
                        name: "fk_request_callbacks_erasure_requests_request_id",
                        column: x => x.request_id,
                        principalSchema: "privacy",
                        principalTable: "erasure_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhooks",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    events = table.Column<string[]>(type: "text[]", nullable: false),
                    sealed_secret = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    deleted_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhooks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    event_seq = table.Column<long>(type: "bigint", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    target = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    webhook_id = table.Column<Guid>(type: "uuid", nullable: true),
                    callback_id = table.Column<long>(type: "bigint", nullable: true),
                    key_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    format = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    attempt_count = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    claim_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_status = table.Column<int>(type: "integer", nullable: true),
                    last_error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    redelivery_of = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_deliveries_erasure_requests_request_id",
                        column: x => x.request_id,
                        principalSchema: "privacy",
                        principalTable: "erasure_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_webhook_deliveries_request_callbacks_callback_id",
                        column: x => x.callback_id,
                        principalSchema: "privacy",
                        principalTable: "request_callbacks",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_webhook_deliveries_webhook_deliveries_redelivery_of",
                        column: x => x.redelivery_of,
                        principalSchema: "privacy",
                        principalTable: "webhook_deliveries",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_webhook_deliveries_webhooks_webhook_id",
                        column: x => x.webhook_id,
                        principalSchema: "privacy",
                        principalTable: "webhooks",
                        principalColumn: "id");
                });

            migrationBuilder.CreateTable(
                name: "webhook_attempts",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    delivery_id = table.Column<long>(type: "bigint", nullable: false),
                    attempted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    duration_ms = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_attempts", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_attempts_webhook_deliveries_delivery_id",
                        column: x => x.delivery_id,
                        principalSchema: "privacy",
                        principalTable: "webhook_deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_opendsr_requests_controller_id_subject_request_id",
                schema: "privacy",
                table: "opendsr_requests",
                columns: new[] { "controller_id", "subject_request_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_request_callbacks_request_id_format_url",
                schema: "privacy",
                table: "request_callbacks",
                columns: new[] { "request_id", "format", "url" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhook_attempts_delivery_id",
                schema: "privacy",
                table: "webhook_attempts",
                column: "delivery_id");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_callback_id",
                schema: "privacy",
                table: "webhook_deliveries",
                column: "callback_id");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_due",
                schema: "privacy",
                table: "webhook_deliveries",
                column: "next_attempt_at",
                filter: "state IN ('pending', 'sending')");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_event_id",
                schema: "privacy",
                table: "webhook_deliveries",
                column: "event_id");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_failed",
                schema: "privacy",
                table: "webhook_deliveries",
                column: "state",
                filter: "state = 'failed'");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_open_streams",
                schema: "privacy",
                table: "webhook_deliveries",
                columns: new[] { "target", "request_id", "event_seq" },
                filter: "state IN ('pending', 'sending')");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_redelivery_of",
                schema: "privacy",
                table: "webhook_deliveries",
                column: "redelivery_of");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_request_id",
                schema: "privacy",
                table: "webhook_deliveries",
                column: "request_id");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_webhook_id_id",
                schema: "privacy",
                table: "webhook_deliveries",
                columns: new[] { "webhook_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "callback_secrets",
                schema: "privacy");

            migrationBuilder.DropTable(
                name: "opendsr_requests",
                schema: "privacy");

            migrationBuilder.DropTable(
                name: "webhook_attempts",
                schema: "privacy");

            migrationBuilder.DropTable(
                name: "webhook_deliveries",
                schema: "privacy");

            migrationBuilder.DropTable(
                name: "request_callbacks",
                schema: "privacy");

            migrationBuilder.DropTable(
                name: "webhooks",
                schema: "privacy");
        }
    }
}

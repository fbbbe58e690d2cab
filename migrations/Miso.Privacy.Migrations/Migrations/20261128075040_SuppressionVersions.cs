using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Miso.Privacy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SuppressionVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "lifted_version",
                schema: "privacy",
                table: "suppressions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "version",
                schema: "privacy",
                table: "suppressions",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "suppression_state",
                schema: "privacy",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suppression_state", x => x.id);
                });

            migrationBuilder.InsertData(
                schema: "privacy",
                table: "suppression_state",
                columns: new[] { "id", "version" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "ix_suppressions_lifted_version",
                schema: "privacy",
                table: "suppressions",
                column: "lifted_version");

            migrationBuilder.CreateIndex(
                name: "ix_suppressions_version",
                schema: "privacy",
                table: "suppressions",
                column: "version");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "suppression_state",
                schema: "privacy");

            migrationBuilder.DropIndex(
                name: "ix_suppressions_lifted_version",
                schema: "privacy",
                table: "suppressions");

            migrationBuilder.DropIndex(
                name: "ix_suppressions_version",
                schema: "privacy",
                table: "suppressions");

            migrationBuilder.DropColumn(
                name: "lifted_version",
                schema: "privacy",
                table: "suppressions");

            migrationBuilder.DropColumn(
                name: "version",
                schema: "privacy",
                table: "suppressions");
        }
    }
}

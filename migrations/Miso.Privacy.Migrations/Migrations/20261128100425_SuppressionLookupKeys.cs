using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Miso.Privacy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SuppressionLookupKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "lookup_key",
                schema: "privacy",
                table: "suppressions",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_suppressions_active_lookup_key",
                schema: "privacy",
                table: "suppressions",
                column: "lookup_key",
                filter: "lifted_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_suppressions_active_lookup_key",
                schema: "privacy",
                table: "suppressions");

            migrationBuilder.DropColumn(
                name: "lookup_key",
                schema: "privacy",
                table: "suppressions");
        }
    }
}

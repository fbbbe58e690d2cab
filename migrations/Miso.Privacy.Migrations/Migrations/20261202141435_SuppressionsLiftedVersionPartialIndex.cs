using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Miso.Privacy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SuppressionsLiftedVersionPartialIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_suppressions_lifted_version",
                schema: "privacy",
                table: "suppressions");

            migrationBuilder.CreateIndex(
                name: "ix_suppressions_lifted_version",
                schema: "privacy",
                table: "suppressions",
                column: "lifted_version",
                filter: "lifted_version IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_suppressions_lifted_version",
                schema: "privacy",
                table: "suppressions");

            migrationBuilder.CreateIndex(
                name: "ix_suppressions_lifted_version",
                schema: "privacy",
                table: "suppressions",
                column: "lifted_version");
        }
    }
}

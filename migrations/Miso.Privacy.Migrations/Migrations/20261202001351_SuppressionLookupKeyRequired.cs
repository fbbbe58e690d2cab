using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Miso.Privacy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SuppressionLookupKeyRequired : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // No default and no backfill: every suppression ever written has its key, and a row without one would
            // be a subject the forwarder cannot see. Should one exist, this fails rather than hide it.
            migrationBuilder.AlterColumn<long>(
                name: "lookup_key",
                schema: "privacy",
                table: "suppressions",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldNullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "lookup_key",
                schema: "privacy",
                table: "suppressions",
                type: "bigint",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "bigint");
        }
    }
}

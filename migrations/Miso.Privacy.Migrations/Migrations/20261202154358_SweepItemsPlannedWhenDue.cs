using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Miso.Privacy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SweepItemsPlannedWhenDue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_request_sweeps_unswept_due",
                schema: "privacy",
                table: "request_sweeps",
                column: "due_at",
                filter: "swept_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_request_sweeps_unswept_due",
                schema: "privacy",
                table: "request_sweeps");
        }
    }
}

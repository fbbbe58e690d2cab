namespace Miso.Privacy.Dashboard.Assets;

static class PageHtml
{
    public const string Text = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Miso.Privacy · Compliance dashboard</title>
          <link rel="stylesheet" href="/dashboard/style.css">
          <script src="/dashboard/charts.js" defer></script>
          <script src="/dashboard/views.js" defer></script>
          <script src="/dashboard/app.js" defer></script>
        </head>
        <body>
          <header class="bar">
            <div class="brand"><span class="logo">◆</span> Miso.Privacy <span class="muted">compliance dashboard</span></div>
            <form id="search" class="search" autocomplete="off">
              <select id="search-kind" aria-label="Search by">
                <option value="user_id">User id</option>
                <option value="ticket">Ticket</option>
              </select>
              <input id="search-input" type="search" placeholder="Look up a user id or a ticket" aria-label="Search">
              <button type="submit">Search</button>
            </form>
            <div class="status"><span id="live" class="dot"></span><span id="as-of" class="muted">not loaded</span>
              <button id="sign-out" class="link" type="button">Forget key</button></div>
          </header>

          <dialog id="key-dialog">
            <form id="key-form" method="dialog">
              <h2>API key</h2>
              <p class="muted">A key with the <code>erasure:read</code> scope. It stays in this browser tab only (session storage).</p>
              <input id="key-input" type="password" required autocomplete="off" placeholder="mp_…">
              <p id="key-error" class="error" hidden></p>
              <button id="key-submit" type="submit">Open dashboard</button>
            </form>
          </dialog>

          <main>
            <section id="tiles" class="tiles" aria-label="Summary"></section>

            <section class="grid">
              <article class="card wide">
                <h2>Requests per day <span class="muted">last 30 days, UTC</span></h2>
                <div id="daily-chart" class="chart"></div>
              </article>
              <article class="card">
                <h2>Completion time <span class="muted">days, requests completed in the last 30 days</span></h2>
                <div id="histogram" class="chart"></div>
              </article>
            </section>

            <section class="grid">
              <article class="card">
                <h2>Overdue requests</h2>
                <ul id="overdue-list" class="requests"></ul>
              </article>
              <article class="card">
                <h2>Failed requests</h2>
                <ul id="failed-list" class="requests"></ul>
              </article>
              <article class="card">
                <h2>Miso environments</h2>
                <table id="environments" class="table"></table>
                <p id="counts" class="muted small"></p>
              </article>
            </section>

            <section id="results" class="card" hidden></section>
            <section id="detail" class="card" hidden></section>
          </main>
        </body>
        </html>
        """;
}

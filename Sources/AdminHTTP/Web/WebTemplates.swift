/// The web pages' Mustache templates (hummingbird-project/swift-mustache). Each page is a child of `layout`
/// (`{{<layout}}` with a `{{$content}}` block); `form`, `field`, `facts` and `actions` are partials the pages share.
///
/// `{{name}}` escapes HTML (`<`, `>`, `&`, `"`, `'`); nothing here uses the unescaped `{{{name}}}`. A name that is
/// nil in the current object is looked up in the enclosing ones, so the optional values a section tests
/// (`{{#.error}}`) are read with a leading dot, which stops that search.
enum WebTemplates {
    static let all: [String: String] = [
        "layout": layout, "form": form, "field": field, "facts": facts, "actions": actions,
        "signin": signIn, "problem": problem, "list": list, "record": record, "phone": phone,
        "dashboard": dashboard, "import": importPage, "calls": calls, "presence": presence, "pager": pager,
        "music": music,
    ]

    static let layout = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {{#csrf}}<meta name="csrf-token" content="{{.}}">{{/csrf}}
        <title>{{chrome.title}} · Strowger</title>
        <link rel="stylesheet" href="{{chrome.stylesheet}}">
        <script src="{{chrome.script}}" defer></script>
        </head>
        <body{{#chrome.page}} data-page="{{.}}"{{/chrome.page}}>
        <a class="skip" href="#main">Skip to the content</a>
        <header class="top">
        <p class="brand"><a href="/web/">Strowger</a></p>
        {{#chrome.session}}
        <nav class="main-nav" aria-label="Main">
        <ul>
        {{#navigation}}
        <li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>
        {{/navigation}}
        </ul>
        </nav>
        <form class="signout" method="post" action="/web/signout">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <span class="who">{{account}}</span>
        <button type="submit">Sign out</button>
        </form>
        {{/chrome.session}}
        </header>
        <main id="main">
        {{#chrome.flash}}<p class="flash" role="status">{{.}}</p>{{/chrome.flash}}
        {{$content}}{{/content}}
        </main>
        </body>
        </html>

        """

    /// A form of ``WebFormView``.
    static let form = """
        <form class="record" method="post" action="{{action}}" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}">
        {{#.version}}<input type="hidden" name="version" value="{{.}}">{{/.version}}
        {{#formError}}<p class="error" role="alert">{{.}}</p>{{/formError}}
        {{#fields}}
        {{>field}}
        {{/fields}}
        <div class="actions"><button type="submit">{{submitLabel}}</button></div>
        </form>

        """

    /// One ``WebField``: label, control, hint, error.
    static let field = """
        <div class="field{{#.error}} invalid{{/.error}}{{#isCheckbox}} check{{/isCheckbox}}">
        {{#isInput}}
        <label for="{{fieldID}}">{{label}}</label>
        <input id="{{fieldID}}" name="{{name}}" type="{{type}}" value="{{value}}"{{#required}} required{{/required}}\
        {{#.inputmode}} inputmode="{{.}}"{{/.inputmode}}{{#.autocomplete}} autocomplete="{{.}}"{{/.autocomplete}}\
        {{#.error}} aria-invalid="true"{{/.error}}{{#.describedBy}} aria-describedby="{{.}}"{{/.describedBy}}>
        {{/isInput}}
        {{#isTextarea}}
        <label for="{{fieldID}}">{{label}}</label>
        <textarea id="{{fieldID}}" name="{{name}}" rows="4"{{#.error}} aria-invalid="true"{{/.error}}\
        {{#.describedBy}} aria-describedby="{{.}}"{{/.describedBy}}>{{value}}</textarea>
        {{/isTextarea}}
        {{#isSelect}}
        <label for="{{fieldID}}">{{label}}</label>
        <select id="{{fieldID}}" name="{{name}}"{{#.error}} aria-invalid="true"{{/.error}}\
        {{#.describedBy}} aria-describedby="{{.}}"{{/.describedBy}}>
        {{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}
        </select>
        {{/isSelect}}
        {{#isCheckbox}}
        <input id="{{fieldID}}" name="{{name}}" type="checkbox" value="true"{{#checked}} checked{{/checked}}\
        {{#.error}} aria-invalid="true"{{/.error}}{{#.describedBy}} aria-describedby="{{.}}"{{/.describedBy}}>
        <label for="{{fieldID}}">{{label}}</label>
        {{/isCheckbox}}
        {{#.hint}}<p class="hint" id="{{hintID}}">{{.}}</p>{{/.hint}}
        {{#.error}}<p class="error" id="{{errorID}}">{{.}}</p>{{/.error}}
        </div>

        """

    /// A definition list of ``WebFact``s (the current object's `facts`).
    static let facts = """
        <dl class="facts">
        {{#facts}}
        <dt>{{term}}</dt><dd{{#.style}} class="{{.}}"{{/.style}}>{{#.href}}<a href="{{.}}">{{text}}</a>{{/.href}}\
        {{^.href}}{{text}}{{/.href}}</dd>
        {{/facts}}
        </dl>

        """

    /// Buttons that post with the CSRF token (the current object's `actions`).
    static let actions = """
        <div class="actions-row">
        {{#actions}}
        <form method="post" action="{{action}}">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <button type="submit"{{#.style}} class="{{.}}"{{/.style}}{{#.confirm}} data-confirm="{{.}}"{{/.confirm}}>\
        {{label}}</button>
        </form>
        {{/actions}}
        </div>

        """

    static let signIn = """
        {{<layout}}{{$content}}
        {{#body}}
        <section class="signin" aria-labelledby="signin-heading">
        <h1 id="signin-heading">Sign in to Strowger</h1>
        <p>Sign in with an account made by <code>strowger admin add NAME</code>, or as <strong>admin</strong> with the
        admin token (the file <code>admin-token</code> in the server's data directory) as the password.</p>
        {{#.problem}}<p class="error" role="alert">{{.}}</p>{{/.problem}}
        <form method="post" action="/web/signin">
        <input type="hidden" name="_csrf" value="{{token}}">
        {{#.next}}<input type="hidden" name="next" value="{{.}}">{{/.next}}
        <div class="field">
        <label for="f-name">Name</label>
        <input id="f-name" name="name" value="{{name}}" autocomplete="username" autocapitalize="none" spellcheck="false"
         required>
        </div>
        <div class="field">
        <label for="f-password">Password (or the admin token)</label>
        <input id="f-password" name="password" type="password" autocomplete="current-password" required>
        </div>
        <div class="actions"><button type="submit">Sign in</button></div>
        </form>
        </section>
        {{/body}}
        {{/content}}{{/layout}}

        """

    static let problem = """
        {{<layout}}{{$content}}
        {{#body}}
        <h1>{{title}}</h1>
        <p class="error" role="alert">{{message}}</p>
        {{#signedIn}}<p><a href="/web/">Back to the dashboard</a></p>{{/signedIn}}
        {{^signedIn}}<p><a href="/web/signin">Sign in</a></p>{{/signedIn}}
        {{/body}}
        {{/content}}{{/layout}}

        """

    /// A ``WebList``.
    static let list = """
        {{<layout}}{{$content}}
        {{#body}}
        <h1>{{heading}}</h1>
        <div class="toolbar">
        <form class="search" method="get" action="{{path}}" role="search">
        <label for="q">{{searchLabel}}</label>
        <input id="q" name="q" type="search" value="{{search}}" aria-describedby="q-hint">
        {{#.sort}}<input type="hidden" name="sort" value="{{.}}">{{/.sort}}
        {{#.direction}}<input type="hidden" name="dir" value="{{.}}">{{/.direction}}
        <button type="submit">Search</button>
        <p class="hint" id="q-hint">{{searchHint}}</p>
        </form>
        <p class="toolbar-links">
        {{#.newHref}}<a class="button" href="{{.}}">{{newLabel}}</a>{{/.newHref}}
        {{#extraLinks}}<a class="button secondary" href="{{href}}">{{text}}</a>{{/extraLinks}}
        </p>
        </div>
        <p class="summary" id="list-summary" role="status">{{summary}}</p>
        {{^.empty}}
        <div class="table-wrap">
        <table aria-describedby="list-summary">
        <thead><tr>
        {{#columns}}
        <th scope="col"{{#.ariaSort}} aria-sort="{{.}}"{{/.ariaSort}}>{{#.sortHref}}<a href="{{.}}">{{label}}\
        {{#arrow}} <span aria-hidden="true">{{.}}</span>{{/arrow}}</a>{{/.sortHref}}{{^.sortHref}}{{label}}{{/.sortHref}}</th>
        {{/columns}}
        </tr></thead>
        <tbody>
        {{#rows}}
        <tr>{{#cells}}<td{{#.style}} class="{{.}}"{{/.style}}>{{#.href}}<a href="{{.}}">{{text}}</a>{{/.href}}\
        {{^.href}}{{text}}{{/.href}}</td>{{/cells}}</tr>
        {{/rows}}
        </tbody>
        </table>
        </div>
        {{/.empty}}
        {{#pager}}{{>pager}}{{/pager}}
        {{/body}}
        {{/content}}{{/layout}}

        """

    /// A record's page: breadcrumb, heading, facts, its form, and buttons (delete …).
    static let record = """
        {{<layout}}{{$content}}
        {{#body}}
        <p class="crumbs"><a href="{{listHref}}">{{listLabel}}</a> › {{crumb}}</p>
        <h1>{{heading}}</h1>
        {{#.intro}}<p class="intro">{{.}}</p>{{/.intro}}
        {{#.details}}<section aria-label="Details">{{>facts}}</section>{{/.details}}
        {{#.form}}{{>form}}{{/.form}}
        {{#.buttons}}<section class="danger" aria-label="Actions">{{>actions}}</section>{{/.buttons}}
        {{/body}}
        {{/content}}{{/layout}}

        """

    /// A phone: registration, lines, configuration form, speed dials, actions, cnf.xml.
    static let phone = """
        {{<layout}}{{$content}}
        {{#body}}
        <p class="crumbs"><a href="/web/phones">Phones</a> › {{name}}</p>
        <h1>{{name}}</h1>
        <div class="columns">
        <section aria-labelledby="registration-heading">
        <h2 id="registration-heading">Registration</h2>
        {{#registration}}{{>facts}}{{/registration}}
        </section>
        <section aria-labelledby="lines-heading">
        <h2 id="lines-heading">Lines</h2>
        {{#lines}}{{>facts}}{{/lines}}
        {{^hasLines}}<p>No lines: the phone shows none until one is added below.</p>{{/hasLines}}
        </section>
        </div>
        {{#buttons}}<section aria-label="Actions">{{>actions}}</section>{{/buttons}}
        <section aria-labelledby="config-heading">
        <h2 id="config-heading">Configuration</h2>
        {{#form}}{{>form}}{{/form}}
        </section>
        <section aria-labelledby="speeddials-heading">
        <h2 id="speeddials-heading">Speed dials</h2>
        {{#hasSpeedDials}}
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">Button</th><th scope="col">Number</th><th scope="col">Label</th>\
        <th scope="col">Busy lamp</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
        <tbody>
        {{#speedDials}}
        <tr><td>{{index}}</td><td>{{number}}</td><td>{{label}}</td><td>{{blf}}</td><td>
        <form method="post" action="{{deleteAction}}"><input type="hidden" name="_csrf" value="{{csrf}}">
        <button type="submit" class="danger small" data-confirm="Remove speed dial {{index}}?">Remove \
        <span class="visually-hidden">speed dial {{index}}</span></button></form></td></tr>
        {{/speedDials}}
        </tbody>
        </table>
        </div>
        {{/hasSpeedDials}}
        {{^hasSpeedDials}}<p>None.</p>{{/hasSpeedDials}}
        {{#speedDialForm}}
        <h3>Set a speed dial</h3>
        {{>form}}
        {{/speedDialForm}}
        </section>
        {{#.configurationFile}}
        <section aria-labelledby="cnf-heading">
        <h2 id="cnf-heading">{{configurationFileName}}</h2>
        <p>What the phone fetches over TFTP or HTTP provisioning now.</p>
        <pre class="file" tabindex="0">{{.}}</pre>
        </section>
        {{/.configurationFile}}
        {{/body}}
        {{/content}}{{/layout}}

        """

    /// The dashboard: counts, the last hour's calls, warnings, live calls, registrations, services.
    static let dashboard = """
        {{<layout}}{{$content}}
        {{#body}}
        <h1>Dashboard</h1>
        <p class="live-state" id="live-state" role="status">Live updates need JavaScript; this page shows the state
        when it was loaded.</p>
        {{#snapshot}}
        <section class="tiles" aria-label="At a glance">
        <div class="tile"><h2>Phones registered</h2><p class="big" data-live="registered">{{registered}}</p>
        <p><span data-live="unregistered">{{unregistered}}</span> of <span data-live="configured">{{configured}}</span>
        configured phones not registered</p></div>
        <div class="tile"><h2>Calls up now</h2><p class="big" data-live="activeCalls">{{activeCalls}}</p>
        <p>Ended in the last hour: <span data-live="callsLastHour">{{callsLastHour}}</span></p></div>
        <div class="tile"><h2>Server</h2><p>CPU <span data-live="cpu">{{cpu}}</span></p>
        <p>Memory <span data-live="memory">{{memory}}</span></p><p>Disk <span data-live="disk">{{disk}}</span></p>
        <p>Up <span data-live="uptime">{{uptime}}</span></p></div>
        <div class="tile"><h2>Signalling</h2><p>SCCP messages in <span data-live="sccpIn">{{sccpIn}}</span>,
        out <span data-live="sccpOut">{{sccpOut}}</span></p>
        <p>SIP trunks <span data-live="trunks">{{trunks}}</span>; SIP refused <span data-live="sipRefused">{{sipRefused}}</span></p>
        <p>Guard refusals <span data-live="rejections">{{rejections}}</span></p>
        <p>Banned sources <span data-live="banned">{{banned}}</span></p></div>
        </section>
        <section aria-labelledby="warnings-heading">
        <h2 id="warnings-heading">Warnings</h2>
        <p data-live="warningSummary">{{warningSummary}}</p>
        <ul class="warnings" data-live-list="warnings">
        {{#warnings}}<li>{{.}}</li>{{/warnings}}
        </ul>
        </section>
        <section aria-labelledby="chart-heading">
        <h2 id="chart-heading">Calls per minute, last hour</h2>
        <p id="chart-summary" data-live="chartSummary">{{chart.summary}}</p>
        {{#chart}}
        <svg class="chart" viewBox="0 0 {{width}} {{height}}" role="img" aria-labelledby="chart-heading chart-summary"
         data-live-chart="minutes">
        {{#bars}}<rect x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"><title>{{label}}</title></rect>{{/bars}}
        </svg>
        {{/chart}}
        </section>
        <section aria-labelledby="calls-heading">
        <h2 id="calls-heading">Calls up now</h2>
        <p data-live="callSummary">{{callSummary}}</p>
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">Caller</th><th scope="col">Number</th><th scope="col">Callee</th>\
        <th scope="col">Number</th><th scope="col">State</th></tr></thead>
        <tbody data-live-table="calls">
        {{#calls}}<tr><td>{{caller}}</td><td>{{callerNumber}}</td><td>{{callee}}</td><td>{{calleeNumber}}</td>\
        <td>{{state}}</td></tr>{{/calls}}
        </tbody>
        </table>
        </div>
        </section>
        <section aria-labelledby="registrations-heading">
        <h2 id="registrations-heading">Registrations</h2>
        <p>Phones that registered or went away since this server started, newest first.</p>
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Phone</th><th scope="col">Event</th>\
        <th scope="col">Address</th></tr></thead>
        <tbody data-live-table="registrations">
        {{#registrations}}<tr><td>{{time}}</td><td>{{device}}</td><td>{{event}}</td><td>{{address}}</td></tr>\
        {{/registrations}}
        </tbody>
        </table>
        </div>
        </section>
        <section aria-labelledby="services-heading">
        <h2 id="services-heading">Listeners</h2>
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">Service</th><th scope="col">Connections open</th>\
        <th scope="col">Not registered</th><th scope="col">Refused or closed by a guard</th>\
        <th scope="col">Banned sources</th></tr></thead>
        <tbody data-live-table="services">
        {{#services}}<tr><td>{{service}}</td><td>{{open}}</td><td>{{unregistered}}</td><td>{{rejections}}</td>\
        <td>{{banned}}</td></tr>{{/services}}
        </tbody>
        </table>
        </div>
        </section>
        {{/snapshot}}
        {{/body}}
        {{/content}}{{/layout}}

        """

    static let importPage = """
        {{<layout}}{{$content}}
        {{#body}}
        <h1>Import and export</h1>
        <section aria-labelledby="export-heading">
        <h2 id="export-heading">Export</h2>
        <p>Every phone and line as a CSV in the layout the import reads (CUCM's Bulk Administration Tool "phones with
        lines" file): <a class="button secondary" href="/web/export.csv" download>Download the configuration (CSV)</a></p>
        </section>
        <section aria-labelledby="import-heading">
        <h2 id="import-heading">Import</h2>
        <p>Phones, lines and speed dials from a CSV file (docs/admin-api.md lists the columns; at most
        {{maximumRows}} rows). <strong>Check</strong> reads every row and tries it against the database without
        keeping anything; <strong>Import</strong> then applies the whole file in one transaction, or nothing if a row
        fails.</p>
        <noscript><p class="error">Importing from this page needs JavaScript. Without it, use
        <code>strowger import FILE.csv</code>.</p></noscript>
        <form id="import-form" class="record" method="post" action="/web/import/check" enctype="text/plain">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <div class="field">
        <label for="f-file">CSV file</label>
        <input id="f-file" name="file" type="file" accept=".csv,text/csv" aria-describedby="f-file-hint">
        <p class="hint" id="f-file-hint">UTF-8, comma-separated, a header line first.</p>
        </div>
        <div class="actions">
        <button type="submit" id="import-check">Check</button>
        <button type="button" id="import-apply" disabled>Import</button>
        </div>
        </form>
        <div id="import-progress" class="progress" hidden>
        <label for="import-bar" id="import-stage">Uploading</label>
        <progress id="import-bar" max="100" value="0"></progress>
        </div>
        <div id="import-report" role="status" aria-live="polite"></div>
        </section>
        {{/body}}
        {{/content}}{{/layout}}

        """

    /// Call records: the search form, the chart of calls per hour by cause, the table, paging, the CSV link.
    static let calls = """
        {{<layout}}{{$content}}
        {{#body}}
        <h1>Call records</h1>
        {{#form}}
        <form class="record filters" method="get" action="/web/calls">
        {{#formError}}<p class="error" role="alert">{{.}}</p>{{/formError}}
        <div class="filter-row">
        {{#fields}}
        {{>field}}
        {{/fields}}
        </div>
        <div class="actions"><button type="submit">{{submitLabel}}</button></div>
        </form>
        {{/form}}
        <p class="toolbar-links"><a class="button secondary" href="{{downloadHref}}">Download these records (CSV)</a></p>
        <section aria-labelledby="chart-heading">
        <h2 id="chart-heading">Calls per hour, by how they ended</h2>
        <p id="chart-summary">{{chartSummary}}</p>
        {{#chart}}
        <svg class="chart" viewBox="0 0 {{width}} {{height}}" role="img" aria-labelledby="chart-heading chart-summary">
        {{#bars}}<rect class="{{style}}" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"><title>{{label}}</title>\
        </rect>{{/bars}}
        </svg>
        <ul class="legend">{{#legend}}<li><span class="swatch {{style}}" aria-hidden="true"></span> {{label}}</li>\
        {{/legend}}</ul>
        {{/chart}}
        </section>
        <p class="summary" id="records-summary" role="status">{{summary}}</p>
        {{#hasRecords}}
        <div class="table-wrap">
        <table aria-describedby="records-summary">
        <thead><tr><th scope="col">Set up (UTC)</th><th scope="col">Calling</th><th scope="col">Dialled</th>\
        <th scope="col">Called</th><th scope="col">Answered</th><th scope="col">Duration</th><th scope="col">Ended</th>\
        <th scope="col">Released by</th></tr></thead>
        <tbody>
        {{#records}}
        <tr><td>{{setup}}</td><td>{{calling}}</td><td>{{dialed}}</td><td>{{called}}</td><td>{{answered}}</td>\
        <td>{{duration}}</td><td>{{cause}}</td><td>{{releasedBy}}</td></tr>
        {{/records}}
        </tbody>
        </table>
        </div>
        {{/hasRecords}}
        {{#pager}}{{>pager}}{{/pager}}
        {{/body}}
        {{/content}}{{/layout}}

        """

    /// Who is available, on the phone, in DND or away; kept current by the presence event stream.
    static let presence = """
        {{<layout}}{{$content}}
        {{#body}}
        <h1>Presence</h1>
        <p class="live-state" id="live-state" role="status">Live updates need JavaScript; this page shows presence when
        it was loaded.</p>
        <p>{{summary}}</p>
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">User</th><th scope="col">Name</th><th scope="col">State</th>\
        <th scope="col">Phones say</th><th scope="col">Status set</th><th scope="col">Note</th></tr></thead>
        <tbody data-live-table="presence">
        {{#rows}}
        <tr data-user="{{user}}"><td>{{user}}</td><td>{{displayName}}</td><td class="state {{state}}">{{stateLabel}}</td>\
        <td>{{activity}}</td><td>{{status}}</td><td>{{note}}</td></tr>
        {{/rows}}
        </tbody>
        </table>
        </div>
        {{/body}}
        {{/content}}{{/layout}}

        """

    /// Adding a music-on-hold source: the page's script uploads the file (`POST /web/api/music-upload`) and puts
    /// the API's error next to its field.
    static let music = """
        {{<layout}}{{$content}}
        {{#body}}
        <p class="crumbs"><a href="/web/music">Music on hold</a> › Add</p>
        <h1>Add a music source</h1>
        <p>A WAV file (PCM, float, A-law or µ-law; any rate and number of channels) or raw 8 kHz G.711 named
        <code>.ulaw</code> or <code>.alaw</code>, at most {{maximumSize}}. The server converts it once to 8 kHz and
        plays it to the parties held by the lines and phones that choose it on their pages.</p>
        {{^available}}<p class="error" role="alert">This server has no media engine: it cannot take music sources.</p>\
        {{/available}}
        <noscript><p class="error">Uploading from this page needs JavaScript. Without it, use
        <code>strowger moh add NAME FILE</code>.</p></noscript>
        <form id="music-form" class="record" method="post" action="/web/api/music-upload" enctype="text/plain"\
         novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <p class="error" role="alert" id="music-form-error" tabindex="-1" hidden></p>
        <div class="field">
        <label for="f-name">Name</label>
        <input id="f-name" name="name" type="text" required autocomplete="off" aria-describedby="f-name-hint">
        <p class="hint" id="f-name-hint">1 to 64 of letters, digits, '.', '_' and '-'; lines and phones choose the
        source by it.</p>
        </div>
        <div class="field">
        <label for="f-file">Audio file</label>
        <input id="f-file" name="file" type="file" accept=".wav,.ulaw,.alaw,.pcmu,.pcma,.ul,.al,audio/wav"\
         aria-describedby="f-file-hint">
        <p class="hint" id="f-file-hint">WAV, or raw G.711.</p>
        </div>
        <div class="field check">
        <input id="f-replace" name="replace" type="checkbox" value="true" aria-describedby="f-replace-hint">
        <label for="f-replace">Replace the source with this name</label>
        <p class="hint" id="f-replace-hint">Its lines and phones keep it and hear the new audio.</p>
        </div>
        <div class="actions"><button type="submit" id="music-add">Add music source</button></div>
        </form>
        <div id="music-progress" class="progress" hidden>
        <label for="music-bar" id="music-stage">Uploading</label>
        <progress id="music-bar" max="100" value="0"></progress>
        </div>
        {{/body}}
        {{/content}}{{/layout}}

        """

    /// First, previous, next and last links of a ``WebList/Pager``.
    static let pager = """
        <nav class="pager" aria-label="Pages">
        {{#.first}}<a href="{{.}}">First</a>{{/.first}}
        {{#.previous}}<a href="{{.}}" rel="prev">Previous</a>{{/.previous}}
        <span>{{text}}</span>
        {{#.next}}<a href="{{.}}" rel="next">Next</a>{{/.next}}
        {{#.last}}<a href="{{.}}">Last</a>{{/.last}}
        </nav>

        """
}

import Crypto
import Foundation
import Hummingbird
import NIOCore

/// The web pages' one stylesheet and one script, part of the server binary (no CDN, no build step). They are served
/// under a URL that carries a hash of their text, so browsers may keep them for a year and still see a new version
/// at once.
enum WebAssets {
    static let stylesheetPath = "/web/static/strowger.css?v=" + version(of: stylesheet)
    static let scriptPath = "/web/static/strowger.js?v=" + version(of: script)

    /// The first 12 hex digits of the text's SHA-256.
    static func version(of text: String) -> String {
        String(
            SHA256.hash(data: Data(text.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined().prefix(12)
        )
    }

    static func response(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: "public, max-age=31536000, immutable",
                .xContentTypeOptions: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    static let stylesheet = #"""
        :root {
          --ink: #1b1f24; --muted: #545b64; --line: #c9ced6; --paper: #ffffff; --wash: #f3f5f8;
          --accent: #0b5cad; --accent-ink: #ffffff; --ok: #1d6b2f; --warn: #8a4b00; --bad: #a3161b;
          --focus: #f2b705;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          color: var(--ink); background: var(--paper); line-height: 1.45;
        }
        * { box-sizing: border-box; }
        body { margin: 0; }
        a { color: var(--accent); }
        a:focus, button:focus, input:focus, select:focus, textarea:focus, pre:focus, summary:focus {
          outline: 3px solid var(--focus); outline-offset: 2px;
        }
        .skip { position: absolute; left: -999px; top: 0; background: var(--paper); padding: .5rem; }
        .skip:focus { left: .5rem; z-index: 10; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
          white-space: nowrap; }
        header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .5rem 1rem;
          background: #12233a; color: #fff; }
        header.top a { color: #fff; }
        .brand { margin: 0; font-weight: 700; font-size: 1.15rem; }
        .brand a { text-decoration: none; }
        .main-nav { flex: 1 1 auto; overflow-x: auto; }
        .main-nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem .75rem; }
        .main-nav a { text-decoration: none; padding: .25rem 0; display: inline-block; }
        .main-nav a[aria-current="page"] { border-bottom: 3px solid var(--focus); }
        .signout { display: flex; align-items: center; gap: .5rem; margin: 0; }
        .who { opacity: .85; }
        main { padding: 1rem; max-width: 80rem; margin: 0 auto; }
        h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
        h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
        h3 { font-size: 1.05rem; margin: 1rem 0 .5rem; }
        .flash { background: #e6f4ea; border-left: 4px solid var(--ok); padding: .5rem .75rem; }
        .error { color: var(--bad); font-weight: 600; margin: .25rem 0; }
        p.error[role="alert"] { background: #fdecec; border-left: 4px solid var(--bad); padding: .5rem .75rem; }
        .hint { color: var(--muted); font-size: .9rem; margin: .2rem 0; }
        .crumbs { margin: 0; color: var(--muted); }
        button, .button { font: inherit; padding: .4rem .9rem; border-radius: 4px; border: 1px solid var(--accent);
          background: var(--accent); color: var(--accent-ink); cursor: pointer; text-decoration: none;
          display: inline-block; }
        button.secondary, .button.secondary { background: var(--paper); color: var(--accent); }
        button.danger { background: var(--bad); border-color: var(--bad); }
        button.small { padding: .15rem .5rem; font-size: .9rem; }
        button[disabled] { opacity: .5; cursor: not-allowed; }
        header.top button { background: transparent; border-color: #fff; }
        form.record { max-width: 44rem; }
        .field { margin: 0 0 .9rem; }
        .field label { display: block; font-weight: 600; margin-bottom: .2rem; }
        .field.check { display: flex; flex-wrap: wrap; align-items: center; gap: .25rem .5rem; }
        .field.check label { display: inline; margin: 0; }
        .field.check .hint, .field.check .error { flex-basis: 100%; }
        input, select, textarea { font: inherit; padding: .35rem .5rem; border: 1px solid #8a929c; border-radius: 4px;
          max-width: 100%; }
        input[type="text"], input[type="search"], input[type="password"], input:not([type]), select, textarea {
          width: 100%; }
        input[type="checkbox"] { width: 1.15rem; height: 1.15rem; }
        .invalid input, .invalid select, .invalid textarea { border: 2px solid var(--bad); }
        .actions, .actions-row { display: flex; flex-wrap: wrap; gap: .5rem; margin: .75rem 0; }
        .actions-row form { margin: 0; }
        .toolbar { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: flex-end;
          justify-content: space-between; }
        .search { display: flex; flex-wrap: wrap; gap: .25rem .5rem; align-items: center; max-width: 36rem;
          flex: 1 1 20rem; }
        .search label { flex-basis: 100%; font-weight: 600; }
        .search input { flex: 1 1 12rem; width: auto; }
        .search .hint { flex-basis: 100%; }
        .toolbar-links { display: flex; gap: .5rem; flex-wrap: wrap; }
        .summary { color: var(--muted); }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
        th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        thead th { background: var(--wash); white-space: nowrap; }
        td.ok, dd.ok, .state.available, .state.onCall { color: var(--ok); font-weight: 600; }
        td.off, dd.off, .state.offline, .state.unknown { color: var(--muted); }
        td.warn, dd.warn { color: var(--warn); font-weight: 600; }
        .state.busy, .state.dnd, .state.ringing, .state.onHold { color: var(--bad); font-weight: 600; }
        .state.away { color: var(--warn); font-weight: 600; }
        .pager { display: flex; gap: 1rem; flex-wrap: wrap; align-items: center; margin: 1rem 0; }
        .facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
        .facts dt { font-weight: 600; }
        .facts dd { margin: 0; }
        .columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 0 2rem; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 1rem; }
        .tile { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; background: var(--wash); }
        .tile h2 { margin: 0 0 .25rem; font-size: 1rem; }
        .tile p { margin: .2rem 0; }
        .big { font-size: 2.2rem; font-weight: 700; }
        .warnings li { color: var(--warn); font-weight: 600; }
        .live-state { color: var(--muted); font-size: .9rem; }
        svg.chart { width: 100%; max-width: 60rem; height: auto; border-bottom: 1px solid var(--line);
          background: var(--wash); }
        svg.chart rect { fill: var(--accent); }
        svg.chart rect.normalClearing, .swatch.normalClearing { fill: #1d6b2f; background: #1d6b2f; }
        svg.chart rect.abandoned, .swatch.abandoned { fill: #8a4b00; background: #8a4b00; }
        svg.chart rect.busy, .swatch.busy { fill: #a3161b; background: #a3161b; }
        svg.chart rect.invalidNumber, .swatch.invalidNumber { fill: #6b3fa0; background: #6b3fa0; }
        svg.chart rect.unavailable, .swatch.unavailable { fill: #545b64; background: #545b64; }
        svg.chart rect.blocked, .swatch.blocked { fill: #000000; background: #000000; }
        svg.chart rect.deviceLost, .swatch.deviceLost { fill: #0b5cad; background: #0b5cad; }
        svg.chart rect.redirected, .swatch.redirected { fill: #2a8c8c; background: #2a8c8c; }
        .legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
        .swatch { display: inline-block; width: .9rem; height: .9rem; vertical-align: middle; }
        .filter-row { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 0 1rem; }
        form.filters { max-width: none; }
        pre.file { background: var(--wash); border: 1px solid var(--line); padding: .75rem; overflow-x: auto;
          font-size: .85rem; }
        .signin { max-width: 26rem; margin: 2rem auto; }
        .progress { margin: .75rem 0; }
        .progress progress { width: 100%; max-width: 30rem; height: 1.2rem; }
        .danger { margin-top: 1.5rem; }
        .report-ok { color: var(--ok); font-weight: 600; }
        @media (max-width: 40rem) {
          main { padding: .75rem; }
          .big { font-size: 1.8rem; }
          .facts { grid-template-columns: 1fr; }
          .facts dd { margin-bottom: .4rem; }
        }
        @media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
        """#

    static let script = #"""
        // Strowger's web administration: the little that needs a script. Everything else is plain forms and links.
        (function () {
          'use strict';

          function csrfToken() {
            var meta = document.querySelector('meta[name="csrf-token"]');
            return meta ? meta.getAttribute('content') : '';
          }

          function text(element, value) {
            if (element) { element.textContent = value === undefined || value === null ? '' : String(value); }
          }

          function cell(row, value) {
            var td = document.createElement('td');
            td.textContent = value === undefined || value === null ? '' : String(value);
            row.appendChild(td);
            return td;
          }

          // Buttons with data-confirm ask first (delete, reset).
          document.addEventListener('submit', function (event) {
            var button = event.submitter || event.target.querySelector('[data-confirm]');
            var question = button && button.getAttribute('data-confirm');
            if (question && !window.confirm(question)) { event.preventDefault(); }
          });

          // After a failed save, the first field with an error gets the focus.
          var invalid = document.querySelector('[aria-invalid="true"]');
          if (invalid) { invalid.focus(); }

          function liveState(message) { text(document.getElementById('live-state'), message); }

          // Opens an event stream and keeps the status line current; the browser reconnects by itself.
          function stream(url, handlers) {
            if (!window.EventSource) { return; }
            var source = new EventSource(url);
            source.onopen = function () { liveState('Live: updated as things change.'); };
            source.onerror = function () { liveState('Connection lost; reconnecting…'); };
            Object.keys(handlers).forEach(function (name) {
              source.addEventListener(name, function (event) { handlers[name](JSON.parse(event.data)); });
            });
          }

          function fillTable(name, rows, columns) {
            var body = document.querySelector('[data-live-table="' + name + '"]');
            if (!body) { return; }
            var fresh = document.createDocumentFragment();
            rows.forEach(function (item) {
              var row = document.createElement('tr');
              columns.forEach(function (key) { cell(row, item[key]); });
              fresh.appendChild(row);
            });
            body.replaceChildren(fresh);
          }

          function dashboard() {
            stream('/web/events', {
              status: function (s) {
                document.querySelectorAll('[data-live]').forEach(function (element) {
                  var key = element.getAttribute('data-live');
                  if (key in s) { text(element, s[key]); }
                });
                var list = document.querySelector('[data-live-list="warnings"]');
                if (list) {
                  var items = document.createDocumentFragment();
                  s.warnings.forEach(function (warning) {
                    var li = document.createElement('li');
                    li.textContent = warning;
                    items.appendChild(li);
                  });
                  list.replaceChildren(items);
                }
                fillTable('calls', s.calls, ['caller', 'callerNumber', 'callee', 'calleeNumber', 'state']);
                fillTable('registrations', s.registrations, ['time', 'device', 'event', 'address']);
                fillTable('services', s.services, ['service', 'open', 'unregistered', 'rejections', 'banned']);
                var chart = document.querySelector('[data-live-chart="minutes"]');
                if (chart && s.chart) {
                  var bars = document.createDocumentFragment();
                  s.chart.bars.forEach(function (bar) {
                    var rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
                    ['x', 'y', 'width', 'height'].forEach(function (key) { rect.setAttribute(key, bar[key]); });
                    var title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
                    title.textContent = bar.label;
                    rect.appendChild(title);
                    bars.appendChild(rect);
                  });
                  chart.replaceChildren(bars);
                }
                document.body.setAttribute('data-updated', String(Date.now()));
              }
            });
          }

          function presence() {
            var labels = {
              offline: 'Offline', available: 'Available', away: 'Away', busy: 'Busy', dnd: 'Do not disturb',
              ringing: 'Ringing', onCall: 'On the phone', onHold: 'On hold', unknown: 'Hidden'
            };
            var body = document.querySelector('[data-live-table="presence"]');
            stream('/web/api/presence/events', {
              presence: function (p) {
                if (!body) { return; }
                var row = null;
                body.querySelectorAll('tr[data-user]').forEach(function (candidate) {
                  if (candidate.getAttribute('data-user') === p.user) { row = candidate; }
                });
                if (!row) {
                  row = document.createElement('tr');
                  row.setAttribute('data-user', p.user);
                  body.appendChild(row);
                }
                row.replaceChildren();
                cell(row, p.user);
                cell(row, p.displayName);
                var state = cell(row, labels[p.state] || p.state);
                state.className = 'state ' + p.state;
                cell(row, p.activity);
                cell(row, p.status);
                cell(row, p.note);
              }
            });
          }

          function importer() {
            var form = document.getElementById('import-form');
            var input = document.getElementById('f-file');
            var apply = document.getElementById('import-apply');
            var check = document.getElementById('import-check');
            var box = document.getElementById('import-progress');
            var bar = document.getElementById('import-bar');
            var stage = document.getElementById('import-stage');
            var report = document.getElementById('import-report');
            if (!form || !input) { return; }

            function paragraph(message, className) {
              var p = document.createElement('p');
              p.textContent = message;
              if (className) { p.className = className; }
              return p;
            }

            function errorsTable(errors) {
              var table = document.createElement('table');
              var head = document.createElement('thead');
              var headRow = document.createElement('tr');
              ['CSV line', 'Column', 'Problem'].forEach(function (label) {
                var th = document.createElement('th');
                th.scope = 'col';
                th.textContent = label;
                headRow.appendChild(th);
              });
              head.appendChild(headRow);
              table.appendChild(head);
              var body = document.createElement('tbody');
              errors.forEach(function (error) {
                var row = document.createElement('tr');
                cell(row, error.line);
                cell(row, error.column || '');
                cell(row, error.message);
                body.appendChild(row);
              });
              table.appendChild(body);
              return table;
            }

            function send(url, working, done) {
              var file = input.files && input.files[0];
              if (!file) { report.replaceChildren(paragraph('Choose a CSV file first.', 'error')); return; }
              var request = new XMLHttpRequest();
              request.open('POST', url);
              request.setRequestHeader('Content-Type', 'text/csv');
              request.setRequestHeader('X-CSRF-Token', csrfToken());
              request.setRequestHeader('Accept', 'application/json');
              box.hidden = false;
              bar.value = 0;
              text(stage, 'Uploading ' + file.name);
              check.disabled = true;
              apply.disabled = true;
              request.upload.onprogress = function (event) {
                if (event.lengthComputable) { bar.value = Math.round(100 * event.loaded / event.total); }
              };
              request.upload.onload = function () {
                text(stage, working);
                bar.removeAttribute('value');
              };
              request.onload = function () {
                box.hidden = true;
                check.disabled = false;
                var answer = null;
                try { answer = JSON.parse(request.responseText); } catch (e) { answer = null; }
                done(request.status, answer);
              };
              request.onerror = function () {
                box.hidden = true;
                check.disabled = false;
                report.replaceChildren(paragraph('The server did not answer.', 'error'));
              };
              request.send(file);
            }

            input.addEventListener('change', function () { apply.disabled = true; report.replaceChildren(); });

            form.addEventListener('submit', function (event) {
              event.preventDefault();
              send('/web/import/check', 'Checking every row…', function (status, answer) {
                if (!answer) {
                  report.replaceChildren(paragraph('The check failed (HTTP ' + status + ').', 'error'));
                  return;
                }
                if (answer.error) {
                  report.replaceChildren(paragraph(answer.error.message, 'error'));
                  return;
                }
                var nodes = [];
                if (answer.ok) {
                  nodes.push(paragraph(answer.message, 'report-ok'));
                  apply.disabled = false;
                } else {
                  nodes.push(paragraph(answer.message, 'error'));
                  nodes.push(errorsTable(answer.errors));
                }
                report.replaceChildren.apply(report, nodes);
              });
            });

            apply.addEventListener('click', function () {
              send('/web/api/import', 'Importing…', function (status, answer) {
                if (answer && answer.error) {
                  report.replaceChildren(paragraph(answer.error.message + ' Nothing was imported.', 'error'));
                  return;
                }
                if (status !== 200 || !answer) {
                  report.replaceChildren(paragraph('The import failed (HTTP ' + status + ').', 'error'));
                  return;
                }
                report.replaceChildren(paragraph(
                  'Imported ' + answer.rows + ' rows: ' + answer.linesCreated + ' lines created, ' +
                  answer.linesUpdated + ' updated; ' + answer.devicesCreated + ' phones created, ' +
                  answer.devicesUpdated + ' updated; ' + answer.speedDials + ' speed dials.', 'report-ok'));
              });
            });
          }

          // The music page: upload the file, then open the new source's page; an error goes next to its field.
          function music() {
            var form = document.getElementById('music-form');
            var name = document.getElementById('f-name');
            var input = document.getElementById('f-file');
            var replace = document.getElementById('f-replace');
            var button = document.getElementById('music-add');
            var summary = document.getElementById('music-form-error');
            var box = document.getElementById('music-progress');
            var bar = document.getElementById('music-bar');
            var stage = document.getElementById('music-stage');
            if (!form || !name || !input) { return; }

            function clearErrors() {
              summary.hidden = true;
              form.querySelectorAll('.field').forEach(function (field) { field.classList.remove('invalid'); });
              form.querySelectorAll('p.error[id$="-error"]').forEach(function (p) {
                if (p !== summary) { p.remove(); }
              });
              [name, input].forEach(function (element) {
                element.removeAttribute('aria-invalid');
                element.setAttribute('aria-describedby', element.id + '-hint');
              });
            }

            function showError(message, element) {
              if (!element) {
                text(summary, message);
                summary.hidden = false;
                summary.focus();
                return;
              }
              var p = document.createElement('p');
              p.className = 'error';
              p.id = element.id + '-error';
              p.textContent = message;
              element.parentNode.appendChild(p);
              element.parentNode.classList.add('invalid');
              element.setAttribute('aria-invalid', 'true');
              element.setAttribute('aria-describedby', element.id + '-hint ' + p.id);
              text(summary, 'The music source was not added: see the field marked below.');
              summary.hidden = false;
              element.focus();
            }

            form.addEventListener('submit', function (event) {
              event.preventDefault();
              clearErrors();
              var file = input.files && input.files[0];
              if (!file) { showError('Choose an audio file.', input); return; }
              var replacing = replace && replace.checked;
              var url = '/web/api/music-upload?name=' + encodeURIComponent(name.value.trim()) +
                '&file=' + encodeURIComponent(file.name) + (replacing ? '&replace=true' : '');
              var request = new XMLHttpRequest();
              request.open('POST', url);
              request.setRequestHeader('Content-Type', 'application/octet-stream');
              request.setRequestHeader('X-CSRF-Token', csrfToken());
              request.setRequestHeader('Accept', 'application/json');
              box.hidden = false;
              bar.value = 0;
              text(stage, 'Uploading ' + file.name);
              button.disabled = true;
              request.upload.onprogress = function (event) {
                if (event.lengthComputable) { bar.value = Math.round(100 * event.loaded / event.total); }
              };
              request.upload.onload = function () {
                text(stage, 'Converting…');
                bar.removeAttribute('value');
              };
              request.onload = function () {
                box.hidden = true;
                button.disabled = false;
                var answer = null;
                try { answer = JSON.parse(request.responseText); } catch (e) { answer = null; }
                if ((request.status === 200 || request.status === 201) && answer && answer.name) {
                  window.location.assign('/web/music/' + encodeURIComponent(answer.name) + '?done=' +
                    (request.status === 201 ? 'created' : 'saved'));
                  return;
                }
                if (answer && answer.error) {
                  var field = answer.error.field === 'musicSource.name' ? name : null;
                  if (!answer.error.field && request.status !== 503) { field = input; }
                  showError(answer.error.message, field);
                  return;
                }
                showError('The upload failed (HTTP ' + request.status + ').', null);
              };
              request.onerror = function () {
                box.hidden = true;
                button.disabled = false;
                showError('The server did not answer.', null);
              };
              request.send(file);
            });
          }

          var page = document.body.getAttribute('data-page');
          if (page === 'dashboard') { dashboard(); }
          if (page === 'presence') { presence(); }
          if (page === 'import') { importer(); }
          if (page === 'music') { music(); }
        })();
        """#
}

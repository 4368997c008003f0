// Continuity console: a Cockpit plugin (dashboard section, header link and the route #/continuity).
// It reads GET /api/console/... with the Cockpit login session (no second password) and draws its
// charts with ECharts from the WebJar the service serves itself (/webjars/echarts/...).

const APP_ROOT = (document.querySelector('base') && document.querySelector('base').getAttribute('app-root')) || '/camunda';
// The web apps live one path segment below the service (by default /camunda): the API and the
// WebJars are served from the service's root.
const SERVICE_ROOT = APP_ROOT.replace(/\/[^/]*$/, '');
const ECHARTS_URL = SERVICE_ROOT + '/webjars/echarts/5.3.1/dist/echarts.esm.min.js';
const REFRESH_MS = 15000;
const ROUTE = '/continuity';

let echartsLoading;
function echartsLib() {
  if (!echartsLoading) {
    echartsLoading = import(ECHARTS_URL);
  }
  return echartsLoading;
}

async function get(path) {
  const response = await fetch(SERVICE_ROOT + '/api/console/' + path, {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' }
  });
  if (!response.ok) {
    throw new Error('GET /api/console/' + path + ' answered ' + response.status);
  }
  return response.json();
}

function esc(value) {
  if (value === null || value === undefined) {
    return '';
  }
  return String(value).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function time(value) {
  return value ? new Date(value).toLocaleString() : '—';
}

function ago(value, now) {
  if (!value) {
    return 'never';
  }
  return duration((new Date(now) - new Date(value)) / 1000) + ' ago';
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) {
    return '—';
  }
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) {
    return s + ' s';
  }
  if (s < 7200) {
    return Math.round(s / 60) + ' min';
  }
  if (s < 172800) {
    return (s / 3600).toFixed(1) + ' h';
  }
  return (s / 86400).toFixed(1) + ' d';
}

function instanceLink(id) {
  return id ? '<a href="#/process-instance/' + encodeURIComponent(id) + '/runtime">' + esc(id.substring(0, 8)) + '…</a>' : '—';
}

const STYLE = `
.sco-console { padding: 10px 15px; }
.sco-console h2 { margin: 0 0 10px; }
.sco-console section { border: 1px solid #ddd; border-radius: 3px; padding: 8px 12px; margin-bottom: 14px; background: #fff; }
.sco-console section h3 { margin: 0 0 8px; font-size: 16px; }
.sco-console table { width: 100%; font-size: 13px; }
.sco-console th, .sco-console td { padding: 2px 6px; text-align: left; vertical-align: top; border-bottom: 1px solid #eee; }
.sco-tiles { display: flex; flex-wrap: wrap; gap: 10px; }
.sco-tile { border: 1px solid #ccc; border-radius: 3px; padding: 6px 12px; min-width: 120px; }
.sco-tile b { display: block; font-size: 22px; }
.sco-down { color: #b5152b; font-weight: bold; }
.sco-up { color: #2b7a0b; }
.sco-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 14px; }
.sco-chart { width: 100%; height: 260px; }
.sco-muted { color: #777; }
.sco-pager { margin-top: 6px; }
.sco-pager button, .sco-toggle button { margin-right: 4px; }
.sco-error { color: #b5152b; }
`;

function addStyle() {
  if (!document.getElementById('sco-console-style')) {
    const style = document.createElement('style');
    style.id = 'sco-console-style';
    style.textContent = STYLE;
    document.head.appendChild(style);
  }
}

// ---- sections ---------------------------------------------------------------------------------

function tiles(summary) {
  const s = summary.servers;
  const kinds = s.byKind.map(k => esc(k.key) + ': ' + k.up + '/' + k.total + ' up').join(', ');
  return '<div class="sco-tiles">'
    + tile('Servers', s.total, '<span class="sco-up">' + s.up + ' up</span>, <span class="' + (s.down ? 'sco-down' : '') + '">' + s.down + ' down</span>')
    + tile('Hub pairs', summary.hubPairs, '')
    + tile('Database pairs', summary.databasePairs, '')
    + tile('Running operations', summary.runningOperations, '')
    + tile('Active pauses', summary.activePauses, '')
    + '</div><div class="sco-muted">' + kinds + ' · as of ' + esc(time(summary.now)) + '</div>';
}

function tile(label, value, detail) {
  return '<div class="sco-tile">' + esc(label) + '<b>' + esc(value) + '</b>' + detail + '</div>';
}

function table(headers, rows, empty) {
  if (!rows.length) {
    return '<p class="sco-muted">' + esc(empty) + '</p>';
  }
  return '<table><thead><tr>' + headers.map(h => '<th>' + esc(h) + '</th>').join('') + '</tr></thead><tbody>'
    + rows.map(r => '<tr>' + r.map(c => '<td>' + c + '</td>').join('') + '</tr>').join('') + '</tbody></table>';
}

function pager(page, name) {
  const pages = Math.max(1, Math.ceil(page.total / page.size));
  return '<div class="sco-pager" data-pager="' + name + '">'
    + '<button type="button" class="btn btn-default btn-xs" data-page="' + (page.page - 1) + '"' + (page.page <= 0 ? ' disabled' : '') + '>‹</button>'
    + '<button type="button" class="btn btn-default btn-xs" data-page="' + (page.page + 1) + '"' + (page.page + 1 >= pages ? ' disabled' : '') + '>›</button>'
    + ' page ' + (page.page + 1) + ' of ' + pages + ' (' + page.total + ')</div>';
}

function statusCell(status) {
  return '<span class="' + (status === 'Up' ? 'sco-up' : 'sco-down') + '">' + esc(status) + '</span>';
}

function renderServers(page, now) {
  return table(['server', 'kind', 'site', 'standby', 'status', 'last heartbeat'],
    page.items.map(s => [esc(s.name), esc(s.kind), esc(s.site), esc(s.standby), statusCell(s.status),
      esc(ago(s.lastHeartbeat, now))]), 'No servers registered.') + pager(page, 'servers');
}

function renderHubs(page, now) {
  return table(['pair', 'acting', 'standby', 'primary hub heard', 'secondary hub heard', 'standby synced'],
    page.items.map(h => [esc(h.name), h.actingHub ? '<b>' + esc(h.actingHub) + '</b>' : '<span class="sco-muted">none heard yet</span>',
      esc(h.standbyHub || '—'), esc(h.primaryHub) + ': ' + esc(ago(h.primaryLastHeartbeat, now)),
      esc(h.secondaryHub) + ': ' + esc(ago(h.secondaryLastHeartbeat, now)), esc(time(h.standbySyncedAt))]),
    'No hub pairs registered.') + pager(page, 'hubs');
}

function syncText(sync) {
  if (sync.stoppedAt) {
    return '<span class="sco-down">stopped</span> ' + esc(sync.stoppedReason);
  }
  const running = sync.running ? 'running since ' + esc(time(sync.runningSince)) : 'idle';
  const failures = sync.consecutiveFailures ? ', <span class="sco-down">' + sync.consecutiveFailures + ' failed</span>' : '';
  return running + failures + '<br><span class="sco-muted">last success ' + esc(time(sync.lastSuccessAt)) + '</span>';
}

function renderDatabases(page) {
  return table(['primary', 'failover', 'sync', 'data-loss window now', 'consumers'],
    page.items.map(p => [esc(p.primary) + ' <span class="sco-muted">(' + esc(p.primaryRole) + ')</span>',
      esc(p.failover) + ' <span class="sco-muted">(' + esc(p.failoverRole) + ')</span>',
      syncText(p.sync),
      p.dataLossWindowSeconds === undefined || p.dataLossWindowSeconds === null ? '<span class="sco-muted">no successful sync</span>' : esc(duration(p.dataLossWindowSeconds)),
      p.consumersOnPrimary + ' on ' + esc(p.primary) + ', ' + p.consumersOnFailover + ' on ' + esc(p.failover)
        + (p.bindings.length ? '<br><span class="sco-muted">' + p.bindings.map(b => esc(b.consumer) + ' → ' + esc(b.database)).join(', ') + '</span>' : '')]),
    'No database pairs registered.') + pager(page, 'databases');
}

function renderOperations(list) {
  return table(['operation', 'subject', 'mode', 'state', 'requested by', 'since', 'process instance'],
    list.map(o => [esc(o.kind) + ' ' + esc(o.id), esc(o.subject), esc(o.mode || '—'), esc(o.state), esc(o.requestedBy),
      esc(time(o.since)), instanceLink(o.processInstanceId)]), 'No operation running.');
}

function renderDecisions(list) {
  return table(['when', 'sensor', 'subject', 'action', 'why', 'repeats', 'process instance'],
    list.map(d => [esc(time(d.lastDecidedAt || d.decidedAt)), esc(d.sensor), esc(d.subject), esc(d.action), esc(d.reason),
      esc(d.occurrences), instanceLink(d.processInstanceId)]), 'No sensor decision recorded yet.');
}

function renderPauses(list) {
  return table(['target', 'reason', 'by', 'since', 'until', 'state'],
    list.map(p => [esc(p.targetKind) + ' ' + esc(p.targetName), esc(p.reason), esc(p.pausedBy), esc(time(p.pausedAt)),
      esc(time(p.pausedUntil)), p.endedAt ? 'ended, review ' + esc(p.reviewState) : 'active']), 'No maintenance pause active.');
}

// ---- charts -----------------------------------------------------------------------------------

const CHARTS = [
  { id: 'data-loss', title: 'Data-loss window per pair', ranges: ['24h', '7d'], path: r => 'charts/data-loss?range=' + r,
    option: d => ({
      tooltip: { trigger: 'axis' }, legend: { type: 'scroll', top: 0 },
      xAxis: { type: 'time' }, yAxis: { type: 'value', name: 'minutes' },
      series: d.data.map(s => ({ name: s.name, type: 'line', showSymbol: true, symbolSize: 4, connectNulls: false,
        data: s.points.map(p => [p.at, p.value === null || p.value === undefined ? null : +(p.value / 60).toFixed(2)]) }))
    }),
    points: d => d.data.reduce((n, s) => n + s.points.filter(p => p.value !== null && p.value !== undefined).length, 0) },
  { id: 'sync-runs', title: 'Sync runs: duration and rows copied', ranges: ['24h', '7d'], path: r => 'charts/sync-runs?range=' + r,
    option: d => ({
      tooltip: { trigger: 'axis' }, legend: { top: 0 },
      xAxis: { type: 'time' }, yAxis: [{ type: 'value', name: 'seconds' }, { type: 'value', name: 'rows' }],
      series: [
        { name: 'duration', type: 'scatter', data: d.data.filter(r => r.durationSeconds !== null && r.durationSeconds !== undefined).map(r => [r.startedAt, r.durationSeconds, r.database, r.result]) },
        { name: 'rows', type: 'bar', barMaxWidth: 10, yAxisIndex: 1, data: d.data.map(r => [r.startedAt, r.rows]) }
      ]
    }),
    points: d => d.data.length },
  { id: 'operations', title: 'Operations and their time to repair', ranges: ['30d', '90d'], path: r => 'charts/operations?range=' + r,
    option: d => {
      const kinds = [...new Set(d.data.map(o => o.kind + (o.mode === 'drill' ? ' (drill)' : '')))];
      return {
        tooltip: { trigger: 'item', formatter: p => esc(p.data[2]) + '<br>' + esc(p.data[3]) + '<br>time to repair: ' + esc(duration(p.data[1] * 60)) },
        legend: { top: 0 }, xAxis: { type: 'time' }, yAxis: { type: 'value', name: 'minutes to repair' },
        series: kinds.map(k => ({ name: k, type: 'scatter', symbolSize: 10,
          data: d.data.filter(o => o.kind + (o.mode === 'drill' ? ' (drill)' : '') === k)
            .map(o => [o.start, o.repairSeconds === null || o.repairSeconds === undefined ? 0 : +(o.repairSeconds / 60).toFixed(2),
              o.kind + ' ' + o.id + ' ' + o.subject, o.state + (o.end ? '' : ' (open)')]) }))
      };
    },
    points: d => d.data.length },
  { id: 'mttr', title: 'Mean time to repair per week', ranges: [], path: () => 'charts/mttr?weeks=12',
    option: d => ({
      tooltip: { trigger: 'axis' }, xAxis: { type: 'category', data: d.data.map(w => w.week.substring(0, 10)) },
      yAxis: { type: 'value', name: 'minutes' },
      series: [{ name: 'MTTR', type: 'bar', barMaxWidth: 40, data: d.data.map(w => +(w.mttrSeconds / 60).toFixed(2)) }]
    }),
    points: d => d.data.length },
  { id: 'drills', title: 'Drill results over time', ranges: ['90d', '30d'], path: r => 'charts/drills?range=' + r,
    option: d => ({
      tooltip: { trigger: 'item', formatter: p => esc(p.data[2]) + '<br>' + esc(p.data[3]) + ', ' + esc(duration(p.data[1])) },
      legend: { top: 0 }, xAxis: { type: 'time' }, yAxis: { type: 'value', name: 'seconds' },
      series: [true, false].map(passed => ({ name: passed ? 'passed' : 'found a problem', type: 'scatter', symbolSize: 12,
        itemStyle: { color: passed ? '#2b7a0b' : '#b5152b' },
        data: d.data.filter(x => x.passed === passed).map(x => [x.requestedAt, x.durationSeconds || 0, x.database, x.state]) }))
    }),
    points: d => d.data.length },
  { id: 'heartbeats', title: 'Last heartbeats per minute (last hour)', ranges: [], path: () => 'charts/heartbeats?minutes=60',
    option: d => ({
      tooltip: { trigger: 'axis' }, xAxis: { type: 'time' }, yAxis: { type: 'value', name: 'senders' },
      series: [{ name: 'heartbeats', type: 'bar', barMaxWidth: 10, data: d.data.map(m => [m.minute, m.heartbeats]) }]
    }),
    points: d => d.data.filter(m => m.heartbeats > 0).length }
];

// ---- the console ------------------------------------------------------------------------------

const SECTIONS = [
  ['summary', 'Estate at a glance'],
  ['servers', 'Servers'],
  ['hubs', 'Hub pairs'],
  ['databases', 'Database pairs'],
  ['operations', 'Running operations'],
  ['decisions', 'Latest sensor decisions (why no failover)'],
  ['pauses', 'Maintenance pauses']
];

function renderConsole(node) {
  addStyle();
  const state = { pages: { servers: 0, hubs: 0, databases: 0 }, serverStatus: '', ranges: {}, charts: {}, timer: null };
  CHARTS.forEach(c => { state.ranges[c.id] = c.ranges[0]; });
  node.innerHTML = '<div class="sco-console" data-console="continuity">'
    + '<h2>Continuity console</h2><p class="sco-muted">Refreshes every ' + (REFRESH_MS / 1000) + ' s. <span data-refreshed></span></p>'
    + SECTIONS.map(([id, title]) => '<section data-section="' + id + '"><h3>' + esc(title) + '</h3>'
      + (id === 'servers' ? '<div class="sco-toggle" data-filter="servers">show '
        + ['', 'Down', 'Up'].map(s => '<button type="button" class="btn btn-default btn-xs" data-status="' + s + '">' + (s || 'all') + '</button>').join('') + '</div>' : '')
      + '<div data-body>loading…</div></section>').join('')
    + '<div class="sco-grid">' + CHARTS.map(c => '<section data-section="chart-' + c.id + '"><h3>' + esc(c.title) + '</h3>'
      + (c.ranges.length ? '<div class="sco-toggle" data-range="' + c.id + '">' + c.ranges.map(r => '<button type="button" class="btn btn-default btn-xs" data-value="' + r + '">' + r + '</button>').join('') + '</div>' : '')
      + '<div class="sco-chart" data-chart="' + c.id + '"></div><div data-body class="sco-muted"></div></section>').join('') + '</div>'
    + '</div>';
  const root = node.querySelector('[data-console]');

  root.addEventListener('click', event => {
    const button = event.target.closest('button');
    if (!button) {
      return;
    }
    const pagerBox = button.closest('[data-pager]');
    if (pagerBox) {
      state.pages[pagerBox.getAttribute('data-pager')] = +button.getAttribute('data-page');
      refreshTables();
      return;
    }
    if (button.closest('[data-filter]')) {
      state.serverStatus = button.getAttribute('data-status');
      state.pages.servers = 0;
      refreshTables();
      return;
    }
    const rangeBox = button.closest('[data-range]');
    if (rangeBox) {
      const chart = CHARTS.find(c => c.id === rangeBox.getAttribute('data-range'));
      state.ranges[chart.id] = button.getAttribute('data-value');
      refreshChart(chart);
    }
  });

  function body(id) {
    return root.querySelector('[data-section="' + id + '"] [data-body]');
  }

  async function fill(id, load, render) {
    const section = root.querySelector('[data-section="' + id + '"]');
    try {
      body(id).innerHTML = render(await load());
      section.setAttribute('data-state', 'ready');
    } catch (e) {
      body(id).innerHTML = '<span class="sco-error">' + esc(e.message) + '</span>';
      section.setAttribute('data-state', 'error');
    }
  }

  let now = new Date().toISOString();
  async function refreshTables() {
    await fill('summary', () => get('summary'), s => { now = s.now; return tiles(s); });
    const status = state.serverStatus ? '&status=' + state.serverStatus : '';
    await Promise.all([
      fill('servers', () => get('servers?size=25&page=' + state.pages.servers + status), p => renderServers(p, now)),
      fill('hubs', () => get('hubs?size=10&page=' + state.pages.hubs), p => renderHubs(p, now)),
      fill('databases', () => get('databases?size=10&page=' + state.pages.databases), renderDatabases),
      fill('operations', () => get('operations?limit=50'), renderOperations),
      fill('decisions', () => get('decisions?limit=15'), renderDecisions),
      fill('pauses', () => get('pauses?limit=50'), renderPauses)
    ]);
  }

  async function refreshChart(chart) {
    const section = root.querySelector('[data-section="chart-' + chart.id + '"]');
    const box = section.querySelector('[data-chart]');
    try {
      const [echarts, data] = await Promise.all([echartsLib(), get(chart.path(state.ranges[chart.id]))]);
      if (!state.charts[chart.id]) {
        state.charts[chart.id] = echarts.init(box);
      }
      state.charts[chart.id].setOption(Object.assign({ animation: false, grid: { top: 40, left: 55, right: 55, bottom: 30 } }, chart.option(data)), true);
      const points = chart.points(data);
      box.setAttribute('data-points', String(points));
      section.querySelector('[data-body]').textContent = points ? '' : 'Nothing recorded in this range yet.';
      section.querySelectorAll('[data-range] button').forEach(b => b.classList.toggle('active', b.getAttribute('data-value') === state.ranges[chart.id]));
      section.setAttribute('data-state', 'ready');
    } catch (e) {
      section.querySelector('[data-body]').innerHTML = '<span class="sco-error">' + esc(e.message) + '</span>';
      section.setAttribute('data-state', 'error');
    }
  }

  async function refresh() {
    await Promise.all([refreshTables(), ...CHARTS.map(refreshChart)]);
    const stamp = root.querySelector('[data-refreshed]');
    if (stamp) {
      stamp.textContent = 'Last refreshed ' + new Date().toLocaleTimeString() + '.';
    }
  }

  function resize() {
    Object.values(state.charts).forEach(c => c.resize());
  }

  refresh();
  state.timer = setInterval(() => {
    if (!root.isConnected) {
      stop();
      return;
    }
    refresh();
  }, REFRESH_MS);
  window.addEventListener('resize', resize);

  function stop() {
    clearInterval(state.timer);
    window.removeEventListener('resize', resize);
    Object.values(state.charts).forEach(c => c.dispose());
    state.charts = {};
  }
  return stop;
}

// ---- plugins ----------------------------------------------------------------------------------

let stopRoute = null;
let stopDashboard = null;

export default [
  {
    id: 'continuity-console.navigation',
    pluginPoint: 'cockpit.navigation',
    priority: 100,
    properties: { path: ROUTE },
    render: node => {
      node.innerHTML = '<a href="#' + ROUTE + '" data-nav="continuity">Continuity</a>';
    }
  },
  {
    id: 'continuity-console.route',
    pluginPoint: 'cockpit.route',
    properties: { path: ROUTE, label: 'Continuity' },
    render: node => {
      if (stopRoute) {
        stopRoute();
      }
      stopRoute = renderConsole(node);
    },
    unmount: () => {
      if (stopRoute) {
        stopRoute();
        stopRoute = null;
      }
    }
  },
  {
    id: 'continuity-console.dashboard',
    pluginPoint: 'cockpit.dashboard',
    priority: 100,
    label: 'Continuity',
    render: node => {
      addStyle();
      node.innerHTML = '<section class="sco-console" data-section="dashboard-continuity"><h3>Continuity</h3>'
        + '<div data-body>loading…</div><p><a href="#' + ROUTE + '" data-link="continuity-console">Open the continuity console</a></p></section>';
      const load = () => get('summary').then(s => {
        node.querySelector('[data-body]').innerHTML = tiles(s);
      }).catch(e => {
        node.querySelector('[data-body]').innerHTML = '<span class="sco-error">' + esc(e.message) + '</span>';
      });
      load();
      const timer = setInterval(() => (node.isConnected ? load() : clearInterval(timer)), REFRESH_MS);
      stopDashboard = () => clearInterval(timer);
    },
    unmount: () => {
      if (stopDashboard) {
        stopDashboard();
        stopDashboard = null;
      }
    }
  }
];

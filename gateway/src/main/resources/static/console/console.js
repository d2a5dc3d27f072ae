// The operator console: reads the platform's public operator APIs through the gateway (same origin) with
// an operator's access token held in memory only, and draws what it reads. No library: the charts are
// SVG built here, numbers are formatted the Vietnamese way.
'use strict';

const ZONE = 'Asia/Ho_Chi_Minh';
const POLL_SECONDS = 5;      // today's total, for the live rate
const REFRESH_SECONDS = 30;  // everything else
const DAYS = 30;
const TOP = 10;
const SPARK_SAMPLES = 60;    // five minutes of polls
const FAILURES = [
  { outcome: 'PROVIDER_ERROR', title: 'Errors' },
  { outcome: 'TIMEOUT', title: 'Timeouts' },
  { outcome: 'CIRCUIT_OPEN', title: 'Circuit open' },
];
/** How each service's calls ended today, in the shares the NDXP could not show: answered, refused, failed. */
const OUTCOME_SHARES = [
  { title: 'Answered', outcomes: ['OK'] },
  { title: 'Refused', outcomes: ['REFUSED'] },
  { title: 'Bad requests', outcomes: ['CLIENT_ERROR'] },
  { title: 'Failed', outcomes: ['PROVIDER_ERROR', 'TIMEOUT', 'CIRCUIT_OPEN', 'PLATFORM_ERROR'], bad: true },
];
const SVG = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id);
const number = (n, digits = 0) => Number(n).toLocaleString('vi-VN', { maximumFractionDigits: digits });
const clock = new Intl.DateTimeFormat('vi-VN', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dayParts = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The token lives here and nowhere else: not in storage, not in a cookie. */
const session = { clientId: '', token: '', expiresAt: 0, timers: [], generation: 0 };
const live = { last: null, samples: [] };

class SessionEnded extends Error {}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `answered ${status}`);
    this.status = status;
    this.code = problem.code || '';
  }
}

// --- days, as the platform counts them: Asia/Ho_Chi_Minh calendar days

/** The Vietnamese calendar day of an instant, as YYYY-MM-DD. */
function vietnamDay(instant = new Date()) {
  const parts = Object.fromEntries(dayParts.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

function addDays(day, days) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const shortDay = (day) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;

// --- talking to the platform

function basic(clientId, secret) {
  const bytes = new TextEncoder().encode(`${clientId}:${secret}`);
  return 'Basic ' + btoa(String.fromCharCode(...bytes));
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return {};
  }
}

async function requestToken(clientId, secret) {
  const response = await fetch('/oauth2/token', {
    method: 'POST',
    headers: { Authorization: basic(clientId, secret), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
    cache: 'no-store',
    credentials: 'omit',
  });
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  return response.json();
}

/** GET an operator API; a 401 ends the session (the token expired or was revoked). */
async function api(path) {
  if (!session.token) {
    throw new SessionEnded();
  }
  const response = await fetch(path, {
    headers: { Authorization: `Bearer ${session.token}`, Accept: 'application/json' },
    cache: 'no-store',
    credentials: 'omit',
    signal: AbortSignal.timeout(15000),
  });
  if (response.status === 401) {
    endSession('Your session has ended: log in again.');
    throw new SessionEnded();
  }
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  return response.json();
}

const breakdown = (from, to, by, extra = '') => api(`/stats/breakdown?from=${from}&to=${to}&by=${by}${extra}`);

// --- session

async function logIn(event) {
  event.preventDefault();
  const clientId = $('client-id').value.trim();
  const secret = $('client-secret').value;
  const button = $('login-button');
  button.disabled = true;
  $('login-error').hidden = true;
  try {
    const granted = await requestToken(clientId, secret);
    session.clientId = clientId;
    session.token = granted.access_token;
    session.expiresAt = Date.now() + granted.expires_in * 1000;
    // an agency system's token is refused on operator routes: say so here rather than on every panel
    await api('/stats/month-to-date');
    $('client-secret').value = '';
    startDashboard();
  } catch (error) {
    session.token = '';
    showLoginError(error);
  } finally {
    button.disabled = false;
  }
}

function showLoginError(error) {
  let message = 'The platform could not be reached; try again.';
  if (error instanceof ApiError && error.status === 401) {
    message = 'Unknown client id or wrong secret.';
  } else if (error instanceof ApiError && error.status === 403) {
    message = 'This client is not a platform operator: the console needs an operator or platform administrator.';
  } else if (error instanceof ApiError) {
    message = error.message;
  }
  $('login-error').textContent = message;
  $('login-error').hidden = false;
}

function endSession(message) {
  session.timers.forEach(clearTimeout);
  session.timers = [];
  session.generation += 1;
  session.token = '';
  session.clientId = '';
  live.last = null;
  live.samples = [];
  $('dashboard').hidden = true;
  $('session').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('login-error').hidden = !message;
  $('client-id').focus();
}

function startDashboard() {
  $('login').hidden = true;
  $('dashboard').hidden = false;
  $('session').hidden = false;
  $('session-client').textContent = session.clientId;
  const until = new Date(session.expiresAt);
  $('session-expiry').textContent = `until ${clock.format(until)}`;
  $('tps-every').textContent = POLL_SECONDS;
  $('refresh-every').textContent = REFRESH_SECONDS;
  // end the session when its token does, instead of letting the next call be refused
  session.timers.push(setTimeout(() => endSession('Your session has ended: log in again.'), session.expiresAt - Date.now()));
  repeat(pollToday, POLL_SECONDS);
  repeat(refreshPanels, REFRESH_SECONDS);
}

/** Runs task now and again every period after it finished, so calls never pile up behind a slow answer. */
function repeat(task, seconds) {
  const generation = session.generation;
  const run = async () => {
    try {
      await task();
    } catch (error) {
      if (error instanceof SessionEnded) {
        return;
      }
      console.warn('console: refresh failed', error);
    }
    if (session.token && session.generation === generation) {
      session.timers.push(setTimeout(run, seconds * 1000));
    }
  };
  run();
}

// --- live: today's total and the rate it grows at

async function pollToday() {
  const today = vietnamDay();
  // from the day of the previous poll, so the rate stays right across midnight
  const from = live.last ? live.last.day : today;
  let days;
  try {
    days = await api(`/stats/daily?from=${from}&to=${today}`);
    $('dashboard-error').hidden = true;
  } catch (error) {
    if (!(error instanceof SessionEnded)) {
      $('dashboard-error').textContent = `Today's total could not be read: ${error.message}`;
      $('dashboard-error').hidden = false;
    }
    throw error;
  }
  const at = performance.now();
  const todayTotal = days.find((d) => d.date === today)?.total ?? 0;
  if (live.last) {
    const counted = days.reduce((sum, d) => sum + d.total, 0) - live.last.total;
    const rate = Math.max(0, counted) / ((at - live.last.at) / 1000);
    live.samples.push(rate);
    live.samples.splice(0, live.samples.length - SPARK_SAMPLES);
    const tps = $('tps');
    tps.textContent = number(rate, rate < 10 ? 2 : 1);
    tps.dataset.value = String(rate);
    tps.dataset.state = 'measured';
    drawSparkline($('tps-sparkline'), live.samples);
  } else {
    $('tps').textContent = '…';
  }
  live.last = { day: today, total: todayTotal, at };

  const shown = $('today-total');
  shown.textContent = number(todayTotal);
  shown.dataset.value = String(todayTotal);
  shown.dataset.date = today;
  $('today-date').textContent = today;
  $('today-as-of').textContent = clock.format(new Date());
}

// --- the other panels

async function refreshPanels() {
  const today = vietnamDay();
  await loadNames();
  const first = addDays(today, -(DAYS - 1));
  const results = await Promise.allSettled([
    panel('daily-chart', async () => drawDaily($('daily-chart'), await api(`/stats/daily?from=${first}&to=${today}`), today)),
    panel('month-total', () => showMonth(today)),
    panel('top-consumers', async () => rankConsumers(await breakdown(today, today, 'consumer_agency', `&top=${TOP}`))),
    panel('top-services', async () => rankServices(await breakdown(today, today, 'service', `&top=${TOP}`))),
    panel(['top-providers', 'failing-providers'], () => rankProvidersAndFailures(today)),
    panel('dead-letters', async () => showDeadLetters((await api('/operations/dead-letters')).channels)),
    panel(['access-pending', 'access-requests'], async () => showAccessRequests(await api('/access-requests/summary'))),
    panel('service-outcomes', () => showServiceOutcomes(today)),
    panel('silent-systems', async () => showSilentSystems(await api('/stats/silent-systems'))),
  ]);
  if (results.some((r) => r.status === 'rejected' && r.reason instanceof SessionEnded)) {
    throw new SessionEnded();
  }
  $('refreshed-at').textContent = clock.format(new Date());
}

/** Agencies' and systems' names from the registry's catalogue; codes stand in for them until it answers. */
const names = { agencies: new Map(), systems: new Map() };

async function loadNames() {
  try {
    for (const a of await api('/catalogue/agencies')) {
      names.agencies.set(a.code, a.name);
      a.systems.forEach((s) => names.systems.set(`${a.code}/${s.code}`, s.name));
    }
  } catch (error) {
    if (error instanceof SessionEnded) {
      throw error;
    }
    console.warn('console: names not loaded', error);
  }
}

/** Draws one panel (one or more elements); a failure shows in that panel only. */
async function panel(ids, draw) {
  const elements = [ids].flat().map($);
  try {
    await draw();
    elements.forEach((element) => { element.dataset.state = 'loaded'; });
  } catch (error) {
    if (error instanceof SessionEnded) {
      throw error;
    }
    const message = `Could not load: ${error.message}`;
    for (const element of elements) {
      element.dataset.state = 'error';
      if (element.tagName === 'TABLE') {
        fillTable(element, [], [], message);
      } else if (element instanceof SVGElement) {
        element.textContent = '';
        element.appendChild(svg('text', { x: 10, y: 20, class: 'error' }, message));
      } else {
        element.textContent = message;
      }
    }
  }
}

async function showMonth(today) {
  const month = today.slice(0, 7);
  const [soFar, yearOnYear] = await Promise.all([
    api('/stats/month-to-date'),
    api(`/stats/year-on-year?month=${month}`),
  ]);
  const total = $('month-total');
  total.textContent = number(soFar.total);
  total.dataset.value = String(soFar.total);
  let detail = `${soFar.from} to ${soFar.to}, as of ${clock.format(new Date(soFar.asOf))}`;
  detail += yearOnYear.previousTotal > 0
    ? `. ${yearOnYear.previousPeriod}: ${number(yearOnYear.previousTotal)} in the whole month`
      + (yearOnYear.multiple !== null ? ` (this month so far: ×${number(yearOnYear.multiple, 2)})` : '')
    : `. No transactions in ${yearOnYear.previousPeriod}`;
  $('month-detail').textContent = detail + (soFar.imported ? '; includes imported history.' : '.');
}

function rankConsumers(rows) {
  const max = Math.max(1, ...rows.map((r) => r.total));
  fillTable($('top-consumers'), ['Agency', 'Transactions', ''], rows.map((r) => [
    r.consumerAgency ? agency(r.consumerAgency) : none('not authenticated'), count(r.total), meter(r.total / max),
  ]), 'No transactions today yet.');
}

function rankServices(rows) {
  const max = Math.max(1, ...rows.map((r) => r.total));
  fillTable($('top-services'), ['Service', 'Transactions', ''], rows.map((r) => [
    r.service ? { ...code(r.service), sub: r.providerAgency ? agencyName(r.providerAgency) : '' } : none('no service reached'),
    count(r.total), meter(r.total / max),
  ]), 'No transactions today yet.');
}

/** Top providers, and those whose calls failed today with the share of their calls that failed. */
async function rankProvidersAndFailures(today) {
  const [providers, ...failures] = await Promise.all([
    breakdown(today, today, 'provider_agency'),
    ...FAILURES.map((f) => breakdown(today, today, 'provider_agency', `&outcome=${f.outcome}`)),
  ]);
  const top = providers.slice(0, TOP);
  const max = Math.max(1, ...top.map((r) => r.total));
  fillTable($('top-providers'), ['Agency', 'Transactions', ''], top.map((r) => [
    r.providerAgency ? agency(r.providerAgency) : none('no provider reached'), count(r.total), meter(r.total / max),
  ]), 'No transactions today yet.');

  const failing = new Map();
  failures.forEach((rows, i) => rows.forEach((r) => {
    const agency = r.providerAgency ?? '(none)';
    const counts = failing.get(agency) ?? FAILURES.map(() => 0);
    counts[i] += r.total;
    failing.set(agency, counts);
  }));
  const totals = new Map(providers.map((r) => [r.providerAgency ?? '(none)', r.total]));
  const rows = [...failing.entries()]
    .map(([agency, counts]) => ({ agency, counts, failed: counts.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.failed - a.failed || a.agency.localeCompare(b.agency))
    .slice(0, TOP);
  const failingTable = $('failing-providers');
  fillTable(failingTable, ['Agency', ...FAILURES.map((f) => f.title), 'Failed', 'Of its calls'], rows.map((r) => {
    const share = r.failed / Math.max(1, totals.get(r.agency) ?? r.failed);
    return [r.agency === '(none)' ? none('no provider reached') : agency(r.agency), ...r.counts.map((n) => count(n)), count(r.failed),
      { text: `${number(share * 100, 1)} %`, className: 'number bad' }];
  }), 'No provider failed today.');
  failingTable.dataset.failing = String(rows.length);
}

function showDeadLetters(channels) {
  const total = channels.reduce((sum, c) => sum + c.deadLetters, 0);
  const shown = $('dead-letters-total');
  shown.textContent = number(total);
  shown.dataset.value = String(total);
  shown.classList.toggle('bad', total > 0);
  fillTable($('dead-letters'), ['Recipient', 'System', 'Channel', 'Dead letters'], channels.slice(0, TOP).map((c) => [
    agency(c.agency), system(c.agency, c.system), code(c.channel), count(c.deadLetters),
  ]), 'No dead letters: every push channel is delivering.');
}

/** Each of today's busiest services with the share of its calls per kind of outcome. */
async function showServiceOutcomes(today) {
  const outcomes = OUTCOME_SHARES.flatMap((share) => share.outcomes);
  const [totals, ...byOutcome] = await Promise.all([
    breakdown(today, today, 'service', `&top=${TOP}`),
    ...outcomes.map((outcome) => breakdown(today, today, 'service', `&outcome=${outcome}`)),
  ]);
  const key = (r) => `${r.providerAgency ?? ''}/${r.service ?? ''}`;
  const counted = new Map();
  byOutcome.forEach((rows, i) => rows.forEach((r) => {
    const counts = counted.get(key(r)) ?? new Map();
    counts.set(outcomes[i], (counts.get(outcomes[i]) ?? 0) + r.total);
    counted.set(key(r), counts);
  }));
  const table = $('service-outcomes');
  fillTable(table, ['Service', 'Calls', ...OUTCOME_SHARES.map((share) => share.title)], totals.map((r) => {
    const counts = counted.get(key(r)) ?? new Map();
    return [
      r.service ? { ...code(r.service), sub: r.providerAgency ? agencyName(r.providerAgency) : '' } : none('no service reached'),
      count(r.total),
      ...OUTCOME_SHARES.map((share) => {
        const n = share.outcomes.reduce((sum, outcome) => sum + (counts.get(outcome) ?? 0), 0);
        const percent = (100 * n) / Math.max(1, r.total);
        return { text: `${number(percent, 1)} %`, className: share.bad && n > 0 ? 'number bad' : 'number', value: n,
          title: `${number(n)} of ${number(r.total)}` };
      }),
    ];
  }), 'No transactions today yet.');
}

/** Systems calling far less than they usually do at this hour: the connection may be lost. */
function showSilentSystems(rows) {
  const table = $('silent-systems');
  table.dataset.silent = String(rows.length);
  fillTable(table, ['System', 'Usually an hour', 'Last 15 min'], rows.map((r) => [
    system(r.consumerAgency, r.consumerSystem), count(r.usualPerHour), { ...count(r.lastQuarterHour), className: 'number bad' },
  ]), 'Every system that usually calls at this hour is calling.');
}

function showAccessRequests(summary) {
  const shown = $('access-pending');
  shown.textContent = number(summary.pending);
  shown.dataset.value = String(summary.pending);
  const decided = `${number(summary.approved)} approved, ${number(summary.refused)} refused in 90 days`;
  const detail = $('access-detail');
  detail.textContent = summary.medianSecondsToGrant === null
    ? `Nothing granted on request in 90 days (${decided}).`
    : `Median time to grant: ${duration(summary.medianSecondsToGrant)} (${decided}).`;
  detail.dataset.medianSeconds = summary.medianSecondsToGrant === null ? '' : String(summary.medianSecondsToGrant);
  const now = Date.now();
  fillTable($('access-requests'), ['Consumer', 'Service', 'Purpose', 'Waiting'], summary.waiting.map((w) => [
    system(w.consumerAgency, w.consumerSystem), { ...code(w.service), sub: agencyName(w.providerAgency) },
    code(w.purpose), cell(duration(Math.max(0, (now - Date.parse(w.requestedAt)) / 1000)), 'number'),
  ]), 'No request is waiting.');
}

/** A wait in the largest two units that matter: 3 d 4 h, 2 h 5 min, 45 s. */
function duration(seconds) {
  const s = Math.round(seconds);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) {
    return `${days} d ${hours} h`;
  }
  if (hours > 0) {
    return `${hours} h ${minutes} min`;
  }
  return minutes > 0 ? `${minutes} min ${s % 60} s` : `${s} s`;
}

// --- tables

const cell = (text, className) => ({ text, className });
const code = (text) => cell(text, 'code');
/** An agency by its name, its code beneath: operators read names, and quote codes. */
const agency = (agencyCode) => ({ text: agencyName(agencyCode), className: 'name', sub: agencyCode });
/** A system by its name, its agency's code and its own beneath. */
const system = (agencyCode, systemCode) => ({
  text: names.systems.get(`${agencyCode}/${systemCode}`) ?? systemCode, className: 'name', sub: `${agencyCode}/${systemCode}`,
});
const agencyName = (agencyCode) => names.agencies.get(agencyCode) ?? agencyCode;
/** A row for transactions refused before a party was known (no token, no such service). */
const none = (text) => cell(`(${text})`, 'none');
const count = (n, title) => ({ text: number(n), className: 'number', title, value: n });
const meter = (share) => ({ meter: share, className: 'share' });

function fillTable(table, headings, rows, emptyText) {
  table.textContent = '';
  if (headings.length) {
    const head = table.createTHead().insertRow();
    headings.forEach((h, i) => {
      const th = document.createElement('th');
      th.textContent = h;
      if (rows[0] && rows[0][i] && (rows[0][i].className || '').split(' ').includes('number')) {
        th.className = 'number';
      }
      head.appendChild(th);
    });
  }
  const body = table.createTBody();
  if (!rows.length) {
    const row = body.insertRow();
    row.className = 'empty';
    const td = row.insertCell();
    td.colSpan = Math.max(1, headings.length);
    td.textContent = emptyText;
    return;
  }
  for (const values of rows) {
    const row = body.insertRow();
    for (const value of values) {
      const td = row.insertCell();
      if (value.className) {
        td.className = value.className;
      }
      if (value.title) {
        td.title = value.title;
      }
      if (value.value !== undefined) {
        td.dataset.value = String(value.value);
      }
      if (value.meter !== undefined) {
        const bar = document.createElement('div');
        bar.className = 'meter';
        bar.style.width = `${Math.max(0, Math.min(1, value.meter)) * 100}%`;
        td.appendChild(bar);
      } else {
        td.textContent = value.text;
      }
      if (value.sub) {
        const sub = document.createElement('div');
        sub.className = 'sub';
        sub.textContent = value.sub;
        td.appendChild(sub);
      }
    }
  }
}

// --- charts, as SVG

function svg(name, attributes = {}, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, String(value));
  }
  if (text !== undefined) {
    element.textContent = text;
  }
  return element;
}

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten. */
function niceCeiling(value) {
  if (value <= 0) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((c) => c >= value);
}

function drawDaily(chart, days, today) {
  const width = 900;
  const height = 240;
  const left = 64;
  const right = 8;
  const top = 18;
  const bottom = 24;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const ceiling = niceCeiling(Math.max(...days.map((d) => d.total)));
  const step = plotWidth / days.length;
  const y = (value) => top + plotHeight - (value / ceiling) * plotHeight;

  chart.textContent = '';
  for (const tick of [0, ceiling / 2, ceiling]) {
    chart.appendChild(svg('line', { class: 'axis', x1: left, x2: width - right, y1: y(tick), y2: y(tick) }));
    chart.appendChild(svg('text', { x: left - 6, y: y(tick) + 4, 'text-anchor': 'end' },
      tick.toLocaleString('vi-VN', { notation: 'compact', maximumFractionDigits: 1 })));
  }
  days.forEach((day, i) => {
    const barHeight = (day.total / ceiling) * plotHeight;
    const classes = ['bar'];
    if (day.date === today) {
      classes.push('today');
    } else if (day.imported) {
      classes.push('imported');
    }
    const bar = svg('rect', {
      class: classes.join(' '),
      x: (left + i * step + step * 0.15).toFixed(1),
      y: (top + plotHeight - barHeight).toFixed(1),
      width: (step * 0.7).toFixed(1),
      height: barHeight.toFixed(1),
      'data-date': day.date,
      'data-total': day.total,
    });
    bar.appendChild(svg('title', {}, `${day.date}: ${number(day.total)} transactions${day.imported ? ' (imported)' : ''}`));
    chart.appendChild(bar);
    const x = left + i * step + step / 2;
    if (i % 5 === 4 || i === 0 || day.date === today) {
      chart.appendChild(svg('text', { x, y: height - 6, 'text-anchor': 'middle' }, day.date === today ? 'today' : shortDay(day.date)));
    }
    if (day.date === today) {
      chart.appendChild(svg('text', { class: 'value', x, y: top + plotHeight - barHeight - 4, 'text-anchor': 'middle' }, number(day.total)));
    }
  });
  chart.dataset.bars = String(days.length);
}

function drawSparkline(chart, samples) {
  const width = 240;
  const height = 48;
  const ceiling = Math.max(1, ...samples) * 1.1;
  const step = width / (SPARK_SAMPLES - 1);
  // the newest sample at the right edge; a single one draws as a short level line
  const values = samples.length === 1 ? [samples[0], samples[0]] : samples;
  const offset = width - (values.length - 1) * step;
  const points = values.map((s, i) => `${(offset + i * step).toFixed(1)},${(height - (s / ceiling) * height).toFixed(1)}`).join(' ');
  chart.textContent = '';
  chart.appendChild(svg('polygon', { points: `${offset.toFixed(1)},${height} ${points} ${width},${height}` }));
  chart.appendChild(svg('polyline', { points }));
  chart.dataset.samples = String(samples.length);
}

// --- start

$('login-form').addEventListener('submit', logIn);
$('logout-button').addEventListener('click', () => endSession(''));
$('client-id').focus();

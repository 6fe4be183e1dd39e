/**
 * The browser script of report.html: draws the timeline with uPlot (inlined before it) from the JSON in
 * `#timeline-data`. Panels share the x axis (seconds since the run started): throughput (sends, consumed), send
 * latency, consumer lag (from the journal, and consumer-group probes' maxLag as points; rebalances as
 * `.rebalance-mark[data-member]` with a tooltip), and marks (leader and ISR changes, rebalances, probe results,
 * recovery times as `.recovery-mark[data-fault-id][data-measure]`, read-backs). Fault periods are shaded on
 * every panel and each is an element `.fault-band[data-fault-id]` carrying its label.
 * On an error the page says so in `#timeline` (and the error still reaches the console).
 */
export const CHART_SCRIPT = String.raw`
(function () {
  'use strict';
  var root = document.getElementById('timeline');
  var data = JSON.parse(document.getElementById('timeline-data').textContent);
  var COLORS = { acked: '#1f77b4', failed: '#d62728', consumed: '#2ca02c', p50: '#1f77b4', p99: '#ff7f0e', max: '#d62728', lag: '#8c564b', probeLag: '#17becf' };
  var LANES = ['read-back', 'recovery', 'probe failed', 'probe ok', 'rebalance', 'ISR change', 'leader change'];
  var LANE_COLORS = ['#7f7f7f', '#2ca02c', '#d62728', '#2ca02c', '#17becf', '#9467bd', '#ff7f0e'];
  var durationS = Math.max(1, data.durationMs / 1000);

  function faultBands(periods) {
    var bands = [];
    function create(u) {
      for (var i = 0; i < periods.length; i++) {
        var band = document.createElement('div');
        band.className = 'fault-band' + (periods[i].endMs === null ? ' unhealed' : '');
        band.setAttribute('data-fault-id', periods[i].id);
        band.title = periods[i].label;
        var label = document.createElement('span');
        label.className = 'fault-label';
        label.textContent = periods[i].label;
        band.appendChild(label);
        u.over.appendChild(band);
        bands.push(band);
      }
    }
    // uPlot calls draw on every redraw (the first one before ready): the bands are made on the first.
    function place(u) {
      if (bands.length === 0) create(u);
      for (var i = 0; i < periods.length; i++) {
        var f = periods[i];
        var left = u.valToPos(f.startMs / 1000, 'x');
        var right = u.valToPos((f.endMs === null ? data.durationMs : f.endMs) / 1000, 'x');
        bands[i].style.left = left + 'px';
        bands[i].style.width = Math.max(2, right - left) + 'px';
      }
    }
    return { hooks: { draw: [place] } };
  }

  function partitionList(ps) { return ps.length === 0 ? 'none' : ps.join(','); }
  function rebalanceTitle(r) { return r.member + ' at ' + (r.timeMs / 1000).toFixed(1) + ' s: assigned ' + partitionList(r.assigned) + ', revoked ' + partitionList(r.revoked) + (r.group ? ' (group ' + r.group + ')' : ''); }
  function recoveryMarks() {
    var marks = [];
    data.recovery.forEach(function (f) {
      Object.keys(f.measures).forEach(function (m) {
        var ms = f.measures[m];
        if (ms === null) return;
        var label = data.recoveryLabels[m] || m;
        marks.push({ timeMs: f.atMs + ms, title: f.faultId + ' ' + label + ' +' + (ms / 1000).toFixed(1) + ' s', attrs: { 'data-fault-id': f.faultId, 'data-measure': m } });
      });
    });
    return marks;
  }

  // Elements over the plot at given times, each with a tooltip (title) and data attributes.
  function domMarks(marks, className) {
    var elements = [];
    function place(u) {
      for (var i = 0; i < marks.length; i++) {
        if (elements.length <= i) {
          var el = document.createElement('div');
          el.className = className;
          el.title = marks[i].title;
          Object.keys(marks[i].attrs).forEach(function (k) { el.setAttribute(k, marks[i].attrs[k]); });
          u.over.appendChild(el);
          elements.push(el);
        }
        elements[i].style.left = Math.round(u.valToPos(marks[i].timeMs / 1000, 'x')) + 'px';
      }
    }
    return { hooks: { draw: [place] } };
  }

  function verticalLines(times, color, dash) {
    return {
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = color;
          ctx.lineWidth = 1;
          ctx.setLineDash(dash);
          for (var i = 0; i < times.length; i++) {
            var x = Math.round(u.valToPos(times[i], 'x', true));
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
          }
          ctx.restore();
        }],
      },
    };
  }

  // One y-axis width on every panel, so their x axes line up.
  var Y_AXIS_PX = 110;

  function width() {
    return Math.max(480, Math.min(1400, root.clientWidth - 16));
  }

  function panel(title, series, columns, extra) {
    var box = document.createElement('div');
    box.className = 'panel';
    var h = document.createElement('h3');
    h.textContent = title;
    box.appendChild(h);
    root.appendChild(box);
    var leaderTimes = data.leaderChanges.map(function (c) { return c.timeMs / 1000; });
    var opts = {
      width: width(),
      height: extra && extra.height ? extra.height : 220,
      cursor: { sync: { key: 'timeline' } },
      scales: Object.assign({ x: { time: false, range: [0, durationS] } }, extra && extra.scales ? extra.scales : {}),
      axes: [{ label: 'seconds since the run started' }, Object.assign({ label: extra && extra.yLabel ? extra.yLabel : '', size: Y_AXIS_PX }, extra && extra.yAxis ? extra.yAxis : {})],
      series: [{ label: 's' }].concat(series),
      plugins: [faultBands(data.faults), verticalLines(leaderTimes, 'rgba(255,127,14,0.7)', [4, 3])].concat(extra && extra.plugins ? extra.plugins : []),
    };
    return new uPlot(opts, columns, box);
  }

  function throughput() {
    var s = data.series;
    var series = [], columns = [s.timeS];
    function add(label, key, color) { series.push({ label: label, stroke: color, width: 1.5 }); columns.push(s[key]); }
    if (data.has.sends) { add('acknowledged/s', 'acked', COLORS.acked); add('failed or unknown/s', 'failed', COLORS.failed); }
    if (data.has.consume) add('consumed/s', 'consumed', COLORS.consumed);
    if (series.length > 0) panel('Throughput (records per second)', series, columns, { yLabel: 'per second' });
  }

  function latency() {
    if (!data.has.sends) return;
    var s = data.series;
    function positive(v) { return v === null ? null : Math.max(v, 0.1); }
    var columns = [s.timeS, s.latencyP50Ms.map(positive), s.latencyP99Ms.map(positive), s.latencyMaxMs.map(positive)];
    var series = [
      { label: 'p50 ms', stroke: COLORS.p50, width: 1.5, spanGaps: false },
      { label: 'p99 ms', stroke: COLORS.p99, width: 1.5, spanGaps: false },
      { label: 'max ms', stroke: COLORS.max, width: 1, dash: [3, 3], spanGaps: false },
    ];
    panel('Send latency (invoke to acknowledgement)', series, columns, { yLabel: 'ms (log)', scales: { y: { distr: 3 } } });
  }

  // One x column for the journal lag (at each second's end) and the probes' maxLag points (at their times).
  function lagColumns() {
    var s = data.series, rows = {};
    function row(t) { if (!rows[t]) rows[t] = [t, null, null]; return rows[t]; }
    if (data.has.lag) s.timeS.forEach(function (t, i) { row(t + data.bucketMs / 1000)[1] = s.lag[i]; });
    data.lagProbes.forEach(function (p) { var r = row(p.timeMs / 1000); r[2] = Math.max(r[2] === null ? 0 : r[2], p.maxLag); });
    var times = Object.keys(rows).map(Number).sort(function (a, b) { return a - b; });
    return [0, 1, 2].map(function (c) { return times.map(function (t) { return rows[t][c]; }); });
  }

  function rebalanceMarks() {
    return data.rebalances.map(function (r) { return { timeMs: r.timeMs, title: rebalanceTitle(r), attrs: { 'data-member': r.member } }; });
  }

  function lag() {
    if (!data.has.lag && data.lagProbes.length === 0) return false;
    var series = [
      { label: 'not yet consumed', stroke: COLORS.lag, width: 1.5, spanGaps: true, show: data.has.lag },
      { label: 'probe maxLag', stroke: COLORS.probeLag, paths: function () { return null; }, points: { show: true, size: 8, fill: COLORS.probeLag } },
    ];
    panel('Consumer lag (acknowledged, not yet consumed; rebalances marked)', series, lagColumns(), { yLabel: 'records', height: 200, plugins: [domMarks(rebalanceMarks(), 'rebalance-mark')] });
    return true;
  }

  function marks(rebalancesShown) {
    var byTime = {};
    function put(timeMs, lane) {
      var t = timeMs / 1000;
      if (!byTime[t]) byTime[t] = {};
      byTime[t][lane] = lane;
    }
    data.readBacks.forEach(function (r) { put(r.timeMs, 0); });
    var recovery = recoveryMarks();
    recovery.forEach(function (m) { put(m.timeMs, 1); });
    data.probes.forEach(function (p) { put(p.timeMs, p.ok ? 3 : 2); });
    data.rebalances.forEach(function (r) { put(r.timeMs, 4); });
    data.isrChanges.forEach(function (c) { put(c.timeMs, 5); });
    data.leaderChanges.forEach(function (c) { put(c.timeMs, 6); });
    var times = Object.keys(byTime).map(Number).sort(function (a, b) { return a - b; });
    var columns = [times];
    var series = LANES.map(function (name, lane) {
      columns.push(times.map(function (t) { return byTime[t][lane] === undefined ? null : lane; }));
      return { label: name, stroke: LANE_COLORS[lane], fill: LANE_COLORS[lane], paths: function () { return null; }, points: { show: true, size: 9, width: 1, fill: LANE_COLORS[lane] } };
    });
    var yAxis = { values: function (u, splits) { return splits.map(function (v) { return LANES[v] === undefined ? '' : LANES[v]; }); }, splits: function () { return LANES.map(function (_, i) { return i; }); } };
    var plugins = [domMarks(recovery, 'recovery-mark')].concat(rebalancesShown ? [] : [domMarks(rebalanceMarks(), 'rebalance-mark')]);
    panel('Marks: leader and ISR changes, rebalances, probe results, recovery times, read-backs', series, columns, { height: 220, yAxis: yAxis, scales: { y: { range: [-0.5, LANES.length - 0.5] } }, plugins: plugins });
  }

  try {
    throughput();
    latency();
    marks(lag());
    root.setAttribute('data-rendered', 'true');
  } catch (error) {
    var p = document.createElement('p');
    p.className = 'chart-error';
    p.textContent = 'The timeline could not be drawn: ' + error;
    root.appendChild(p);
    throw error;
  }
})();
`;

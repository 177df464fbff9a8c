/* global document, window, uPlot */
// Runs inside report.html (inlined by src/report/html.ts): draws the timeline from the JSON blob
// beside it. Plain browser JS, no build step, because the file must open with no network and no
// tooling. Sets body[data-rendered] to "true" once every chart has drawn (the browser test waits
// for it), or to "error" when drawing failed, so a broken report is told apart from a slow one.
(function () {
  'use strict';
  const { series: s, palette: pal } = JSON.parse(document.getElementById('faultline-data').textContent);
  const xLabel = s.origin === 'fault' ? 's from first fault' : 's from run start';
  const stepped = uPlot.paths.stepped({ align: 1 }); // a bucket's value holds for its whole second
  const xRange = [s.startX, Math.max(s.endX, s.startX + 1)]; // a run that ended at once still gets an axis
  const specs = [];
  const charts = [];
  const drawn = new Set();

  const width = () => Math.max(320, document.getElementById('timeline').clientWidth);

  function markDrawn(u) {
    drawn.add(u);
    if (drawn.size === specs.length) document.body.dataset.rendered = 'true';
  }

  // Fault intervals behind the series of every chart, clipped to the plot area.
  function shadeFaults(u) {
    const { left, top, width: w, height } = u.bbox;
    const ctx = u.ctx;
    ctx.save();
    ctx.fillStyle = pal.faultFill;
    for (const f of s.faults) {
      const x0 = Math.max(left, u.valToPos(f.from, 'x', true));
      const x1 = Math.min(left + w, u.valToPos(f.to, 'x', true));
      if (x1 > x0) ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
    }
    // Acknowledged writes later lost: a band along the bottom, from the first to the last acknowledgement.
    ctx.fillStyle = pal.lostFill;
    for (const l of s.lost || []) {
      const x0 = Math.max(left, u.valToPos(l.from, 'x', true));
      const x1 = Math.min(left + w, u.valToPos(l.to, 'x', true));
      if (x1 >= x0) ctx.fillRect(x0, top + height * 0.9, Math.max(2, x1 - x0), height * 0.1);
    }
    // Promotions as vertical lines: the one that dropped lost writes in the lost colour.
    for (const m of s.promotions || []) {
      const x = u.valToPos(m.x, 'x', true);
      if (x < left || x > left + w) continue;
      ctx.fillStyle = m.droppedLost ? pal.lost : pal.promotion;
      ctx.fillRect(x - 1, top, 2, height);
    }
    ctx.restore();
  }

  // Collected first and created together, so no chart can report "all drawn" before the last exists.
  function chart(id, title, yLabel, series, data, extra) {
    const opts = Object.assign({
      title, width: width(), height: 180,
      cursor: { sync: { key: 'faultline' } },
      scales: { x: { time: false, range: xRange } },
      axes: [{ label: xLabel }, { label: yLabel }],
      series: [{ label: xLabel }].concat(series),
      hooks: { drawClear: [shadeFaults], draw: [markDrawn] },
    }, extra || {});
    specs.push([opts, data, document.getElementById(id)]);
  }

  const line = (label, stroke) => ({ label, stroke, width: 2, paths: stepped, points: { show: false } });

  // Role lanes: one row per store node, coloured by what its observer said (primary/replica/down).
  function drawLanes(u) {
    const ctx = u.ctx;
    const px = uPlot.pxRatio;
    const laneH = Math.abs(u.valToPos(0, 'y', true) - u.valToPos(1, 'y', true)) * 0.6;
    ctx.save();
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    ctx.textAlign = 'left'; // uPlot leaves the context centred from drawing its axes
    ctx.textBaseline = 'middle';
    s.lanes.forEach((lane, i) => {
      const yc = u.valToPos(s.lanes.length - 1 - i, 'y', true);
      for (const seg of lane.segments) {
        const x0 = u.valToPos(seg.from, 'x', true);
        const x1 = u.valToPos(seg.to, 'x', true);
        ctx.fillStyle = pal.roles[seg.value] || pal.roles.other;
        ctx.fillRect(x0, yc - laneH / 2, Math.max(1, x1 - x0), laneH);
        if (x1 - x0 > ctx.measureText(seg.value).width + 8 * px) {
          ctx.fillStyle = '#fff';
          ctx.fillText(seg.value, x0 + 4 * px, yc);
        }
      }
    });
    ctx.restore();
  }

  try {
    chart('chart-throughput', 'Throughput', 'ok / s', [line('ok', pal.ok)], [s.x, s.ok]);
    chart('chart-errors', 'Errors', 'ops / s', [line('failed', pal.failed), line('indeterminate', pal.indeterminate)], [s.x, s.failed, s.indeterminate]);
    chart('chart-latency', 'Latency of successful ops', 'ms', [line('p50', pal.p50), line('p99', pal.p99)], [s.x, s.p50, s.p99]);
    if (s.lanes.length) {
      const n = s.lanes.length;
      chart('chart-roles', 'Roles', '', [{ label: 'role', show: false }], [[s.startX, s.endX], [null, null]], {
        height: 60 + 34 * n,
        legend: { show: false },
        scales: { x: { time: false, range: xRange }, y: { auto: false, range: [-0.5, n - 0.5] } },
        axes: [{ label: xLabel }, {
          size: 80, grid: { show: false },
          splits: () => s.lanes.map((_, i) => i),
          values: (_u, splits) => splits.map((v) => (s.lanes[n - 1 - v] || {}).node || ''),
        }],
        hooks: { drawClear: [shadeFaults], draw: [drawLanes, markDrawn] },
      });
    } else {
      document.getElementById('chart-roles').textContent = 'No role observations were recorded.';
    }
    for (const [opts, data, el] of specs) charts.push(new uPlot(opts, data, el));
    window.addEventListener('resize', () => charts.forEach((c) => c.setSize({ width: width(), height: c.height })));
  } catch (e) {
    document.body.dataset.rendered = 'error';
    document.getElementById('timeline').prepend(`The timeline could not be drawn: ${e}`);
    throw e;
  }
})();

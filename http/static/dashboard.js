// dashboard.js draws Coalition's charts with ECharts. Every chart container
// <div data-chart="KIND" id="ID"> has its data in
// <script type="application/json" id="ID-data"> (the CSP forbids inline
// scripts; JSON blocks are not executed). The table behind each chart is in
// the page already, so nothing is lost without JavaScript. Stacked and bar
// charts come drawn from the server as SVG (data-drawn="server",
// http/svgchart.go, which also holds the palette's category colours):
// a page with only those loads no chart library.
(function () {
  'use strict';

  // The palette (docs/palette.md): Okabe and Ito's eight colours, which stay
  // distinct for the common colour-vision deficiencies; the categories'
  // colours and the series' (donors, plan and actual) are chosen on the
  // server with the charts it draws (http/svgchart.go).
  var okabeIto = {
    blue: '#0072B2', orange: '#E69F00', green: '#009E73', purple: '#CC79A7',
    sky: '#56B4E9', vermillion: '#D55E00', yellow: '#F0E442', black: '#000000'
  };
  var palette = [okabeIto.blue, okabeIto.orange, okabeIto.green, okabeIto.vermillion, okabeIto.purple, okabeIto.sky, okabeIto.yellow, okabeIto.black];

  // num formats a number with thousands separators and at most digits
  // decimals (trailing zeros dropped): 27,361 or 1.5.
  function num(v, digits) {
    return v.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  }

  // fmtEUR formats euros for people: €1.2 bn, €350.0 m, €12 k.
  function fmtEUR(v) {
    var a = Math.abs(v);
    if (a >= 1e9) return '€' + num(v / 1e9, 1) + ' bn';
    if (a >= 1e6) return '€' + num(v / 1e6, 1) + ' m';
    if (a >= 1e3) return '€' + num(v / 1e3, 0) + ' k';
    return '€' + num(v, 0);
  }

  // exact is the fewest decimals (up to 3) that show x as it is: axis ticks
  // are round numbers (0.5, 1, 1.5), and rounding them all to whole units
  // printed "€2 bn" for 1.5, 2 and 2.5.
  function exact(x) {
    for (var d = 0; d < 3; d++) {
      if (Math.abs(x - Number(x.toFixed(d))) < 1e-9 * Math.max(1, Math.abs(x))) return d;
    }
    return 3;
  }

  // fmtAxis formats an axis tick in the unit of its size, with the decimals
  // the tick needs, so that two ticks never read the same.
  function fmtAxis(v) {
    var a = Math.abs(v);
    if (a >= 1e9) return '€' + num(v / 1e9, exact(v / 1e9)) + ' bn';
    if (a >= 1e6) return '€' + num(v / 1e6, exact(v / 1e6)) + ' m';
    if (a >= 1e3) return '€' + num(v / 1e3, exact(v / 1e3)) + ' k';
    return '€' + num(v, exact(v));
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // unwrap moves the western points of rings that cross the antimeridian
  // (Russia, Fiji) east by 360°, so that a flat map draws no line across the world.
  function unwrap(g) {
    var polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    polys.forEach(function (rings) {
      rings.forEach(function (ring) {
        var crosses = false;
        for (var i = 1; i < ring.length; i++) {
          if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) crosses = true;
        }
        if (crosses) ring.forEach(function (pt) { if (pt[0] < 0) pt[0] += 360; });
      });
    });
  }

  function narrow() { return window.innerWidth < 640; }

  // fitHeight makes a chart at least px tall (long category lists).
  function fitHeight(chart, px) {
    var el = chart.getDom();
    if (px > el.clientHeight) {
      el.style.height = px + 'px';
      chart.resize();
    }
  }

  var draw = {
    // targets: {labels, values (% of GDP), definitions, lines: [2, 3.5, 5]}:
    // horizontal bars coloured by definition, with the targets as lines.
    targets: function (chart, d) {
      fitHeight(chart, d.labels.length * 22 + 60);
      var defColor = { NATO: okabeIto.blue, SIPRI: okabeIto.orange };
      chart.setOption({
        tooltip: {
          trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true,
          formatter: function (ps) { var p = ps[0]; return esc(p.name) + ': ' + p.value.toFixed(2) + '% of GDP (' + esc(d.definitions[p.dataIndex]) + ')'; }
        },
        grid: { left: 8, right: 40, top: 28, bottom: 8, containLabel: true },
        xAxis: { type: 'value', max: function (v) { return Math.max(5.5, Math.ceil(v.max)); }, axisLabel: { formatter: '{value}%' } },
        yAxis: { type: 'category', data: d.labels, inverse: true, axisLabel: { width: narrow() ? 90 : 160, overflow: 'truncate' } },
        series: [{
          type: 'bar', data: d.values.map(function (v, i) { return { value: v, itemStyle: { color: defColor[d.definitions[i]] || '#9aa5b1' } }; }),
          label: { show: !narrow(), position: 'right', formatter: function (p) { return p.value.toFixed(2) + '%'; } },
          markLine: {
            symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: okabeIto.vermillion },
            label: { position: 'end', formatter: function (p) { return p.value + '%'; } },
            data: d.lines.map(function (v) { return { xAxis: v }; })
          }
        }]
      });
    },

    // fan: {x, p05, p50, p95, mean} in %: the p05–p95 band and the median.
    fan: function (chart, d) {
      var band = d.p95.map(function (v, i) { return v - d.p05[i]; });
      chart.setOption({
        color: ['#1f5fa8'],
        tooltip: {
          trigger: 'axis', confine: true,
          formatter: function (ps) {
            var i = ps[0].dataIndex;
            return esc(d.x[i]) + '<br>95th percentile: ' + d.p95[i].toFixed(1) + '%<br>median: ' + d.p50[i].toFixed(1) +
              '%<br>5th percentile: ' + d.p05[i].toFixed(1) + '%<br>mean: ' + d.mean[i].toFixed(1) + '%';
          }
        },
        legend: { top: 0, data: ['5th–95th percentile', 'Median'] },
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: d.x, boundaryGap: false },
        yAxis: {
          type: 'value', axisLabel: { formatter: '{value}%' },
          min: function (v) { return Math.max(0, Math.floor(v.min / 10) * 10); },
          max: function (v) { return Math.min(100, Math.max(10, Math.ceil(v.max / 10) * 10)); }
        },
        series: [
          { name: 'p05', type: 'line', data: d.p05, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false } },
          { name: '5th–95th percentile', type: 'line', data: band, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: 'rgba(31,95,168,0.22)' }, itemStyle: { color: 'rgba(31,95,168,0.4)' } },
          { name: 'Median', type: 'line', data: d.p50, symbol: 'none', lineStyle: { width: 2, color: '#1f5fa8' }, itemStyle: { color: '#1f5fa8' } }
        ]
      });
    },

    // gap: {x, required, covered, gap}: covered and gap stacked, required as a line.
    gap: function (chart, d) {
      chart.setOption({
        color: [okabeIto.green, okabeIto.vermillion, okabeIto.black],
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmtEUR, confine: true },
        legend: { top: 0 },
        grid: { left: 8, right: 12, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: d.x },
        yAxis: { type: 'value', axisLabel: { formatter: fmtAxis } },
        series: [
          { name: 'Covered', type: 'bar', stack: 'need', data: d.covered },
          { name: 'Gap', type: 'bar', stack: 'need', data: d.gap },
          { name: 'Required', type: 'line', data: d.required, symbol: 'none', step: 'middle', lineStyle: { width: 2 } }
        ]
      });
    },

    // map: {topology, label, items: [{id, iso3, name, value, eur}]} on the
    // world-atlas countries; ids are ISO 3166-1 numeric codes.
    map: function (chart, d) {
      chart.showLoading();
      return fetch(d.topology).then(function (r) {
        if (!r.ok) throw new Error('loading ' + d.topology + ': ' + r.status);
        return r.json();
      }).then(function (topo) {
        var geo = topojson.feature(topo, topo.objects.countries);
        geo.features = geo.features.filter(function (f) { return f.id !== '010'; }); // Antarctica
        geo.features.forEach(function (f) {
          // the series matches regions on properties[nameProperty]; a few disputed
          // areas (Kosovo, N. Cyprus, Somaliland) have no ISO code: key them by name.
          f.properties.id = f.id || 'name:' + f.properties.name;
          unwrap(f.geometry);
        });
        echarts.registerMap('world', geo);
        var byID = {};
        d.items.forEach(function (it) { byID[it.id] = it; });
        var names = {};
        geo.features.forEach(function (f) { names[f.id] = f.properties.name; });
        var maxV = d.items.reduce(function (m, it) { return Math.max(m, it.value); }, 0) || 1;
        chart.hideLoading();
        chart.setOption({
          tooltip: {
            trigger: 'item', confine: true,
            formatter: function (p) {
              var it = byID[p.name];
              if (!it) return esc(names[p.name] || p.name) + ': no support recorded';
              return '<b>' + esc(it.name) + '</b><br>' + it.value.toFixed(2) + '% of GDP<br>' + fmtEUR(it.eur);
            }
          },
          visualMap: {
            min: 0, max: Math.ceil(maxV * 10) / 10, calculable: true, left: 8, bottom: 8,
            text: [d.label, ''], inRange: { color: ['#dbe9f6', '#6aa1d4', '#1f5fa8', '#0b2e5c'] },
            formatter: function (v) { return v.toFixed(2) + '%'; }, itemHeight: narrow() ? 80 : 140
          },
          series: [{
            type: 'map', map: 'world', nameProperty: 'id', roam: false, aspectScale: 0.8,
            top: 8, bottom: 8, left: 8, right: 8,
            itemStyle: { areaColor: '#eceff3', borderColor: '#ffffff', borderWidth: 0.5 },
            emphasis: { label: { show: false }, itemStyle: { areaColor: okabeIto.orange } },
            select: { disabled: true },
            data: d.items.map(function (it) { return { name: it.id, value: it.value }; })
          }]
        });
        chart.on('click', function (p) {
          var it = byID[p.name];
          if (it) window.location.href = '/countries/' + encodeURIComponent(it.iso3);
        });
      });
    },

    // heat: {x: [months], y: [categories], cells: [[x, y, pct]]}.
    heat: function (chart, d) {
      chart.setOption({
        tooltip: {
          confine: true,
          formatter: function (p) { return esc(d.y[p.value[1]]) + ', ' + esc(d.x[p.value[0]]) + ': ' + p.value[2].toFixed(0) + '% covered'; }
        },
        grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
        xAxis: { type: 'category', data: d.x, splitArea: { show: true } },
        yAxis: { type: 'category', data: d.y, splitArea: { show: true } },
        visualMap: {
          min: 0, max: 100, orient: 'horizontal', left: 'center', bottom: 0,
          text: ['100% covered', '0%'], inRange: { color: [okabeIto.vermillion, okabeIto.yellow, okabeIto.green] }
        },
        series: [{ type: 'heatmap', data: d.cells, label: { show: d.x.length <= 12, formatter: function (p) { return p.value[2].toFixed(0); } } }]
      });
    },

    // timeline: {kinds, points: [{date, kind, title}]}: one lane per kind.
    timeline: function (chart, d) {
      chart.setOption({
        color: palette,
        tooltip: {
          trigger: 'item', confine: true,
          formatter: function (p) { return esc(p.value[0]) + ' · ' + esc(p.value[1]) + '<br>' + esc(p.value[2]); }
        },
        grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: 'time' },
        yAxis: { type: 'category', data: d.kinds, inverse: true },
        series: [{
          type: 'scatter', symbolSize: 12, itemStyle: { opacity: 0.8 },
          data: d.points.map(function (p) { return [p.date, p.kind, p.title]; })
        }]
      });
    }
  };

  var live = [];

  // drawOne draws the chart in el unless it is drawn already.
  function drawOne(el) {
    if (typeof echarts === 'undefined' || el.dataset.drawn) return;
    var src = document.getElementById(el.id + '-data');
    var fn = draw[el.dataset.chart];
    if (!src || !fn) return;
    el.dataset.drawn = 'yes';
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption({ animation: false }); // figures, not motion; screenshots show the final state
    live.push(chart);
    var p = fn(chart, JSON.parse(src.textContent));
    if (p && p.catch) {
      p.catch(function (err) {
        chart.hideLoading();
        el.textContent = 'The chart could not be drawn (' + err.message + '); the table below holds the same figures.';
        console.error(err);
      });
    }
  }

  // The chart libraries load only on a page that has a chart (issue 21:
  // 1.1 MB of ECharts on every page); their content-hashed URLs come from
  // this script's data attributes.
  var me = document.currentScript;
  var libs = me ? [me.dataset.echarts, me.dataset.topojson] : [];
  var loaded = null;
  var undrawn = '[data-chart]:not([data-drawn="server"])';
  function withCharts(fn) {
    if (!document.querySelector(undrawn)) return;
    if (!loaded) {
      loaded = Promise.all(libs.map(function (src) {
        return new Promise(function (ok, fail) {
          var s = document.createElement('script');
          s.src = src;
          s.onload = ok;
          s.onerror = function () { fail(new Error('could not load ' + src)); };
          document.head.appendChild(s);
        });
      }));
    }
    loaded.then(fn, function (err) { console.error(err); });
  }

  // A chart is drawn when it comes into the window, each in a task of its
  // own: on a phone, drawing the charts further down (and loading ECharts
  // on a page whose charts are all further down) blocked the main thread
  // while the reader could see none of them (issue 21, Lighthouse's total
  // blocking time on /; with a 200 px margin the second chart of / was
  // drawn at load on a phone: docs/lighthouse.md). The table behind each
  // chart is in the page anyway.
  var near = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (en) {
      if (!en.isIntersecting) return;
      near.unobserve(en.target);
      withCharts(function () { setTimeout(function () { drawOne(en.target); }, 0); });
    });
  }, { rootMargin: '0px' }) : null;

  // watch draws each chart under root when it comes near the window.
  function watch(root) {
    (root.querySelectorAll ? root : document).querySelectorAll('[data-chart]').forEach(function (el) {
      if (el.dataset.drawn || el.dataset.watched) return;
      el.dataset.watched = 'yes';
      if (near) {
        near.observe(el);
      } else {
        withCharts(function () { drawOne(el); });
      }
    });
  }

  // drawAll draws every chart of the page now, wherever it is, and resolves
  // when they are drawn: before printing, and for the browser tests, which
  // read every chart's axes.
  function drawAll() {
    return new Promise(function (ok, fail) {
      if (!document.querySelector(undrawn)) { ok(); return; }
      withCharts(function () {
        document.querySelectorAll(undrawn).forEach(drawOne);
        ok();
      });
      loaded.catch(fail);
    });
  }
  window.coalitionCharts = { drawAll: drawAll };
  window.addEventListener('beforeprint', drawAll);

  document.addEventListener('DOMContentLoaded', function () {
    watch(document);
    focusResult();
  });
  document.addEventListener('htmx:beforeRequest', function () { refocus = sortControl(document.activeElement); });
  document.addEventListener('htmx:afterSettle', function (evt) {
    watch((evt.detail && evt.detail.target) || document);
    announce(evt.detail && evt.detail.target);
    restoreFocus();
  });

  // A form with data-focus-result="ID" (the scenario builder) reloads the
  // page with its result: focus then moves to the element ID (the result's
  // heading, tabindex=-1), or to the problem the page reports, instead of
  // staying at the top of the page (issue 21: the result was 28 tabs away).
  document.addEventListener('submit', function (evt) {
    var f = evt.target;
    if (f && f.dataset && f.dataset.focusResult) {
      try { sessionStorage.setItem('focus-result', f.dataset.focusResult); } catch (e) { /* storage off: no focus move */ }
    }
  }, true);
  function focusResult() {
    var id = null;
    try {
      id = sessionStorage.getItem('focus-result');
      sessionStorage.removeItem('focus-result');
    } catch (e) { return; }
    if (!id) return;
    var el = document.getElementById(id) || document.querySelector('.problem');
    if (!el) return;
    if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
    el.focus();
  }

  // Sorting a table swaps the table with htmx, and with it the sort link
  // that had focus: focus goes back to the same column's link in the new
  // table rather than to <body>.
  var refocus = null;
  function sortControl(el) {
    var th = el && el.closest ? el.closest('th') : null;
    var table = th ? th.closest('table[id]') : null;
    if (!th || !table || el.tagName !== 'A') return null;
    return { table: table.id, column: Array.prototype.indexOf.call(th.parentNode.children, th) };
  }
  function restoreFocus() {
    if (!refocus) return;
    var table = document.getElementById(refocus.table);
    var th = table ? table.querySelectorAll('thead th')[refocus.column] : null;
    var a = th ? th.querySelector('a') : null;
    refocus = null;
    if (a && (document.activeElement === document.body || !document.activeElement)) a.focus();
  }

  // announce reads the summary line of results that htmx swapped in (a
  // filter changed) into the page's polite live region, so that a screen
  // reader says how many rows the new results have. The swapped element is
  // looked up again: an outerHTML swap leaves the event's target detached.
  function announce(target) {
    var status = document.getElementById('live-status');
    var current = target && target.id ? document.getElementById(target.id) : target;
    var summary = current && current.querySelector && current.querySelector('.summary');
    if (status && summary) {
      status.textContent = summary.innerText.trim();
    }
  }
  var pending = 0;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      live = live.filter(function (c) { return !c.isDisposed() && document.body.contains(c.getDom()); });
      live.forEach(function (c) { c.resize(); });
    }, 100);
  });
})();

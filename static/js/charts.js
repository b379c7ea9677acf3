/* ENV5001 charts: draws every <canvas data-chart-source="ID"> from the JSON element ID
 * (written by Django's json_script filter, so no page data is ever concatenated into code).
 *
 * Data kinds (see calculations/presentation.py):
 *   stacked  {labels, unit, datasets: [{label, data, colour}]}          stacked bars (daily energy)
 *   grouped  {labels, unit, datasets: [{label, data, colour}]}          side-by-side bars (comparison)
 *   range    {labels, unit, values, ranges: [[low, high]], colours,     central value over its range
 *             value_label, range_label}
 */
(function () {
  "use strict";

  if (typeof window.Chart === "undefined") {
    return;
  }
  var Chart = window.Chart;
  var lang = document.documentElement.lang || "en";
  var number = new Intl.NumberFormat(lang, { maximumSignificantDigits: 3 });

  Chart.defaults.font.family =
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  Chart.defaults.color = "#3d4a47";
  Chart.defaults.borderColor = "rgba(20, 50, 45, 0.08)";
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation.duration = 300;
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }

  function format(value, unit) {
    return number.format(value) + (unit ? "\u00a0" + unit : "");
  }

  function translucent(hex, alpha) {
    var h = hex.replace("#", "");
    var r = parseInt(h.substring(0, 2), 16);
    var g = parseInt(h.substring(2, 4), 16);
    var b = parseInt(h.substring(4, 6), 16);
    return "rgba(" + r + ", " + g + ", " + b + ", " + alpha + ")";
  }

  function valueAxis(spec, stacked) {
    return {
      stacked: stacked,
      beginAtZero: true,
      title: { display: true, text: spec.unit },
      ticks: { callback: function (v) { return number.format(v); } },
    };
  }

  function categoryAxis(spec, stacked, many) {
    return {
      stacked: stacked,
      grid: { display: false },
      ticks: many ? { autoSkip: true, maxTicksLimit: 12, maxRotation: 0 } : { autoSkip: false },
    };
  }

  function barsConfig(spec, stacked) {
    var many = spec.labels.length > 40;
    return {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d) {
          return {
            label: d.label,
            data: d.data,
            backgroundColor: d.colour,
            borderWidth: 0,
            barPercentage: many ? 1.0 : 0.8,
            categoryPercentage: many ? 1.0 : 0.8,
          };
        }),
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: { x: categoryAxis(spec, stacked, many), y: valueAxis(spec, stacked) },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12, boxHeight: 12 } },
          tooltip: {
            callbacks: {
              label: function (ctx) { return ctx.dataset.label + ": " + format(ctx.parsed.y, spec.unit); },
              footer: stacked ? function (items) {
                var total = items.reduce(function (sum, item) { return sum + item.parsed.y; }, 0);
                return "Σ " + format(total, spec.unit);
              } : undefined,
            },
          },
        },
      },
    };
  }

  function rangeConfig(spec) {
    var horizontal = spec.horizontal !== false;
    var valueScale = horizontal ? "x" : "y";
    var categoryScale = horizontal ? "y" : "x";
    var scales = {};
    scales[valueScale] = valueAxis(spec, false);
    scales[categoryScale] = { grid: { display: false }, ticks: { autoSkip: spec.labels.length > 20 } };
    if (spec.short_labels) {
      // Long labels (run, period) take the whole width of a phone: show the short ones there;
      // the tooltip still shows the full label.
      scales[categoryScale].ticks.callback = function (value, index) {
        return this.chart.width < 560 ? spec.short_labels[index] : spec.labels[index];
      };
    }
    return {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: [
          {
            label: spec.value_label,
            data: spec.values,
            backgroundColor: spec.colours,
            borderWidth: 0,
            grouped: false,
            barPercentage: 0.45,
            order: 1,
          },
          {
            label: spec.range_label,
            data: spec.ranges,
            backgroundColor: spec.colours.map(function (c) { return translucent(c, 0.22); }),
            borderColor: spec.colours.map(function (c) { return translucent(c, 0.55); }),
            borderWidth: 1,
            grouped: false,
            barPercentage: 0.85,
            order: 2,
          },
        ],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        interaction: { mode: "index", intersect: false, axis: horizontal ? "y" : "x" },
        scales: scales,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var raw = ctx.raw;
                if (Array.isArray(raw)) {
                  return ctx.dataset.label + ": " + number.format(raw[0]) + "–" + format(raw[1], spec.unit);
                }
                return ctx.dataset.label + ": " + format(raw, spec.unit);
              },
            },
          },
        },
      },
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart-source"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var config;
    if (spec.kind === "stacked") {
      config = barsConfig(spec, true);
    } else if (spec.kind === "grouped") {
      config = barsConfig(spec, false);
    } else if (spec.kind === "range") {
      config = rangeConfig(spec);
      if (spec.horizontal !== false) {
        // One row per bar: the box grows with the number of bars instead of squeezing them.
        canvas.parentNode.style.height = Math.max(180, 34 * spec.labels.length + 70) + "px";
      }
    } else {
      return;
    }
    new Chart(canvas, config);
    canvas.setAttribute("data-chart-drawn", "true");
  }

  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart-source]"), draw);
})();

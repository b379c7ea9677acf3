/* ENV5001 charts: draws every <canvas data-chart-source="ID"> from the JSON element ID
 * (written by Django's json_script filter, so no page data is ever concatenated into code).
 *
 * Data kinds (see calculations/presentation.py):
 *   stacked  {labels, unit, datasets: [{label, data, colour}]}          stacked bars (daily energy)
 *   grouped  {labels, unit, datasets: [{label, data, colour}]}          side-by-side bars (comparison)
 *   range    {labels, unit, values, ranges: [[low, high]], colours,     central value over its range
 *             value_label, range_label, horizontal (default true)}
 *   tornado  {labels, label_lines: [[entry, parameter]], unit, central,   one floating bar per hypothesis,
 *             low: [result], high: [result], low_values, high_values,     from the central result to the
 *             low_label, high_label, central_label, colours: {low, high}} result at its low / high value
 *   waterfall {labels, unit, steps: [[from, to]], changes: [factor or     run A's total, one floating bar
 *             null], colours}                                            per factor, run B's total
 *
 * A <canvas data-chart-resolution="2"> is drawn with at least that many pixels per CSS pixel (sharp
 * when printed); every chart is resized before printing. A [data-print] button prints the page.
 */
(function () {
  "use strict";

  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

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

  // The dashed vertical line of the central result, with its value above the chart area.
  var centralLine = {
    id: "env5001Central",
    afterDatasetsDraw: function (chart, args, options) {
      if (options.value === undefined || options.value === null) {
        return;
      }
      var x = chart.scales.x.getPixelForValue(options.value);
      var area = chart.chartArea;
      var ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = "#16211f";
      ctx.lineWidth = 1.5;
      ctx.setLineDash([5, 4]);
      ctx.beginPath();
      ctx.moveTo(x, area.top - 4);
      ctx.lineTo(x, area.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = "#16211f";
      ctx.font = "600 12px " + Chart.defaults.font.family;
      ctx.textBaseline = "bottom";
      var text = options.label;
      var width = ctx.measureText(text).width;
      ctx.textAlign = x + width / 2 > chart.width ? "right" : (x - width / 2 < 0 ? "left" : "center");
      ctx.fillText(text, x, area.top - 6);
      ctx.restore();
    },
  };

  function wrap(text, width) {
    var lines = [];
    var line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    lines.push(line);
    return lines;
  }

  function tornadoConfig(spec) {
    var central = spec.central;
    function bars(results) {
      return results.map(function (result) { return [central, result]; });
    }
    function change(result) {
      if (!central) {
        return "";
      }
      var ratio = (result - central) / central * 100;
      return " (" + (ratio > 0 ? "+" : (ratio < 0 ? "\u2212" : "")) + number.format(Math.abs(ratio)) + "\u00a0%)";
    }
    return {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: [
          {
            label: spec.low_label,
            data: bars(spec.low),
            values: spec.low_values,
            backgroundColor: translucent(spec.colours.low, 0.8),
            borderColor: spec.colours.low,
            borderWidth: 1,
            grouped: false,
            barPercentage: 0.7,
          },
          {
            label: spec.high_label,
            data: bars(spec.high),
            values: spec.high_values,
            backgroundColor: translucent(spec.colours.high, 0.8),
            borderColor: spec.colours.high,
            borderWidth: 1,
            grouped: false,
            barPercentage: 0.7,
          },
        ],
      },
      plugins: [centralLine],
      options: {
        indexAxis: "y",
        layout: { padding: { top: 22, right: 8 } },
        interaction: { mode: "index", intersect: false, axis: "y" },
        scales: {
          x: {
            grace: "4%",
            title: { display: true, text: spec.unit },
            ticks: { callback: function (v) { return number.format(v); } },
          },
          y: {
            grid: { display: false },
            ticks: {
              autoSkip: false,
              callback: function (value, index) {
                // Entry and parameter on two lines where one would squeeze the bars; on a phone,
                // each line is wrapped again so that the labels leave room for the bars.
                if (this.chart.width >= 820) {
                  return spec.labels[index];
                }
                if (this.chart.width >= 560) {
                  return spec.label_lines[index];
                }
                return spec.label_lines[index].reduce(function (lines, line) {
                  return lines.concat(wrap(line, 18));
                }, []);
              },
            },
          },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12, boxHeight: 12 } },
          env5001Central: { value: central, label: spec.central_label + " " + format(central, spec.unit) },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var result = ctx.raw[1];
                var value = ctx.dataset.values[ctx.dataIndex];
                return ctx.dataset.label + (value ? " (" + value + ")" : "") + ": " + format(result, spec.unit) +
                  change(result);
              },
            },
          },
        },
      },
    };
  }

  function waterfallConfig(spec) {
    return {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: [{
          data: spec.steps,
          backgroundColor: spec.colours.map(function (c) { return translucent(c, 0.85); }),
          borderColor: spec.colours,
          borderWidth: 1,
          barPercentage: 0.8,
        }],
      },
      options: {
        scales: {
          x: { grid: { display: false }, ticks: { autoSkip: false } },
          y: { beginAtZero: true, title: { display: true, text: spec.unit },
               ticks: { callback: function (v) { return number.format(v); } } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var change = spec.changes[ctx.dataIndex];
                if (change === null) {
                  return format(ctx.raw[1], spec.unit);
                }
                return (change > 0 ? "+" : (change < 0 ? "\u2212" : "")) + format(Math.abs(change), spec.unit);
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
    } else if (spec.kind === "waterfall") {
      config = waterfallConfig(spec);
    } else if (spec.kind === "tornado") {
      config = tornadoConfig(spec);
      // One row per hypothesis, taller on a phone where its label takes three or four lines.
      var row = canvas.parentNode.clientWidth < 560 ? 54 : 40;
      canvas.parentNode.style.height = Math.max(200, row * spec.labels.length + 90) + "px";
    } else {
      return;
    }
    var resolution = parseFloat(canvas.getAttribute("data-chart-resolution"));
    if (resolution) {
      config.options.devicePixelRatio = Math.max(window.devicePixelRatio || 1, resolution);
    }
    new Chart(canvas, config);
    canvas.setAttribute("data-chart-drawn", "true");
  }

  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart-source]"), draw);

  // Paper is not the screen: fit every chart to its printed box before printing.
  window.addEventListener("beforeprint", function () {
    Object.keys(Chart.instances).forEach(function (id) { Chart.instances[id].resize(); });
  });
})();

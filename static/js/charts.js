// Draws the dashboards' charts with the vendored Chart.js. Each <canvas data-chart="ID">
// reads its data from the JSON element #ID (Django's json_script: data, not script, so the
// Content-Security-Policy allows it). The same numbers are in a table next to every chart.
//
// The data says everything a reader sees: each series' tone (colour and fill pattern, from the
// one palette in figures/palette.py), the threshold lines' colours and dashes, the figures as
// text in the page's language for the tooltips ("texts"), the dates ("titles") and the locale
// the axis numbers are written in. Nothing here picks a colour by a series' position.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return; // the tables carry the figures
  }
  const NEUTRAL = "#2f5f8a";

  // A tone's fill: its colour with its pattern drawn in white (colour never carries the
  // meaning alone).
  function fill(tone) {
    const colour = (tone && tone.colour) || NEUTRAL;
    const pattern = (tone && tone.pattern) || "solid";
    if (pattern === "solid") {
      return colour;
    }
    const size = 8;
    const tile = document.createElement("canvas");
    tile.width = size;
    tile.height = size;
    const ctx = tile.getContext("2d");
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = "rgba(255, 255, 255, 0.85)";
    ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    if (pattern === "stripes") {
      ctx.moveTo(0, size);
      ctx.lineTo(size, 0);
    } else if (pattern === "crosshatch") {
      ctx.moveTo(0, size);
      ctx.lineTo(size, 0);
      ctx.moveTo(0, 0);
      ctx.lineTo(size, size);
    } else if (pattern === "grid") {
      ctx.moveTo(size / 2, 0);
      ctx.lineTo(size / 2, size);
      ctx.moveTo(0, size / 2);
      ctx.lineTo(size, size / 2);
    } else if (pattern === "dots") {
      ctx.arc(size / 2, size / 2, 1.5, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.stroke();
    return ctx.createPattern(tile, "repeat") || colour;
  }

  // Threshold lines (WBK/WBBM totals, the 60%/75% area markers), drawn over the chart.
  const thresholdLines = {
    id: "ziThresholds",
    afterDatasetsDraw(chart, _args, options) {
      const lines = options.lines || [];
      if (!lines.length) {
        return;
      }
      const horizontal = chart.options.indexAxis === "y";
      const scale = horizontal ? chart.scales.x : chart.scales.y;
      const area = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      lines.forEach(function (line, i) {
        const at = scale.getPixelForValue(line.value);
        ctx.strokeStyle = line.colour || NEUTRAL;
        ctx.fillStyle = ctx.strokeStyle;
        ctx.lineWidth = 2;
        ctx.setLineDash(line.dash || [6, 4]);
        ctx.beginPath();
        if (horizontal) {
          ctx.moveTo(at, area.top);
          ctx.lineTo(at, area.bottom);
        } else {
          ctx.moveTo(area.left, at);
          ctx.lineTo(area.right, at);
        }
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.font = "12px system-ui, sans-serif";
        if (horizontal) {
          ctx.fillText(line.label, at + 3, area.top + 12 + 14 * i);
        } else {
          ctx.fillText(line.label, area.left + 4, at - 4);
        }
      });
      ctx.restore();
    },
  };

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    const data = JSON.parse(source.textContent);
    const horizontal = Boolean(data.horizontal);
    const suffix = data.suffix || "";
    const locale = data.locale || document.documentElement.lang || "id";
    const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    const valueAxis = {
      beginAtZero: true,
      stacked: Boolean(data.stacked),
      ticks: {
        precision: data.integer ? 0 : undefined,
        callback: function (value) {
          return numbers.format(value) + suffix;
        },
      },
    };
    if (data.max !== undefined) {
      valueAxis.max = data.max;
    }
    const categoryAxis = { stacked: Boolean(data.stacked) };
    const datasets = data.datasets.map(function (set) {
      const colour = (set.tone && set.tone.colour) || NEUTRAL;
      const shown = Object.assign({}, set);
      delete shown.tone;
      delete shown.texts;
      return Object.assign(shown, {
        backgroundColor: data.type === "line" ? colour : fill(set.tone),
        borderColor: colour,
        pointRadius: data.type === "line" ? 0 : undefined,
        borderWidth: data.type === "line" ? 2 : 1,
      });
    });
    const links = data.links || [];
    const chart = new window.Chart(canvas, {
      type: data.type,
      data: { labels: data.labels, datasets: datasets },
      options: {
        locale: locale,
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              title: function (items) {
                const titles = data.titles || data.labels;
                return items.length ? titles[items[0].dataIndex] : "";
              },
              label: function (item) {
                const texts = data.datasets[item.datasetIndex].texts;
                const text = texts ? texts[item.dataIndex] : numbers.format(item.raw) + suffix;
                return item.dataset.label + ": " + text;
              },
            },
          },
          ziThresholds: { lines: data.lines || [] },
        },
        onClick: function (_event, elements) {
          if (elements.length && links[elements[0].index]) {
            window.location.assign(links[elements[0].index]);
          }
        },
        onHover: function (event, elements) {
          const target = event.native && event.native.target;
          if (target) {
            target.classList.toggle("chart-link", Boolean(elements.length && links[elements[0].index]));
          }
        },
      },
      plugins: [thresholdLines],
    });
    canvas.dataset.drawn = "1";
    return chart;
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();

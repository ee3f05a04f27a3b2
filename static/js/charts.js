// Draws the dashboards' charts with the vendored Chart.js. Each <canvas data-chart="ID">
// reads its data from the JSON element #ID (Django's json_script: data, not script, so the
// Content-Security-Policy allows it). The same numbers are in a table next to every chart.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return; // the tables carry the figures
  }
  const COLOURS = ["#7a1c1c", "#c0873f", "#2f6f8f", "#146c43", "#6c757d", "#b02a37"];
  const LINE_COLOURS = ["#0b5ed7", "#198754", "#6f42c1"];

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
        ctx.strokeStyle = LINE_COLOURS[i % LINE_COLOURS.length];
        ctx.fillStyle = ctx.strokeStyle;
        ctx.lineWidth = 2;
        ctx.setLineDash([6, 4]);
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
    const valueAxis = {
      beginAtZero: true,
      stacked: Boolean(data.stacked),
      ticks: {
        callback: function (value) {
          return value + suffix;
        },
      },
    };
    if (data.max !== undefined) {
      valueAxis.max = data.max;
    }
    const categoryAxis = { stacked: Boolean(data.stacked) };
    const datasets = data.datasets.map(function (set, i) {
      const colour = COLOURS[i % COLOURS.length];
      return Object.assign(
        {
          backgroundColor: colour,
          borderColor: colour,
          pointRadius: data.type === "line" ? 0 : undefined,
          borderWidth: data.type === "line" ? 2 : 0,
        },
        set
      );
    });
    const links = data.links || [];
    const chart = new window.Chart(canvas, {
      type: data.type,
      data: { labels: data.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + item.formattedValue + suffix;
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

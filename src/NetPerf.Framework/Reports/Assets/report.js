// Draws the NetPerf report's charts from the JSON in the script element with id "netperf-data". All text goes through
// textContent or Chart.js (which draws on a canvas), never through innerHTML.
(function () {
  "use strict";
  var palette = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bc4c00", "#1b7c83", "#bf3989", "#4d2d00", "#6e7781", "#953800"];
  var data = JSON.parse(document.getElementById("netperf-data").textContent);
  var root = document.getElementById("charts");
  var rendered = 0;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function withAlpha(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  function dataset(series, index, colorIndex) {
    var color = palette[colorIndex % palette.length];
    var d = {
      label: series.name,
      data: series.points.map(function (p) { return { x: p[0], y: p[1] }; }),
      borderColor: color,
      backgroundColor: color,
      pointRadius: 3,
      showLine: true,
      fill: false,
      tension: 0
    };
    switch (series.style) {
      case "step": d.stepped = "after"; d.pointRadius = 0; break;
      case "points": d.showLine = false; d.pointRadius = 4; break;
      case "hollow": d.showLine = false; d.pointRadius = 4; d.backgroundColor = "rgba(0,0,0,0)"; d.borderColor = "#6e7781"; d.pointStyle = "circle"; break;
      case "diamonds": d.showLine = false; d.pointRadius = 5; d.pointStyle = "rectRot"; d.borderColor = "#8250df"; d.backgroundColor = "#8250df"; break;
      case "dashed": d.pointRadius = 0; d.borderDash = [6, 4]; d.borderColor = "#59636e"; break;
      case "band-lower": d.pointRadius = 0; d.borderWidth = 0; d.borderColor = "rgba(0,0,0,0)"; break;
      case "band-upper": d.pointRadius = 0; d.borderWidth = 0; d.borderColor = "rgba(0,0,0,0)"; d.fill = "-1"; d.backgroundColor = withAlpha("#0969da", 0.18); break;
    }
    return d;
  }

  function drawChart(spec, figure, box) {
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", spec.title);
    box.appendChild(canvas);
    var colorIndex = 0;
    var datasets = spec.series.map(function (s, i) {
      var fixedColor = s.style === "hollow" || s.style === "dashed" || s.style === "diamonds" || s.style.indexOf("band-") === 0;
      return dataset(s, i, fixedColor ? 0 : colorIndex++);
    });
    var category = spec.xScale === "category";
    new Chart(canvas, {
      type: "scatter",
      data: { datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: true,
        plugins: {
          legend: {
            position: "bottom",
            labels: {
              boxWidth: 12,
              // The lower edge of a band is an implementation detail; the upper edge carries the band's name.
              filter: function (item) { return spec.series[item.datasetIndex].style !== "band-lower"; }
            }
          },
          tooltip: { enabled: true }
        },
        scales: {
          x: {
            type: category ? "linear" : spec.xScale,
            min: category ? -0.25 : undefined,
            max: category ? spec.categories.length - 0.75 : undefined,
            title: { display: true, text: spec.xLabel },
            ticks: category ? {
              stepSize: 1,
              callback: function (value) { return spec.categories[value] !== undefined ? spec.categories[value] : ""; }
            } : {}
          },
          y: { title: { display: true, text: spec.yLabel }, beginAtZero: spec.yFromZero }
        }
      },
      plugins: [{
        id: "netperfRendered",
        afterRender: function (c) {
          figure.setAttribute("data-series", String(c.data.datasets.length));
          if (!figure.hasAttribute("data-rendered")) {
            figure.setAttribute("data-rendered", "true");
            rendered++;
            document.body.setAttribute("data-charts-rendered", String(rendered));
          }
        }
      }]
    });
  }

  data.sections.forEach(function (section) {
    var charts = data.charts.filter(function (c) { return c.section === section; });
    if (charts.length === 0) return;
    root.appendChild(el("h2", null, section));
    var grid = el("div", "grid");
    root.appendChild(grid);
    charts.forEach(function (spec) {
      var figure = el("figure", "chart");
      figure.id = spec.id;
      figure.setAttribute("data-expected-series", String(spec.series.length));
      figure.appendChild(el("figcaption", null, spec.title));
      if (spec.note) figure.appendChild(el("p", "chart-note", spec.note));
      var box = el("div", "canvas-box");
      figure.appendChild(box);
      grid.appendChild(figure);
      try {
        drawChart(spec, figure, box);
      } catch (e) {
        figure.setAttribute("data-error", String(e && e.message ? e.message : e));
        figure.appendChild(el("p", "chart-error", "This chart could not be drawn: " + e));
        console.error("NetPerf chart " + spec.id + " failed:", e);
      }
    });
  });
  document.body.setAttribute("data-charts-total", String(data.charts.length));
  document.body.setAttribute("data-report-ready", "true");
})();

/* Dashboard charts (vendored Chart.js). Each chart has a table beside it; clicking a bar opens the
   filtered project list behind it. Amounts are integer đồng, shown in Vietnamese notation. */
(function () {
  "use strict";
  var holder = document.getElementById("kc-dashboard-data");
  if (!holder || typeof Chart === "undefined") { return; }
  var data = JSON.parse(holder.textContent);

  function vndShort(v) {
    var abs = Math.abs(v);
    if (abs >= 1e9) { return (v / 1e9).toLocaleString("vi-VN", { maximumFractionDigits: 2 }) + " tỷ"; }
    if (abs >= 1e6) { return (v / 1e6).toLocaleString("vi-VN", { maximumFractionDigits: 0 }) + " tr"; }
    return v.toLocaleString("vi-VN");
  }
  function vndFull(v) { return v.toLocaleString("vi-VN") + " ₫"; }
  function go(links) {
    return function (evt, elements) {
      if (!elements.length || !links) { return; }
      var url = links[elements[0].index];
      if (url) { window.location.href = url; }
    };
  }
  function hover(evt, elements) {
    evt.native.target.style.cursor = elements.length ? "pointer" : "default";
  }
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;

  var byYear = document.getElementById("chart-by-year");
  if (byYear) {
    new Chart(byYear, {
      type: "bar",
      data: {
        labels: data.byYear.labels,
        datasets: data.byYear.datasets.map(function (d) { d.maxBarThickness = 64; return d; })
      },
      options: {
        onClick: go(data.byYear.links), onHover: hover,
        scales: { x: { stacked: true }, y: { stacked: true, ticks: { callback: vndShort } } },
        plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + vndFull(c.raw); } } } }
      }
    });
  }
  function horizontal(id, series, colour, money) {
    var el = document.getElementById(id);
    if (!el) { return; }
    new Chart(el, {
      type: "bar",
      data: { labels: series.labels, datasets: [{ data: series.data, backgroundColor: colour, maxBarThickness: 32 }] },
      options: {
        indexAxis: "y", onClick: go(series.links), onHover: hover,
        scales: { x: { ticks: money ? { callback: vndShort } : { precision: 0 } } },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (c) { return money ? vndFull(c.raw) : c.raw.toLocaleString("vi-VN"); } } }
        }
      }
    });
  }
  horizontal("chart-by-category", data.byCategory, "#0b5394", true);
  horizontal("chart-by-area", data.byArea, "#e69138", true);
  horizontal("chart-funnel", data.funnel, "#6aa84f", false);
})();

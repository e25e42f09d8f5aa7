/* Open data charts (vendored Chart.js); every chart has its table on the page. */
(function () {
  "use strict";
  // A box that scrolls must be reachable by keyboard (axe scrollable-region-focusable), as in portal.js.
  function focusableScrollers() {
    document.querySelectorAll(".table-responsive, .kc-od-scroll").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) { el.tabIndex = 0; }
    });
  }
  focusableScrollers();
  var resizing = null;
  window.addEventListener("resize", function () { clearTimeout(resizing); resizing = setTimeout(focusableScrollers, 150); });
  var holder = document.getElementById("od-chart-data");
  if (!holder || typeof Chart === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  var lang = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
  var billion = lang === "vi-VN" ? " tỷ" : " bn";
  var million = lang === "vi-VN" ? " tr" : " m";
  function vndShort(v) {
    var abs = Math.abs(v);
    if (abs >= 1e9) { return (v / 1e9).toLocaleString(lang, { maximumFractionDigits: 1 }) + billion; }
    if (abs >= 1e6) { return (v / 1e6).toLocaleString(lang, { maximumFractionDigits: 0 }) + million; }
    return v.toLocaleString(lang);
  }
  function vndFull(c) { return " " + c.raw.toLocaleString(lang) + " ₫"; }
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;
  function bars(id, labels, datasets, horizontal) {
    var el = document.getElementById(id);
    if (!el) { return; }
    new Chart(el, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        scales: horizontal ? { x: { ticks: { callback: vndShort } } } : { y: { ticks: { callback: vndShort } } },
        plugins: { legend: { display: datasets.length > 1 }, tooltip: { callbacks: { label: vndFull } } }
      }
    });
  }
  bars("od-chart-provinces", data.provinces.labels,
       [{ data: data.provinces.data, backgroundColor: "#0b5394", maxBarThickness: 18 }], true);
  bars("od-chart-years", data.years.labels, [
    { label: data.years.labelApproved, data: data.years.approved, backgroundColor: "#0b5394", maxBarThickness: 48 },
    { label: data.years.labelDisbursed, data: data.years.disbursed, backgroundColor: "#e69138", maxBarThickness: 48 }
  ], false);
  bars("od-chart-categories", data.categories.labels,
       [{ data: data.categories.data, backgroundColor: "#6aa84f", maxBarThickness: 24 }], true);
}());

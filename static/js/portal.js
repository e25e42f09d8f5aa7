// Small progressive enhancements shared by every page.
(function () {
  "use strict";
  // Searchable selects: <select data-kc-search="/dia-ban/xa/tim/" data-kc-province-from="#id_province">
  function initRemoteSelect(el) {
    if (el.tomselect) return;
    const url = el.dataset.kcSearch;
    const provinceSel = el.dataset.kcProvinceFrom ? document.querySelector(el.dataset.kcProvinceFrom) : null;
    const ts = new TomSelect(el, {
      valueField: "value", labelField: "text", searchField: [], maxOptions: 30, loadThrottle: 250,
      load: function (query, callback) {
        const params = new URLSearchParams({ q: query });
        if (provinceSel && provinceSel.value) params.set("province", provinceSel.value);
        fetch(url + "?" + params.toString(), { credentials: "same-origin" })
          .then((r) => r.json()).then((data) => callback(data.results)).catch(() => callback());
      },
      score: function () { return function () { return 1; }; },
      render: { no_results: function () { return '<div class="no-results">Không tìm thấy</div>'; } },
    });
    if (provinceSel) provinceSel.addEventListener("change", function () { ts.clear(); ts.clearOptions(); });
  }
  function initAll(root) {
    root.querySelectorAll("select[data-kc-search]").forEach(initRemoteSelect);
    root.querySelectorAll("select[data-kc-enhance]").forEach(function (el) { if (!el.tomselect) new TomSelect(el, {}); });
  }
  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.addEventListener("htmx:afterSwap", function (e) { initAll(e.target); });
})();

// Small progressive enhancements shared by every page.
(function () {
  "use strict";
  // Searchable selects: <select data-kc-search="/dia-ban/xa/tim/" data-kc-province-from="#id_province">
  // Tom Select moves the <label for> to its own input and hides the <select>: the hidden select keeps
  // its name for screen readers (axe select-name) and leaves the tab order.
  function labelText(el) {
    const label = el.labels && el.labels[0];
    const text = label ? label.textContent.replace(/\*/g, "").replace(/\s+/g, " ").trim() : "";
    return text || el.getAttribute("aria-label") || el.getAttribute("title") || el.name;
  }
  function keepName(el, ts) {
    const text = labelText(el);
    if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", text);
    el.setAttribute("tabindex", "-1");
    if (ts && ts.control_input && !ts.control_input.getAttribute("aria-label")) {
      ts.control_input.setAttribute("aria-label", text);
    }
  }
  function initRemoteSelect(el) {
    if (el.tomselect) return;
    const name = labelText(el);
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
    el.setAttribute("aria-label", name);
    keepName(el, ts);
    if (provinceSel) provinceSel.addEventListener("change", function () { ts.clear(); ts.clearOptions(); });
  }
  // Phone cards (portal.css, table.kc-cards): each cell carries its column's header as data-label.
  function labelCells(table) {
    const heads = Array.from(table.querySelectorAll("thead th")).map(function (th) { return th.textContent.replace(/\s+/g, " ").trim(); });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      let col = 0;
      Array.from(tr.children).forEach(function (td) {
        if (!td.hasAttribute("data-label") && !td.hasAttribute("colspan")) td.setAttribute("data-label", heads[col] || "");
        col += td.colSpan || 1;
      });
    });
  }
  // A box that scrolls must be reachable by keyboard (axe scrollable-region-focusable).
  function focusableScrollers(root) {
    root.querySelectorAll(".table-responsive, .kc-scroll, .kc-od-scroll").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) { el.tabIndex = 0; }
    });
  }
  // The Content-Security-Policy forbids inline handlers and style attributes, so markup declares
  // what it needs with data attributes and this file does it.
  function clampPercent(value) {
    const n = parseFloat(value);
    return isNaN(n) ? 0 : Math.max(0, Math.min(100, n));
  }
  function within(root, selector) {
    const found = Array.from(root.querySelectorAll ? root.querySelectorAll(selector) : []);
    if (root.matches && root.matches(selector)) found.push(root);
    return found;
  }
  function applySizes(root) {
    within(root, "[data-kc-width]").forEach(function (el) { el.style.width = clampPercent(el.dataset.kcWidth) + "%"; });
    within(root, "[data-kc-height]").forEach(function (el) {
      const px = parseInt(el.dataset.kcHeight, 10);
      if (!isNaN(px)) el.style.height = px + "px";
    });
  }
  // <select data-kc-autosubmit>: choosing an option submits its form (the language switch).
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("select[data-kc-autosubmit]") && e.target.form) e.target.form.requestSubmit();
  });
  // <form data-kc-confirm="Question?">: ask before sending.
  document.addEventListener("submit", function (e) {
    const form = e.target;
    if (form.dataset && form.dataset.kcConfirm && !window.confirm(form.dataset.kcConfirm)) e.preventDefault();
  }, true);
  // Date fields: a calendar (vendored flatpickr) that still takes typing as dd/mm/yyyy; the server
  // parses the same format (core/formats), so the field works without JavaScript too.
  function initDate(el) {
    if (el._flatpickr || typeof flatpickr === "undefined") return;
    const vi = document.documentElement.lang !== "en";
    const picker = flatpickr(el, {
      allowInput: true, dateFormat: "d/m/Y", ariaDateFormat: "d/m/Y", disableMobile: true,
      locale: vi && flatpickr.l10ns.vn ? flatpickr.l10ns.vn : "default",
    });
    // Someone who types a whole date needs no calendar: it closes, so it no longer covers the fields
    // and the button below it.
    el.addEventListener("input", function () {
      if (/^\d{1,2}\/\d{1,2}\/\d{4}$/.test(el.value.trim())) {
        picker.setDate(el.value.trim(), false, "d/m/Y");
        picker.close();
      }
    });
  }
  function initAll(root) {
    applySizes(root);
    root.querySelectorAll('input[data-kc-date], input[placeholder="dd/mm/yyyy"]').forEach(initDate);
    root.querySelectorAll("table.kc-cards").forEach(labelCells);
    focusableScrollers(root);
    root.querySelectorAll("select[data-kc-search]").forEach(initRemoteSelect);
    root.querySelectorAll("select[data-kc-enhance]").forEach(function (el) {
      if (el.tomselect) return;
      const name = labelText(el);
      const ts = new TomSelect(el, {});
      el.setAttribute("aria-label", name);
      keepName(el, ts);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    initAll(document);
    // A form came back with errors: the summary takes the focus, so screen readers read it first.
    const summary = document.getElementById("kc-error-summary");
    if (summary) summary.focus();
  });
  document.addEventListener("htmx:afterSwap", function (e) { initAll(e.target); });
  // Content swapped in (an outerHTML swap too): its sizes; a fragment that says the work is done
  // (data-kc-reload) reloads the page.
  document.addEventListener("htmx:load", function (e) {
    applySizes(e.detail.elt);
    if (within(e.detail.elt, "[data-kc-reload]").length) window.location.reload();
  });
  let resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { focusableScrollers(document); }, 150);
  });
})();

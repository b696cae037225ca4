(function () {
  "use strict";
  var table = document.getElementById("models-table");
  if (!table || !table.tHead) { return; }
  var VERDICTS = ["allow", "warn", "deny"];
  var groups = Array.prototype.slice.call(table.tBodies);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var filterBox = document.getElementById("filter");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("#controls input[name=verdict]"));
  var count = document.getElementById("count");
  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
  var state = {key: null, dir: "asc", q: "", verdicts: VERDICTS.slice()};
  groups.forEach(function (g, i) { g.setAttribute("data-index", String(i)); });

  function rowText(g) {
    return Array.prototype.map.call(g.rows[0].cells, function (c) { return c.textContent; }).join("\n");
  }
  function sortValue(g, col) {
    var cell = g.rows[0].cells[col];
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }
  function sortBy(key, dir) {
    var col = -1;
    headers.forEach(function (th, i) { if (th.getAttribute("data-key") === key) { col = i; } });
    if (col < 0) { return false; }
    dir = dir === "desc" ? "desc" : "asc";
    var numeric = headers[col].getAttribute("data-type") === "num";
    var sorted = groups.slice().sort(function (a, b) {
      var va = sortValue(a, col), vb = sortValue(b, col);
      var c = numeric ? (Number(va) || 0) - (Number(vb) || 0) : collator.compare(va, vb);
      if (dir === "desc") { c = -c; }
      return c || Number(a.getAttribute("data-index")) - Number(b.getAttribute("data-index"));
    });
    sorted.forEach(function (g) { table.appendChild(g); });
    headers.forEach(function (th, i) {
      if (i === col) { th.setAttribute("aria-sort", dir === "asc" ? "ascending" : "descending"); }
      else { th.removeAttribute("aria-sort"); }
    });
    state.key = key;
    state.dir = dir;
    return true;
  }
  function applyFilter(q, verdicts) {
    var needle = q.trim().toLowerCase();
    var shown = 0;
    groups.forEach(function (g) {
      var ok = verdicts.indexOf(g.getAttribute("data-verdict")) >= 0 &&
        (!needle || rowText(g).toLowerCase().indexOf(needle) >= 0);
      g.hidden = !ok;
      if (ok) { shown += 1; }
    });
    state.q = q;
    state.verdicts = verdicts.slice();
    if (filterBox && filterBox.value !== q) { filterBox.value = q; }
    if (filterBox) { filterBox.defaultValue = q; }  // the attribute too, so a saved DOM shows the view
    boxes.forEach(function (b) { b.checked = b.defaultChecked = verdicts.indexOf(b.value) >= 0; });
    count.textContent = shown + " of " + groups.length + " models";
  }
  function writeHash() {
    var parts = [];
    if (state.key) { parts.push("sort=" + encodeURIComponent(state.key + ":" + state.dir)); }
    if (state.q) { parts.push("q=" + encodeURIComponent(state.q)); }
    if (state.verdicts.length !== VERDICTS.length) {
      parts.push("verdict=" + encodeURIComponent(state.verdicts.join(",")));
    }
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (hash !== location.hash && window.history && history.replaceState) {
      try { history.replaceState(null, "", hash || location.pathname + location.search); } catch (e) { /* file: */ }
    }
  }
  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var sort = params.get("sort");
    if (sort) {
      var key = sort, dir = "asc", at = sort.lastIndexOf(":");
      if (at > 0 && (sort.slice(at + 1) === "asc" || sort.slice(at + 1) === "desc")) {
        key = sort.slice(0, at);
        dir = sort.slice(at + 1);
      }
      sortBy(key, dir);
    }
    var verdicts = VERDICTS.slice();
    if (params.has("verdict")) {
      var wanted = params.get("verdict").split(",").map(function (v) { return v.trim().toLowerCase(); });
      verdicts = VERDICTS.filter(function (v) { return wanted.indexOf(v) >= 0; });
    }
    applyFilter(params.get("q") || "", verdicts);
  }

  headers.forEach(function (th) {
    var button = document.createElement("button");
    button.type = "button";
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    button.addEventListener("click", function () {
      var key = th.getAttribute("data-key");
      sortBy(key, state.key === key && state.dir === "asc" ? "desc" : "asc");
      writeHash();
    });
  });
  function fromControls() {
    var verdicts = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    applyFilter(filterBox ? filterBox.value : "", verdicts);
    writeHash();
  }
  if (filterBox) { filterBox.addEventListener("input", fromControls); }
  boxes.forEach(function (b) { b.addEventListener("change", fromControls); });
  window.addEventListener("hashchange", readHash);
  document.getElementById("controls").hidden = false;
  readHash();
})();

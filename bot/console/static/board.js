// The board: polls the console's JSON endpoint and redraws the table; no library.
(function () {
  "use strict";
  var POLL_MS = 4000;
  var labels = JSON.parse(document.getElementById("labels").textContent);
  var form = document.getElementById("filters");
  var body = document.querySelector("[data-role=board] tbody");
  var total = document.querySelector("[data-role=total]");
  var pageInfo = document.querySelector("[data-role=page]");
  var prefix = location.pathname.replace(/\/$/, "");
  var timer = null;
  var busy = false;

  function params() {
    var data = new FormData(form);
    var query = new URLSearchParams();
    data.forEach(function (value, key) { if (value) { query.set(key, value); } });
    return query;
  }

  function span(ms) {
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
    var t = labels.texts;
    if (d) { return d + " " + t.unit_d + " " + h + " " + t.unit_h; }
    if (h) { return h + " " + t.unit_h + " " + m + " " + t.unit_m; }
    return m + " " + t.unit_m;
  }

  function cell(row, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }

  function draw(data) {
    var now = Date.parse(data.now);
    var rows = document.createDocumentFragment();
    data.rows.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.dataset.number = r.number;
      tr.dataset.status = r.status;
      if (r.urgency === "emergency") { tr.className = "emergency"; }
      var first = cell(tr, "");
      var link = document.createElement("a");
      link.href = prefix + "/requests/" + r.number;
      link.textContent = r.number;
      first.appendChild(link);
      cell(tr, new Date(r.created).toLocaleString(document.documentElement.lang));
      cell(tr, r.building);
      cell(tr, r.location);
      cell(tr, labels.categories[r.category] || r.category);
      cell(tr, labels.urgencies[r.urgency] || r.urgency);
      cell(tr, labels.statuses[r.status] || r.status);
      cell(tr, r.assignee || labels.texts.nobody);
      if (!r.deadline || !r.open) {
        cell(tr, labels.texts.no_deadline, "left");
      } else {
        var left = Date.parse(r.deadline) - now;
        var cls = left < 0 ? "left overdue" : left < 2 * 3600000 ? "left soon" : "left ok";
        var text = left < 0 ? labels.texts.overdue.replace("{t}", span(left)) : span(left);
        cell(tr, text, cls).dataset.left = String(Math.round(left / 1000));
      }
      cell(tr, r.description, "description");
      rows.appendChild(tr);
    });
    body.replaceChildren(rows);
    var said = data.more ? labels.texts.total_more : labels.texts.total;
    total.textContent = said.replace("{n}", data.total);
    pageInfo.textContent = data.page + " / " + data.pages + (data.more ? "+" : "");
    document.body.dataset.loaded = String(Date.now());
  }

  function load() {
    if (busy) { return; }
    busy = true;
    fetch(prefix + "/api/board?" + params().toString(), { credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 401) { location.href = prefix + "/login"; return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (data) { if (data) { draw(data); } })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { busy = false; });
  }

  function reload() {
    history.replaceState(null, "", "?" + params().toString());
    load();
  }

  // The entrances offered are those of the chosen building; none without one.  This runs
  // before the form's own change listener, so the reload reads the new choice.
  var entrance = form.elements.entrance;
  form.elements.building.addEventListener("change", function () {
    var chosen = form.elements.building.selectedOptions[0];
    var count = Number((chosen && chosen.dataset.entrances) || 0);
    var keep = entrance.options[0];
    entrance.replaceChildren(keep);
    for (var n = 1; n <= count; n += 1) {
      entrance.appendChild(new Option(String(n), String(n)));
    }
    entrance.value = "";
    entrance.disabled = !form.elements.building.value;
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    form.elements.page.value = "1";
    reload();
  });
  form.addEventListener("change", function () { form.elements.page.value = "1"; reload(); });
  document.querySelectorAll("[data-sort]").forEach(function (button) {
    button.addEventListener("click", function () {
      var same = form.elements.sort.value === button.dataset.sort;
      form.elements.dir.value = same && form.elements.dir.value === "desc" ? "asc" : "desc";
      form.elements.sort.value = button.dataset.sort;
      reload();
    });
  });
  document.querySelectorAll("[data-page]").forEach(function (button) {
    button.addEventListener("click", function () {
      var page = Math.max(1, Number(form.elements.page.value || 1) + Number(button.dataset.page));
      form.elements.page.value = String(page);
      reload();
    });
  });
  load();
  timer = setInterval(load, POLL_MS);
  window.addEventListener("pagehide", function () { clearInterval(timer); });
})();

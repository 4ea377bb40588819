/*
 * Built-in web chat: resident, technician and dispatchers' group side by side.
 *
 * Plain browser JS, no dependencies, no build step. Server contract:
 *   GET  /api/web/personas
 *   POST /api/web/messages   (JSON {chat, user, text} | {chat, user, button} | multipart with "photo")
 *   GET  /api/web/messages?chat=&after=&wait=   (long polling)
 *
 * Server text is only ever rendered via textContent (never innerHTML).
 */
(function () {
  "use strict";

  var POLL_WAIT = 25;          // seconds the server may hold a long poll (contract: 0..30)
  var RETRY_MS = 2500;         // pause after a failed poll
  var STORAGE_PREFIX = "webchat:persona:";

  // The page speaks the browser's language: English for an English browser, else Russian.
  var LANG = /^en\b/i.test((navigator.languages && navigator.languages[0]) || navigator.language || "")
    ? "en"
    : "ru";
  var STRINGS = {
    ru: {
      title: "Диспетчерская служба УК — веб-чат",
      brand: "Диспетчерская служба УК",
      brand_sub: "демо: три чата на одном экране",
      hint: "Enter — отправить, Shift+Enter — новая строка",
      resident: "Житель",
      technician: "Техник",
      dispatch: "Диспетчерская",
      connection: "Соединение",
      switch_persona: "Сменить персону",
      switch: "Сменить",
      pick_resident: "Выбрать жителя",
      pick_technician: "Выбрать техника",
      pick_dispatcher: "Выбрать диспетчера",
      empty_resident: "Опишите проблему: адрес, квартира и что случилось.",
      empty_technician: "Здесь появятся назначенные заявки.",
      empty_dispatch: "Групповой чат диспетчеров. Здесь появятся новые заявки.",
      attach: "Прикрепить фото",
      message_group: "Сообщение в группу…",
      message: "Сообщение…",
      message_label: "Сообщение",
      send: "Отправить",
      photo: "Фото",
      online: "На связи",
      offline: "Нет связи",
      connecting: "Подключение…",
      no_personas: "нет персон",
      dispatch_avatar: "Д",
      dispatch_group: "Группа диспетчеров",
      load_error: "Ошибка загрузки сообщений: ",
      reconnecting: "Нет связи с сервером, переподключаюсь…",
      reconnected: "Связь восстановлена",
      bot_name: "Бот УК",
      no_server: "нет связи с сервером",
      not_sent: "Не отправлено: ",
      personas_error: "Не удалось загрузить список персон: ",
    },
    en: {
      title: "Housing dispatch service — web chat",
      brand: "Housing dispatch service",
      brand_sub: "demo: three chats on one screen",
      hint: "Enter — send, Shift+Enter — new line",
      resident: "Resident",
      technician: "Technician",
      dispatch: "Dispatchers",
      connection: "Connection",
      switch_persona: "Switch persona",
      switch: "Switch",
      pick_resident: "Choose a resident",
      pick_technician: "Choose a technician",
      pick_dispatcher: "Choose a dispatcher",
      empty_resident: "Describe the problem: the address, the flat and what happened.",
      empty_technician: "Assigned jobs will appear here.",
      empty_dispatch: "The dispatchers' group chat. New requests will appear here.",
      attach: "Attach a photo",
      message_group: "Message to the group…",
      message: "Message…",
      message_label: "Message",
      send: "Send",
      photo: "Photo",
      online: "Connected",
      offline: "No connection",
      connecting: "Connecting…",
      no_personas: "no personas",
      dispatch_avatar: "D",
      dispatch_group: "The dispatchers' group",
      load_error: "Could not load messages: ",
      reconnecting: "No connection to the server, reconnecting…",
      reconnected: "Connection restored",
      bot_name: "Dispatch bot",
      no_server: "no connection to the server",
      not_sent: "Not sent: ",
      personas_error: "Could not load the personas: ",
    },
  };

  function T(key) {
    return STRINGS[LANG][key] || STRINGS.ru[key] || key;
  }

  function translatePage() {
    document.documentElement.lang = LANG;
    document.title = T("title");
    ["title", "aria-label", "placeholder", "alt"].forEach(function (attr) {
      document.querySelectorAll("[data-i18n-" + attr + "]").forEach(function (node) {
        node.setAttribute(attr, T(node.getAttribute("data-i18n-" + attr)));
      });
    });
    document.querySelectorAll("[data-i18n]").forEach(function (node) {
      node.textContent = T(node.getAttribute("data-i18n"));
    });
  }

  var PANE_KINDS = {
    resident: { list: "residents", label: T("resident") },
    technician: { list: "technicians", label: T("technician") },
    dispatch: { list: "dispatchers", label: T("dispatch") },
  };

  var personas = null;          // response of /api/web/personas
  var echoes = {};              // chat id -> [{afterId, seq, kind, text, photoUrl, sender, at}]
  var echoSeq = 0;

  // ---------------------------------------------------------------- helpers

  function $(root, role) {
    return root.querySelector('[data-role="' + role + '"]');
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function storageGet(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function storageSet(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode etc. */ }
  }

  function parseTime(iso) {
    var d = iso ? new Date(iso) : new Date();
    return isNaN(d.getTime()) ? new Date() : d;
  }

  function formatTime(d) {
    return d.toLocaleTimeString("ru-RU", { hour: "2-digit", minute: "2-digit" });
  }

  function formatFull(d) {
    return d.toLocaleString("ru-RU");
  }

  function initials(name) {
    var parts = String(name || "").trim().split(/\s+/).filter(Boolean);
    if (!parts.length) return "?";
    var s = parts[0].charAt(0) + (parts.length > 1 ? parts[1].charAt(0) : "");
    return s.toUpperCase();
  }

  // Only allow image URLs that cannot execute anything.
  function safeImageUrl(url) {
    if (typeof url !== "string" || !url) return null;
    if (/^(https?:|blob:|data:image\/)/i.test(url)) return url;
    if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return null; // other schemes (javascript: ...)
    return url; // relative URL
  }

  async function readError(res) {
    var message = "";
    try {
      var body = await res.json();
      if (body && typeof body.error === "string") message = body.error;
    } catch (e) { /* not JSON */ }
    if (!message) message = "HTTP " + res.status + (res.statusText ? " " + res.statusText : "");
    return message;
  }

  // ---------------------------------------------------------------- lightbox

  var lightbox = document.querySelector('[data-role="lightbox"]');
  var lightboxImg = lightbox.querySelector("img");

  function openLightbox(src) {
    lightboxImg.src = src;
    lightbox.hidden = false;
  }

  function closeLightbox() {
    lightbox.hidden = true;
    lightboxImg.removeAttribute("src");
  }

  lightbox.addEventListener("click", closeLightbox);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !lightbox.hidden) closeLightbox();
  });

  // ---------------------------------------------------------------- pane

  function Pane(root) {
    this.root = root;
    this.name = root.getAttribute("data-pane");
    this.kind = PANE_KINDS[this.name];
    this.log = $(root, "log");
    this.empty = $(root, "empty");
    this.input = $(root, "input");
    this.sendBtn = $(root, "send");
    this.photoInput = $(root, "photo");
    this.attachBtn = $(root, "attach");
    this.select = $(root, "persona");
    this.title = $(root, "title");
    this.role = $(root, "role");
    this.avatar = $(root, "avatar");
    this.conn = $(root, "conn");

    this.persona = null;   // {id, name, ...}
    this.chat = null;
    this.after = 0;
    this.gen = 0;
    this.abort = null;
    this.stick = true;     // keep scrolled to bottom
    this.pendingEchoes = [];
    this.connBad = false;

    this.bind();
  }

  Pane.prototype.bind = function () {
    var self = this;
    this.root.querySelector('[data-role="composer"]').addEventListener("submit", function (e) {
      e.preventDefault();
      self.sendText();
    });
    this.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        self.sendText();
      }
    });
    this.input.addEventListener("input", function () { self.autosize(); });
    this.attachBtn.addEventListener("click", function () { self.photoInput.click(); });
    this.photoInput.addEventListener("change", function () {
      var file = self.photoInput.files && self.photoInput.files[0];
      if (file) self.sendPhoto(file);
      self.photoInput.value = "";
    });
    this.select.addEventListener("change", function () {
      var list = personas[self.kind.list] || [];
      var p = list.filter(function (x) { return x.id === self.select.value; })[0];
      if (p) {
        storageSet(STORAGE_PREFIX + self.name, p.id);
        self.setPersona(p);
      }
    });
    this.log.addEventListener("scroll", function () {
      self.stick = self.nearBottom();
    });
    this.log.addEventListener("click", function (e) {
      var img = e.target.closest(".photos img");
      if (img) openLightbox(img.getAttribute("data-full") || img.src);
    });
  };

  Pane.prototype.autosize = function () {
    this.input.style.height = "auto";
    this.input.style.height = Math.min(this.input.scrollHeight + 2, 140) + "px";
  };

  Pane.prototype.nearBottom = function () {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
  };

  Pane.prototype.scrollDown = function (force) {
    if (force || this.stick) {
      this.log.scrollTop = this.log.scrollHeight;
      this.stick = true;
    }
  };

  Pane.prototype.append = function (node, force) {
    var wasNear = this.nearBottom();
    if (this.empty.parentNode) this.empty.remove();
    this.log.appendChild(node);
    this.scrollDown(force || wasNear);
  };

  Pane.prototype.setConn = function (state) {
    this.conn.className = "conn" + (state ? " " + state : "");
    this.conn.title = state === "ok" ? T("online") : state === "bad" ? T("offline") : T("connecting");
  };

  Pane.prototype.fillPersonas = function () {
    var list = personas[this.kind.list] || [];
    var self = this;
    this.select.textContent = "";
    list.forEach(function (p) {
      var label = p.name + (p.trade ? " · " + p.trade : "");
      var opt = el("option", null, label);
      opt.value = p.id;
      self.select.appendChild(opt);
    });
    if (!list.length) {
      this.title.textContent = T("no_personas");
      this.setDisabled(true);
      return;
    }
    var saved = storageGet(STORAGE_PREFIX + this.name);
    var chosen = list.filter(function (p) { return p.id === saved; })[0] || list[0];
    this.select.value = chosen.id;
    this.setPersona(chosen);
  };

  Pane.prototype.setDisabled = function (disabled) {
    this.input.disabled = disabled;
    this.sendBtn.disabled = disabled;
    this.attachBtn.disabled = disabled;
  };

  Pane.prototype.setPersona = function (p) {
    this.persona = p;
    this.chat = this.name === "dispatch" ? personas.group : p.id;
    this.title.textContent = p.name;
    this.title.title = p.name;
    this.role.textContent = this.kind.label + (p.trade ? " · " + p.trade : "");
    if (this.name === "dispatch") {
      this.avatar.textContent = T("dispatch_avatar");
      this.avatar.title = T("dispatch_group");
    } else {
      this.avatar.textContent = initials(p.name);
      this.avatar.title = p.name;
    }
    this.root.setAttribute("data-user", p.id);
    this.root.setAttribute("data-chat", this.chat);
    this.setDisabled(false);
    this.reload();
  };

  // Drop the log and reload the whole chat history (after=0), then keep long polling.
  Pane.prototype.reload = function () {
    if (this.abort) this.abort.abort();
    this.gen += 1;
    this.after = 0;
    this.stick = true;
    this.root.removeAttribute("data-ready");
    this.log.textContent = "";
    this.log.appendChild(this.empty);
    this.pendingEchoes = (echoes[this.chat] || []).slice();
    this.setConn(null);
    this.connBad = false;
    this.poll(this.gen);
  };

  Pane.prototype.poll = async function (gen) {
    var loaded = false;
    var wait = 0; // first request (and the first after a failure) answers immediately
    while (this.gen === gen) {
      var controller = new AbortController();
      this.abort = controller;
      try {
        var url = "/api/web/messages?chat=" + encodeURIComponent(this.chat) +
          "&after=" + encodeURIComponent(this.after) + "&wait=" + wait;
        var res = await fetch(url, { signal: controller.signal, cache: "no-store" });
        if (this.gen !== gen) return;
        if (!res.ok) {
          var err = await readError(res);
          if (this.gen !== gen) return;
          this.markBad(T("load_error") + err);
          wait = 0;
          await sleep(RETRY_MS * 2);
          continue;
        }
        var data = await res.json();
        if (this.gen !== gen) return;
        this.markOk();
        var msgs = (data && Array.isArray(data.messages)) ? data.messages : [];
        msgs.sort(function (a, b) { return a.id - b.id; });
        for (var i = 0; i < msgs.length; i++) this.receive(msgs[i]);
        if (!loaded) {
          loaded = true;
          this.flushEchoes(Infinity);
          this.root.setAttribute("data-ready", "1");
          this.scrollDown(true);
        }
        wait = POLL_WAIT;
      } catch (e) {
        if (this.gen !== gen || (e && e.name === "AbortError")) return;
        this.markBad(T("reconnecting"));
        wait = 0;
        await sleep(RETRY_MS);
      }
    }
  };

  Pane.prototype.markBad = function (text) {
    this.setConn("bad");
    if (!this.connBad) {
      this.connBad = true;
      this.systemLine(text, true);
    }
  };

  Pane.prototype.markOk = function () {
    this.setConn("ok");
    if (this.connBad) this.systemLine(T("reconnected"), false);
    this.connBad = false;
  };

  // Echoes recorded before bot message `id` go in front of it when history is replayed.
  Pane.prototype.flushEchoes = function (beforeId) {
    while (this.pendingEchoes.length && this.pendingEchoes[0].afterId < beforeId) {
      this.renderEcho(this.pendingEchoes.shift());
    }
  };

  Pane.prototype.receive = function (m) {
    if (!m || typeof m.id !== "number" || m.id <= this.after) return;
    this.flushEchoes(m.id);
    this.after = m.id;
    this.append(this.renderBot(m));
  };

  Pane.prototype.renderBot = function (m) {
    var self = this;
    var wrap = el("div", "msg bot");
    wrap.setAttribute("data-id", String(m.id));
    var bubble = el("div", "bubble");
    if (this.name === "dispatch") bubble.appendChild(el("div", "sender", T("bot_name")));
    this.renderPhotos(bubble, m.photos);
    if (m.text) bubble.appendChild(el("div", "text", String(m.text)));
    bubble.appendChild(this.renderMeta(parseTime(m.at)));
    wrap.appendChild(bubble);

    if (Array.isArray(m.buttons) && m.buttons.length) {
      var rows = el("div", "kb-rows");
      m.buttons.forEach(function (row) {
        if (!Array.isArray(row) || !row.length) return;
        var r = el("div", "kb-row");
        row.forEach(function (b) {
          if (!b) return;
          var btn = el("button", "kb", String(b.text == null ? "" : b.text));
          btn.type = "button";
          btn.setAttribute("data-payload", String(b.payload == null ? "" : b.payload));
          btn.title = btn.textContent;
          btn.addEventListener("click", function () { self.pressButton(btn); });
          r.appendChild(btn);
        });
        rows.appendChild(r);
      });
      wrap.appendChild(rows);
    }
    return wrap;
  };

  Pane.prototype.renderPhotos = function (bubble, photos) {
    if (!Array.isArray(photos) || !photos.length) return;
    var self = this;
    var box = el("div", "photos");
    photos.forEach(function (url) {
      var src = safeImageUrl(url);
      if (!src) return;
      var img = el("img");
      img.alt = T("photo");
      img.loading = "lazy";
      img.src = src;
      img.setAttribute("data-full", src);
      img.addEventListener("load", function () { self.scrollDown(false); });
      box.appendChild(img);
    });
    if (box.childNodes.length) bubble.appendChild(box);
  };

  Pane.prototype.renderMeta = function (date, extra) {
    var meta = el("div", "meta");
    var t = el("span", "time", formatTime(date));
    t.title = formatFull(date);
    meta.appendChild(t);
    if (extra) meta.appendChild(el("span", "status", extra));
    return meta;
  };

  // A message this page sent (the API never returns those).
  Pane.prototype.renderEcho = function (e) {
    var wrap = el("div", "msg me" + (e.kind === "button" ? " button-echo" : ""));
    var bubble = el("div", "bubble");
    if (this.name === "dispatch" && e.sender) bubble.appendChild(el("div", "sender", e.sender));
    if (e.photoUrl) this.renderPhotos(bubble, [e.photoUrl]);
    if (e.text) bubble.appendChild(el("div", "text", e.text));
    var status = el("span", "status", e.pending ? "…" : "✓");
    var meta = this.renderMeta(e.at);
    meta.appendChild(status);
    bubble.appendChild(meta);
    wrap.appendChild(bubble);
    if (e.pending) wrap.classList.add("pending");
    this.append(wrap, true);
    return { node: wrap, status: status };
  };

  Pane.prototype.systemLine = function (text, isError) {
    var line = el("div", "sys" + (isError ? " error" : ""), text);
    if (isError) line.setAttribute("data-role", "error");
    this.append(line, true);
    return line;
  };

  // POST one message; echo it right away as "pending", confirm or roll back on the answer.
  Pane.prototype.post = async function (echo, body, onFail) {
    if (!this.persona) return;
    var gen = this.gen;
    var chat = this.chat;
    var afterAtSend = this.after;
    echo.pending = true;
    echo.at = new Date();
    echo.sender = this.persona.name;
    var shown = this.renderEcho(echo);
    var error = null;
    try {
      var res = await fetch("/api/web/messages", body);
      if (!res.ok) error = await readError(res);
    } catch (e) {
      error = T("no_server");
    }
    if (error) {
      shown.node.remove();
      if (this.gen === gen) {
        this.systemLine(T("not_sent") + error, true);
        if (onFail) onFail();
      }
      return;
    }
    echo.pending = false;
    shown.node.classList.remove("pending");
    shown.status.textContent = "✓";
    echo.afterId = afterAtSend;
    echo.seq = ++echoSeq;
    (echoes[chat] = echoes[chat] || []).push(echo);
  };

  Pane.prototype.jsonBody = function (extra) {
    var payload = { chat: this.chat, user: this.persona.id };
    for (var k in extra) payload[k] = extra[k];
    return {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    };
  };

  Pane.prototype.sendText = function () {
    if (!this.persona) return;
    var text = this.input.value;
    if (!text.trim()) return;
    var self = this;
    this.input.value = "";
    this.autosize();
    this.input.focus();
    this.post({ kind: "text", text: text }, this.jsonBody({ text: text }), function () {
      if (!self.input.value) {   // give the text back so it is not lost
        self.input.value = text;
        self.autosize();
      }
    });
  };

  Pane.prototype.pressButton = function (btn) {
    if (!this.persona) return;
    btn.classList.add("pressed");
    setTimeout(function () { btn.classList.remove("pressed"); }, 600);
    this.post({ kind: "button", text: btn.textContent },
      this.jsonBody({ button: btn.getAttribute("data-payload") }));
  };

  Pane.prototype.sendPhoto = function (file) {
    if (!this.persona) return;
    var caption = this.input.value;
    var self = this;
    var form = new FormData();
    form.append("chat", this.chat);
    form.append("user", this.persona.id);
    if (caption.trim()) form.append("text", caption);
    form.append("photo", file, file.name || "photo.jpg");
    this.input.value = "";
    this.autosize();
    var localUrl = URL.createObjectURL(file);
    this.post({ kind: "photo", text: caption.trim() ? caption : "", photoUrl: localUrl },
      { method: "POST", body: form }, function () {
        if (!self.input.value && caption) self.input.value = caption;
      });
  };

  // ---------------------------------------------------------------- start

  // Every pane is the one template, filled in with what its section names.
  function buildPane(root) {
    var name = root.getAttribute("data-pane");
    root.appendChild(document.querySelector('template[data-role="pane"]').content.cloneNode(true));
    $(root, "role").setAttribute("data-i18n", name);
    $(root, "empty").setAttribute("data-i18n", "empty_" + name);
    $(root, "persona").setAttribute("data-i18n-aria-label", root.getAttribute("data-pick"));
    $(root, "input").setAttribute("data-i18n-placeholder", root.getAttribute("data-placeholder"));
    if (root.hasAttribute("data-group")) $(root, "avatar").classList.add("group");
    return root;
  }

  var panes = Array.prototype.map.call(document.querySelectorAll("[data-pane]"), function (root) {
    return new Pane(buildPane(root));
  });

  async function loadPersonas() {
    var warned = false;
    for (;;) {
      try {
        var res = await fetch("/api/web/personas", { cache: "no-store" });
        if (!res.ok) throw new Error(await readError(res));
        personas = await res.json();
        break;
      } catch (e) {
        if (!warned) {
          warned = true;
          panes.forEach(function (p) {
            p.setConn("bad");
            p.systemLine(T("personas_error") + (e && e.message ? e.message : e), true);
          });
        }
        await sleep(RETRY_MS);
      }
    }
    panes.forEach(function (p) { p.fillPersonas(); });
    startFromLink();
  }

  // A start link (/?start=PAYLOAD, from an invite or a QR code) starts the resident's
  // dialogue with that payload once; the address loses it so a reload does not repeat it.
  function startFromLink() {
    var payload = new URLSearchParams(window.location.search).get("start");
    if (!payload) return;
    window.history.replaceState(null, "", window.location.pathname);
    var resident = panes.filter(function (p) { return p.name === "resident"; })[0];
    if (!resident || !resident.persona) return;
    var text = "/start " + payload;
    resident.post({ kind: "text", text: text }, resident.jsonBody({ text: text }));
  }

  translatePage();
  panes.forEach(function (p) { p.setDisabled(true); });
  loadPersonas();

  // Exposed for debugging in the browser console only.
  window.webchat = { panes: panes };
})();

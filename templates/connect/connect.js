// The hosted connect page. Plain JS, no framework. The build inlines it in the page (the
// CSP allows it by its hash), so the status call starts in the first response's turn.
// Every text from the API is set with textContent; the token never goes into a URL.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("connect-data").textContent);
  var KEY = "connect.token", BACK = "connect.back", API = data.api, TIMEOUT = 10000, GRACE = 3000;
  var $ = function (id) { return document.getElementById(id); };
  var lang = pickLanguage(), words = data.words, labels = {}, catalog = null;
  // One session per link: a new link (hashchange, pageshow, a pasted link) replaces it.
  var session = { token: null, claims: null }, items = {}, order = [], last = null;
  var timers = {}, backoff = 0, firstCall = null, pollSince = 0;
  // The window that opened this page, or the frame it is embedded in: the App's, if the
  // App's origins say so. `?embed=1` means the token comes by message, not in the link.
  var host = window.parent !== window ? window.parent : window.opener, embed = new URLSearchParams(location.search).has("embed");
  var back = {}, told = {}, handed = null;

  // ---- words ------------------------------------------------------------------------------
  function t(key, vars) {
    return (words[key] || data.words[key] || key).replace(/\{(\w+)\}/g, function (_, name) { return vars && name in vars ? vars[name] : ""; });
  }
  function pickLanguage() {
    var wanted = [new URLSearchParams(location.search).get("lang")].concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < wanted.length; i++) {
      var code = (wanted[i] || "").toLowerCase();
      for (var c in data.languages) if (code === c.toLowerCase() || code.split("-")[0] === c.toLowerCase()) return c;
    }
    return "en";
  }
  function applyWords() {
    document.documentElement.lang = lang;
    document.title = t("page_title") + " · " + appName(true);
    Array.prototype.forEach.call(document.querySelectorAll("[data-t]"), function (el) { el.textContent = t(el.dataset.t, { app: appName() }); });
    $("language").value = lang;
  }

  // ---- the App's face: from the token's App, the operator's as the fallback ---------------------
  function app() { return (session.claims && data.apps[session.claims.app]) || {}; }
  function appName(orOperator) {
    var c = session.claims, name = c && typeof c.app_name === "string" && c.app_name.slice(0, 80) || app().name;
    return name || (orOperator ? data.operator.name : t("the_app"));
  }
  function showFace() {
    var face = app(), logo = $("app-logo");
    $("app-name").textContent = appName(true);
    logo.hidden = !face.logo;
    if (face.logo) logo.src = face.logo;
    var root = document.documentElement.style;
    if (face.accent) root.setProperty("--app-accent", face.accent); else root.removeProperty("--app-accent");
    if (face.accent_dark) root.setProperty("--app-accent-dark", face.accent_dark); else root.removeProperty("--app-accent-dark");
    $("lead").textContent = t("lead", { app: appName() });
  }

  // ---- requests: every one has a timeout, and says which language the reader reads -------------
  function request(method, url, body, auth) {
    var controller = new AbortController(), timer = setTimeout(function () { controller.abort(); }, TIMEOUT);
    var headers = { Accept: "application/json", "Accept-Language": lang };
    if (auth) headers.Authorization = "Bearer " + session.token;
    if (body) headers["Content-Type"] = "application/json";
    // Same-origin credentials (there are no cookies to send, and the proxy forwards none):
    // an uncredentialed request may not reuse the page's connection, which costs the
    // status call a new connection, a whole round trip, on the page's critical path.
    return fetch(url, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined,
                        signal: controller.signal, credentials: "same-origin", cache: auth ? "no-store" : "default", referrerPolicy: "no-referrer" })
      .then(answer, function () { return { status: 0, json: null }; })
      .finally(function () { clearTimeout(timer); });
  }
  function answer(response) {
    return response.json().catch(function () { return null; }).then(function (json) {
      return { status: response.status, json: json, retryAfter: parseInt(response.headers.get("Retry-After"), 10) };
    });
  }
  function later(name, fn, ms) { clearTimeout(timers[name]); timers[name] = fn && setTimeout(fn, ms); }

  // ---- the link: from the address bar into sessionStorage, out of the address bar --------------
  function linkToken(url) {
    var query = new URLSearchParams(url.search), hash = new URLSearchParams(url.hash.slice(1));
    return hash.get("token") || query.get("token");
  }
  // The link's parameters, from the fragment or the query: the token, and where to go back.
  var LINK = ["token", "return_url", "error_return_url", "auto_return"];
  function takeToken() {
    var query = new URLSearchParams(location.search), hash = new URLSearchParams(location.hash.slice(1)), found = {};
    LINK.forEach(function (name) { var v = hash.get(name) || query.get(name); if (v) found[name] = v; query.delete(name); });
    if (LINK.some(function (name) { return new URLSearchParams(location.search).has(name) || hash.has(name); })) {
      var search = query.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
    }
    try {
      if (found.token) {
        sessionStorage.setItem(KEY, found.token);
        sessionStorage.setItem(BACK, JSON.stringify(found));
      }
      back = found.token ? found : JSON.parse(sessionStorage.getItem(BACK) || "{}");
      return found.token || sessionStorage.getItem(KEY) || handed;
    } catch (e) { back = found.token ? found : back; return found.token || handed || session.token; }
  }
  function decode(jwt) {
    var parts = (jwt || "").split(".");
    if (parts.length !== 3) return null;
    try {
      var json = atob(parts[1].replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(parts[1].length / 4) * 4, "="));
      var payload = JSON.parse(decodeURIComponent(Array.prototype.map.call(json, function (c) {
        return "%" + ("00" + c.charCodeAt(0).toString(16)).slice(-2);
      }).join("")));
      return payload && typeof payload === "object" ? payload : null;
    } catch (e) { return null; }
  }
  function expired() { return !!session.claims && typeof session.claims.exp === "number" && session.claims.exp * 1000 <= Date.now(); }

  // A new link starts a new session. Forms already filled in stay when the link is for the
  // same user of the same App (the new link after an expired one): nothing typed is lost.
  function begin() {
    var token = takeToken();
    if (token && token === session.token && last) return refresh();
    var claims = decode(token), before = session.claims;
    var same = before && claims && before.app === claims.app && before.user_id === claims.user_id;
    if (!same) { items = {}; order = []; $("requirements").textContent = ""; }
    Object.keys(timers).forEach(function (name) { later(name); });
    session = { token: token, claims: claims };
    last = null;
    $("banner").hidden = true;
    showFace();
    applyWords();
    tell("connect:ready");
    if (!token && embed && host) return awaitToken();
    if (!token) return problem("missing");
    if (!claims) return problem("invalid");
    if (!expired()) tick();
    screen("loading");
    return refresh();
  }
  // Embedded, or opened by the App: the token arrives by message from one of the App's
  // origins, after `connect:ready`, so that it is in no URL, log or history.
  function awaitToken() {
    screen("loading");
    later("handover", function () { problem("missing"); }, 15000);
  }
  window.addEventListener("message", function (event) {
    var m = event.data;
    if (!host || event.source !== host || !m || m.type !== "connect:token" || typeof m.token !== "string") return;
    var claims = decode(m.token), known = claims && data.apps[claims.app || new URLSearchParams(location.search).get("app")];
    if (!known || known.origins.indexOf(event.origin) < 0) return;
    later("handover");
    handed = m.token;
    try { sessionStorage.setItem(KEY, m.token); sessionStorage.removeItem(BACK); } catch (e) { /* kept in memory */ }
    session.token = null;
    begin();
  });

  // ---- back to the App: events and return links, only to the App's own origins ---------------
  function origins() {
    var known = session.claims && data.apps[session.claims.app];
    if (known) return known.origins;
    var all = [];
    for (var id in data.apps) data.apps[id].origins.forEach(function (o) { if (all.indexOf(o) < 0) all.push(o); });
    return session.claims ? [] : all;
  }
  // Never with '*': a message goes to each allowed origin by name, and the browser delivers
  // it only where the window's origin is that one. No event carries a token or a secret.
  function tell(type, extra) {
    var key = type + (extra ? JSON.stringify(extra) : "");
    if (!host || told[key]) return;
    if (type !== "connect:error") told[key] = true;
    var message = { type: type };
    for (var k in extra || {}) message[k] = extra[k];
    origins().forEach(function (origin) { try { host.postMessage(message, origin); } catch (e) { /* closed meanwhile */ } });
  }
  // A return URL is followed only to one of the App's origins, over https (or http on
  // loopback); anything else is ignored without a word. A token never goes with it.
  function returnURL(text, code) {
    if (!text) return null;
    var url;
    try { url = new URL(text); } catch (e) { return null; }
    var loopback = /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname);
    if (!(url.protocol === "https:" || (url.protocol === "http:" && loopback)) || origins().indexOf(url.origin) < 0 || url.username || url.password) return null;
    url.searchParams.delete("token");
    if (/(^#|&)token=/.test(url.hash)) url.hash = "";
    if (code) url.searchParams.set("connect_error", code);
    return url.href;
  }
  function offerReturn(box, url, auto) {
    var link = box.querySelector(".return"), note = box.querySelector(".return-note"), stay = box.querySelector(".stay");
    link.hidden = !url;
    if (stay) stay.hidden = true;
    if (!url) return;
    link.href = url;
    link.textContent = t("back_to", { app: appName() });
    var seconds = Math.min(Math.max(parseInt(auto, 10) || 0, 0), 30);
    if (!seconds || !note) return;
    stay.hidden = false;
    stay.textContent = t("stay");
    (function step() {
      note.textContent = t("returning", { app: appName(), seconds: seconds });
      if (seconds-- <= 0) return location.assign(url);
      later("return", step, 1000);
    })();
  }
  var ERRORS = { expired: "link_expired", invalid: "link_invalid", missing: "link_missing", wrongapp: "app_not_found",
                 ratelimited: "rate_limited", down: "service_unavailable", offline: "offline" };

  function tick() {
    var c = session.claims;
    if (!c || typeof c.exp !== "number") return;
    var left = c.exp * 1000 - Date.now();
    // Past the expiry by this device's clock: the server decides (a clock can be wrong).
    if (left <= 0) return request("GET", API + "/status", null, true).then(function (reply) { if (reply.status === 401) linkExpired(); });
    var minutes = Math.floor(left / 60000), hours = Math.floor(minutes / 60);
    $("expiry").textContent = t("expires_in", { time: !minutes ? t("time_under_minute") : hours ? t("time_hours", { hours: hours, minutes: minutes % 60 }) : t("time_minutes", { minutes: minutes }) });
    // Next at the minute's turn, or at the expiry itself, whichever comes first.
    later("tick", tick, Math.min(left, (left % 60000) || 60000) + 50);
  }
  // The link ran out: with a form in progress, its values stay and a banner says what to do.
  function linkExpired() {
    later("tick");
    $("expiry").textContent = "";
    if (hasFormInProgress()) return banner("expired");
    problem("expired");
  }
  function hasFormInProgress() {
    return order.some(function (id) { var f = items[id].form; return f && f.inputs.some(function (i) { return i.control.value; }); });
  }

  // ---- screens ---------------------------------------------------------------------------------
  // loading, checklist (its cards hold form, waiting, denied, closed, completed), done, and the
  // problems: missing, invalid, expired, wrongapp, ratelimited, down, offline.
  function screen(name) {
    $("problem").hidden = name !== "problem";
    $("checklist").hidden = name === "problem";
    $("done").hidden = name !== "done";
    $("requirements").setAttribute("aria-busy", name === "loading" ? "true" : "false");
    if (name === "loading") {
      $("progress").textContent = t("checking");
      if (!order.length) for (var i = 0; i < 3; i++) placeholder();
    }
  }
  function placeholder() {
    var li = document.createElement("li");
    li.className = "requirement placeholder";
    li.setAttribute("aria-hidden", "true");
    $("requirements").appendChild(li);
  }
  // What happened, and what the reader can do: a new link, a retry, or wait.
  function problem(kind, seconds) {
    Object.keys(timers).forEach(function (name) { if (name !== "tick") later(name); });
    if (kind === "expired" || kind === "invalid" || kind === "missing" || kind === "wrongapp") later("tick");
    screen("problem");
    $("banner").hidden = true;
    if (kind !== "ratelimited" && kind !== "down" && kind !== "offline") $("expiry").textContent = "";
    fillProblem($("problem"), kind, seconds);
    offerReturn($("problem"), returnURL(back.error_return_url, ERRORS[kind]));
    tell("connect:error", { code: ERRORS[kind] });
    $("problem-title").focus();
  }
  function banner(kind) {
    $("banner").hidden = false;
    fillProblem($("banner"), kind);
  }
  function fillProblem(box, kind, seconds) {
    box.dataset.kind = kind;
    box.querySelector("h2").textContent = t(kind + "_title", { app: appName() });
    box.querySelector(".problem-text").textContent = t(kind + "_text", { app: appName(), seconds: seconds });
    var needsLink = kind === "expired" || kind === "invalid" || kind === "missing" || kind === "wrongapp";
    box.querySelector(".paste").hidden = !needsLink;
    var retry = box.querySelector(".retry");
    if (retry) retry.hidden = !(kind === "down" || kind === "offline");
  }
  function countdown(kind, seconds, then) {
    problem(kind, seconds);
    (function step() {
      if (seconds <= 0) return then();
      $("problem").querySelector(".problem-text").textContent = t(kind + "_text", { app: appName(), seconds: seconds });
      seconds -= 1;
      later("countdown", step, 1000);
    })();
  }
  // Answers the page cannot carry on from. Returns true when it handled the reply.
  function failed(reply, during) {
    var s = reply.status;
    if (s === 401) { if (expired()) linkExpired(); else if (during) banner("invalid"); else problem("invalid"); return true; }
    if (s === 404 && !during) { problem("wrongapp"); return true; }
    if (s === 429) {
      var wait = Math.min(Math.max(reply.retryAfter || 5, 1), 300);
      if (during) return false;
      countdown("ratelimited", wait, refresh);
      return true;
    }
    if (during) return false;
    if (s === 0 && navigator.onLine === false) { problem("offline"); return true; }
    // Down or unreachable: try again by itself, 2, 4, 8 ... 60 s apart; "Try again" skips the wait.
    backoff = Math.min(backoff ? backoff * 2 : 2, 60);
    countdown("down", backoff, refresh);
    return true;
  }

  // ---- the checklist ---------------------------------------------------------------------------
  function refresh() {
    var call = firstCall || request("GET", API + "/status", null, true), token = session.token;
    firstCall = null;
    return call.then(function (reply) {
      if (token !== session.token) return;
      if (reply.status !== 200 || !reply.json || !Array.isArray(reply.json.data)) return failed(reply);
      backoff = 0;
      later("countdown");
      render(reply.json.data);
    });
  }
  function render(list) {
    last = list;
    var done = list.filter(function (r) { return r.status === "completed"; }).length, ol = $("requirements");
    Array.prototype.forEach.call(ol.querySelectorAll(".placeholder"), function (p) { p.remove(); });
    order = list.map(function (r) { return r.id; });
    list.forEach(function (r) { ol.appendChild(item(r)); });
    Object.keys(items).forEach(function (id) { if (order.indexOf(id) < 0) { items[id].li.remove(); delete items[id]; } });
    var all = list.length > 0 && done === list.length, wasDone = !$("done").hidden;
    screen(all ? "done" : "checklist");
    $("progress").textContent = t("progress", { done: done, total: list.length });
    $("progress-bar").value = list.length ? done / list.length : 1;
    if (all) {
      later("poll");
      $("done-text").textContent = t(host ? "done_text_embedded" : "done_text", { app: appName() });
      if (!wasDone) {
        $("done-title").focus();
        tell("connect:completed");
        offerReturn($("done"), returnURL(back.return_url), back.auto_return);
      }
    }
    if (!catalog) loadCatalog();
  }
  function item(r) {
    var entry = items[r.id];
    if (!entry) {
      var li = $("requirement-template").content.firstElementChild.cloneNode(true);
      entry = items[r.id] = { li: li, status: null, form: null, flow: null, note: "" };
    }
    var li = entry.li, completed = r.status === "completed", changed = entry.status !== r.status;
    if (!completed) entry.wasPending = true;
    else if (entry.wasPending) { entry.wasPending = false; tell("connect:requirement_completed", { requirement_id: r.id }); }
    entry.r = r;
    li.querySelector(".requirement-title").textContent = r.title;
    li.querySelector(".requirement-description").textContent = r.description;
    var badge = li.querySelector(".status");
    badge.textContent = t(completed ? "status_completed" : "status_pending");
    badge.className = "status " + (completed ? "status-done" : "status-pending");
    li.classList.toggle("completed", completed);
    li.querySelector(".requirement-summary").textContent = completed ? summary(r) : "";
    if (entry.flow && completed) endFlow(entry);
    if (entry.flow && r.reason === "denied" && !entry.flow.denied) { entry.flow.denied = true; endFlow(entry, "denied"); }
    else if (completed && changed && entry.status !== null) note(entry, t("note_completed"));
    // Declined before this page was opened (or reloaded): said once, as it was.
    else if (!entry.flow && r.reason === "denied" && !completed && !entry.note) note(entry, t("denied_note", { provider: flowProvider(r).name }), true, "denied");
    else if (!entry.flow && entry.note === "waiting") note(entry, "");
    if (changed && !entry.form) actions(entry);
    entry.status = r.status;
    return li;
  }
  function kindOf(r) {
    if (r.type === "pipedream_account") return "account";
    var type = typeInfo(r);
    return type ? (type.auth === "oauth2" ? "oauth2" : "form") : null;
  }
  function typeInfo(r) { return data.types[r.spec && r.spec.data && r.spec.data.type]; }
  function provider(slug) {
    var p = data.providers[slug];
    return { name: p ? p.name : String(slug || "").replace(/^./, function (c) { return c.toUpperCase(); }), logo: p && p.logo };
  }
  function flowProvider(r) { var type = typeInfo(r); return provider(kindOf(r) === "account" ? r.spec.data.app_slug : type && type.provider); }
  function typeName(r) { var type = typeInfo(r), name = r.spec.data.type; return (labels[name] && labels[name].name) || (type && type.name) || name; }
  function summary(r) {
    var kind = kindOf(r);
    if (kind === "form") return t("summary_saved", { type: typeName(r) });
    if (kind === "oauth2") return t("summary_connected", { provider: flowProvider(r).name, type: typeName(r) });
    if (kind === "account") return t("summary_linked", { account: flowProvider(r).name });
    return "";
  }
  function actions(entry) {
    var r = entry.r, box = entry.li.querySelector(".requirement-actions"), completed = r.status === "completed", kind = kindOf(r);
    box.textContent = "";
    if (!kind) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button" + (completed ? " secondary" : "");
    if (kind === "form") {
      button.textContent = t(completed ? "replace" : "enter_credentials");
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () { openForm(entry, button); });
    } else {
      var who = flowProvider(r);
      if (who.logo && !completed) {
        var logo = document.createElement("img");
        logo.src = who.logo;
        logo.alt = "";
        logo.width = logo.height = 20;
        button.appendChild(logo);
      }
      button.appendChild(document.createTextNode(completed ? t("reconnect") : kind === "account" ? t("connect_account", { account: who.name }) : t("continue_with", { provider: who.name })));
      button.addEventListener("click", function () { startFlow(entry, button); });
    }
    entry.button = button;
    box.appendChild(button);
  }
  function note(entry, text, isError, key) {
    var p = entry.li.querySelector(".requirement-note");
    p.textContent = text;
    p.classList.toggle("error", !!isError);
    entry.note = key || (text ? "text" : "");
  }

  // ---- OAuth2 and account linking: a window of its own; completion learnt from the statuses ---
  // The window is opened inside the click (a popup blocker allows only that), named after the
  // requirement so that a second click finds it again instead of opening another.
  function startFlow(entry, button) {
    var r = entry.r, kind = kindOf(r);
    if (entry.flow && entry.flow.popup && !entry.flow.popup.closed) { entry.flow.popup.focus(); return; }
    if (entry.starting) return;
    entry.starting = true;
    button.disabled = true;
    var popup = window.open("", "connect-" + r.id);
    if (popup) popup.opener = null;
    note(entry, "");
    request("POST", API + "/" + encodeURIComponent(r.id) + (kind === "oauth2" ? "/oauth2" : "/pipedream") + "/authorize", null, true)
      .then(function (reply) {
        entry.starting = false;
        button.disabled = false;
        var url = reply.json && reply.json.data && reply.json.data.url;
        if (reply.status !== 200 || typeof url !== "string" || !/^https?:\/\//i.test(url)) {
          if (popup) popup.close();
          if (failed(reply, true)) return;
          return note(entry, t(reply.status === 429 ? "error_busy" : "error_generic"), true);
        }
        if (!popup) return location.assign(url);  // blocked: go there in this tab, the token stays in the session
        popup.location.href = url;
        entry.flow = { popup: popup, since: Date.now() };
        note(entry, t("waiting", { provider: flowProvider(r).name }), false, "waiting");
        entry.li.classList.add("waiting");
        watch(entry);
        pollSince = Date.now();
        poll(2000);
      });
  }
  // A window that closes is noticed here. A provider's Cross-Origin-Opener-Policy can make a
  // live window read as closed at once; a close in the first seconds counts only once this
  // page has the focus again, and polling goes on either way.
  function watch(entry) {
    later("watch-" + entry.r.id, function () {
      var flow = entry.flow;
      if (!flow) return;
      if (flow.popup.closed && Date.now() - flow.since > GRACE) return windowClosed(entry);
      watch(entry);
    }, 500);
  }
  function windowClosed(entry) {
    request("GET", API + "/status", null, true).then(function (reply) {
      if (reply.status === 200 && reply.json && Array.isArray(reply.json.data)) render(reply.json.data);
      if (entry.flow && entry.r.status !== "completed") endFlow(entry, entry.r.reason === "denied" ? "denied" : "closed");
    });
  }
  function endFlow(entry, outcome) {
    later("watch-" + entry.r.id);
    entry.flow = null;
    entry.li.classList.remove("waiting");
    if (!outcome) return note(entry, t("note_completed"));
    var who = flowProvider(entry.r).name;
    note(entry, t(outcome + "_note", { provider: who, app: appName() }), outcome === "denied", outcome);
    if (entry.button) entry.button.focus();
  }
  // Polls while a window is open, and for 10 minutes after the last one opened (a window
  // that looked closed may still be live); stops when everything is done or a problem shows.
  function poll(delay) {
    later("poll", function () {
      refresh().then(function () {
        var open = order.some(function (id) { return items[id].flow; });
        if (!$("done").hidden || !$("problem").hidden || (!open && Date.now() - pollSince > 600000)) return;
        poll(Math.min(delay * 1.5, 10000));
      });
    }, delay);
  }

  // ---- credential forms from the connection-type catalog ------------------------------------------
  // The forms' code and the catalog come after the first paint: nothing before it needs them.
  var buildForm = null;
  function loadScript(src) {
    return new Promise(function (resolve) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(true); };
      script.onerror = function () { resolve(false); };
      document.head.appendChild(script);
    });
  }
  function loadCatalog() {
    catalog = Promise.all([request("GET", data.catalog), lang === "en" ? null : request("GET", data.languages[lang]),
                           buildForm || loadScript(data.forms)]).then(function (replies) {
      if (!replies[0].json || !window.connectForms) { catalog = null; return null; }
      if (replies[1] && replies[1].json) labels = replies[1].json.catalog || {};
      buildForm = buildForm || window.connectForms({ t: t, $: $, note: note, request: request, refresh: refresh, failed: failed, actions: actions,
                                                     appName: appName, data: data, api: API, labels: function () { return labels; } });
      return replies[0].json;
    });
    return catalog;
  }
  function openForm(entry, opener) {
    if (entry.form) return;
    opener.disabled = true;
    (catalog || loadCatalog()).then(function (types) {
      opener.disabled = false;
      var r = entry.r, type = types && types.types.filter(function (c) { return c.type === r.spec.data.type; })[0];
      if (!type) return note(entry, t("error_generic"), true);
      buildForm(entry, r, type, opener);
    });
  }
  // ---- start: the status call leaves before anything is drawn -------------------------------------
  (function () {
    var token = linkToken(location), early = window.connectFirstCall;
    try { token = token || sessionStorage.getItem(KEY); } catch (e) { /* storage off: the link alone */ }
    // The head's script started the call already (connect-early.js).
    if (early && early.token === token) {
      firstCall = early.reply.then(answer, function () { return { status: 0, json: null }; });
    } else if (token && decode(token)) {
      session.token = token;
      firstCall = request("GET", API + "/status", null, true);
      session.token = null;
    }
  })();
  if (lang !== "en") {
    // Another language: its words arrive beside the status call, and the page waits for both.
    var ready = request("GET", data.languages[lang]).then(function (reply) {
      if (reply.json) { words = reply.json.words; labels = reply.json.catalog || {}; } else lang = "en";
    });
    ready.then(begin);
  } else {
    begin();
  }
  Array.prototype.forEach.call(document.querySelectorAll("form.paste"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.querySelector("input"), token = null;
      try { token = linkToken(new URL(input.value.trim(), location.href)); } catch (e) { token = null; }
      if (!token && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(input.value.trim())) token = input.value.trim();
      if (!token || !decode(token)) { form.querySelector(".paste-error").textContent = t("paste_error"); return input.focus(); }
      form.querySelector(".paste-error").textContent = "";
      input.value = "";
      try { sessionStorage.setItem(KEY, token); } catch (e) { /* kept in memory below */ }
      history.replaceState(null, "", location.pathname + location.search + "#token=" + encodeURIComponent(token));
      begin();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".stay"), function (stay) {
    stay.addEventListener("click", function () {
      later("return");
      $("done").querySelector(".return-note").textContent = "";
      stay.hidden = true;
      $("done").querySelector(".return").focus();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".retry"), function (button) {
    button.addEventListener("click", function () { later("countdown"); screen("loading"); refresh(); });
  });
  $("language").addEventListener("change", function () {
    var query = new URLSearchParams(location.search);
    query.set("lang", $("language").value);
    location.search = query.toString();
  });
  // A new link in the same tab changes only the fragment: read it again.
  window.addEventListener("hashchange", begin);
  // Back to this page from the history (bfcache) or from a provider's window: read again.
  window.addEventListener("pageshow", function (event) { if (event.persisted) begin(); });
  window.addEventListener("pagehide", function () { tell("connect:closed"); });
  // Embedded, Escape outside a form asks the App to close the page (a form closes itself).
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && window.parent !== window && !event.defaultPrevented) tell("connect:closed");
  });
  window.addEventListener("online", function () { if ($("problem").dataset.kind === "offline" && !$("problem").hidden) refresh(); });
  window.addEventListener("focus", function () {
    order.forEach(function (id) { var e = items[id]; if (e.flow && e.flow.popup.closed) windowClosed(e); });
    if (last && $("problem").hidden) refresh();
  });
})();

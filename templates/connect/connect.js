// The hosted connect page. Plain JS, no framework, nothing inline (the CSP forbids it).
// Every text from the API is set with textContent; the token never goes into a URL.
(function () {
  "use strict";
  var KEY = "connect.token", API = "/v1/connect/requirements", TIMEOUT = 10000;
  var main = document.getElementById("main");
  var $ = function (id) { return document.getElementById(id); };
  var words = {}, catalog = { types: [] }, token = null, claims = null, checked = false;
  var items = {}, pollTimer = null, pollDelay = 2000, pollUntil = 0, expiryTimer = null;

  // ---- words ------------------------------------------------------------------------------
  function t(key, vars) {
    return (words[key] || key).replace(/\{(\w+)\}/g, function (_, name) { return vars && name in vars ? vars[name] : ""; });
  }
  function appName() { return (claims && typeof claims.app_name === "string" && claims.app_name) || t("the_app"); }
  function languages() {
    return Object.keys(main.dataset).filter(function (k) { return k.indexOf("strings") === 0; })
      .map(function (k) { return k.slice(7).replace(/^./, function (c) { return c.toLowerCase(); }); });
  }
  function pickLanguage() {
    var available = languages(), wanted = [new URLSearchParams(location.search).get("lang")].concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < wanted.length; i++) {
      var code = (wanted[i] || "").toLowerCase();
      for (var j = 0; j < available.length; j++) {
        if (code === available[j].toLowerCase() || code.split("-")[0] === available[j].toLowerCase()) return available[j];
      }
    }
    return "en";
  }
  function applyWords(lang) {
    document.documentElement.lang = lang;
    document.title = t("page_title");
    Array.prototype.forEach.call(document.querySelectorAll("[data-t]"), function (el) { el.textContent = t(el.dataset.t); });
    $("lead").textContent = t("lead", { app: appName() });
    $("language").value = lang;
  }

  // ---- requests: every one has a timeout ----------------------------------------------------
  function request(method, url, body, auth) {
    var controller = new AbortController(), timer = setTimeout(function () { controller.abort(); }, TIMEOUT);
    var headers = { Accept: "application/json" };
    if (auth) headers.Authorization = "Bearer " + token;
    if (body) headers["Content-Type"] = "application/json";
    return fetch(url, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined,
                        signal: controller.signal, credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer" })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (json) { return { status: response.status, json: json }; });
      }, function () { return { status: 0, json: null }; })
      .finally(function () { clearTimeout(timer); });
  }

  // ---- the token: from the link into sessionStorage, out of the address bar -----------------
  function takeToken() {
    var query = new URLSearchParams(location.search), hash = new URLSearchParams(location.hash.slice(1));
    var fresh = hash.get("token") || query.get("token");
    if (query.has("token") || hash.has("token")) {
      query.delete("token");
      var search = query.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
    }
    try {
      if (fresh) sessionStorage.setItem(KEY, fresh);
      return fresh || sessionStorage.getItem(KEY);
    } catch (e) { return fresh; }
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
  function showExpiry() {
    if (!claims || typeof claims.exp !== "number") return;
    var left = claims.exp * 1000 - Date.now();
    if (left <= 0) return problem("expired", false);
    var minutes = Math.max(1, Math.floor(left / 60000)), hours = Math.floor(minutes / 60);
    $("expiry").textContent = t("expires_in", { time: hours ? t("time_hours", { hours: hours, minutes: minutes % 60 }) : t("time_minutes", { minutes: minutes }) });
  }

  // ---- screens -----------------------------------------------------------------------------
  function problem(kind, retry) {
    stopPolling();
    clearInterval(expiryTimer);
    $("checklist").hidden = true;
    $("done").hidden = true;
    $("problem").hidden = false;
    $("problem-title").textContent = t(kind + "_title");
    $("problem-text").textContent = t(kind + "_text", { app: appName() });
    $("retry").hidden = !retry;
    if (kind === "expired") $("expiry").textContent = "";
  }
  function answerProblem(status) {
    if (status === 401) return problem("expired", false);
    if (status === 404) return problem("notfound", false);
    if (status === 0) return problem("network", true);
    return problem("server", true);
  }

  // ---- the checklist -----------------------------------------------------------------------
  function refresh() {
    return request("GET", API + "/status", null, true).then(function (reply) {
      if (reply.status !== 200 || !reply.json || !Array.isArray(reply.json.data)) return answerProblem(reply.status);
      checked = true;
      render(reply.json.data);
    });
  }
  function render(list) {
    $("problem").hidden = true;
    var done = list.filter(function (r) { return r.status === "completed"; }).length;
    $("progress").textContent = t("progress", { done: done, total: list.length });
    $("progress-bar").value = list.length ? done / list.length : 1;
    var ol = $("requirements");
    ol.setAttribute("aria-busy", "false");
    Array.prototype.forEach.call(ol.querySelectorAll(".placeholder"), function (p) { p.remove(); });
    list.forEach(function (r) { ol.appendChild(item(r)); });
    if (done === list.length) {
      stopPolling();
      $("checklist").hidden = true;
      $("done").hidden = false;
      $("done-text").textContent = t("done_text", { app: appName() });
      $("done-title").focus();
    }
  }
  function item(r) {
    var entry = items[r.id];
    if (!entry) {
      var li = document.getElementById("requirement-template").content.firstElementChild.cloneNode(true);
      entry = items[r.id] = { li: li, status: null, form: null };
    }
    var li = entry.li, completed = r.status === "completed";
    li.querySelector(".requirement-title").textContent = r.title;
    li.querySelector(".requirement-description").textContent = r.description;
    var badge = li.querySelector(".status");
    badge.textContent = t(completed ? "status_completed" : "status_pending");
    badge.className = "status " + (completed ? "status-done" : "status-pending");
    li.classList.toggle("completed", completed);
    if (entry.status !== r.status && !entry.form) actions(entry, r, completed);
    entry.status = r.status;
    return li;
  }
  function connectionType(r) {
    var name = r.spec && r.spec.data && r.spec.data.type;
    return catalog.types.filter(function (c) { return c.type === name; })[0];
  }
  function titleCase(slug) { return String(slug || "").replace(/^./, function (c) { return c.toUpperCase(); }); }
  function actions(entry, r, completed) {
    var box = entry.li.querySelector(".requirement-actions");
    box.textContent = "";
    var type = connectionType(r), button = document.createElement("button");
    button.type = "button";
    button.className = "button" + (completed ? " secondary" : "");
    button.disabled = !checked;
    if (r.type === "pipedream_account") {
      if (completed) return;
      var providers = { github: "GitHub", gmail: "Gmail" }, slug = r.spec && r.spec.data && r.spec.data.app_slug;
      button.textContent = t("connect_account", { account: providers[slug] || titleCase(slug) });
      button.addEventListener("click", function () { startFlow(entry, r, "pipedream", button); });
    } else if (type && type.auth === "oauth2") {
      if (completed) return;
      var names = { github: "GitHub", microsoft: "Microsoft" };
      button.textContent = t("continue_with", { provider: names[type.provider] || titleCase(type.provider) });
      button.addEventListener("click", function () { startFlow(entry, r, "oauth2", button); });
    } else if (type) {
      button.textContent = t(completed ? "replace" : "enter_credentials");
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () { openForm(entry, r, type, button); });
    } else {
      return;
    }
    box.appendChild(button);
  }

  // ---- OAuth2 and account linking: a new window, completion learnt from the statuses ----------
  function startFlow(entry, r, kind, button) {
    var popup = window.open("", "_blank");
    if (popup) popup.opener = null;
    button.disabled = true;
    note(entry, "");
    request("POST", API + "/" + encodeURIComponent(r.id) + "/" + (kind === "oauth2" ? "oauth2" : "pipedream") + "/authorize", null, true)
      .then(function (reply) {
        button.disabled = false;
        var url = reply.json && reply.json.data && reply.json.data.url;
        if (reply.status !== 200 || typeof url !== "string" || !/^https?:\/\//i.test(url)) {
          if (popup) popup.close();
          if (reply.status === 401) return problem("expired", false);
          return note(entry, t("error_generic"), true);
        }
        note(entry, t("waiting"));
        startPolling();
        if (popup) popup.location.href = url; else location.assign(url);
      });
  }
  function startPolling() {
    pollDelay = 2000;
    pollUntil = Date.now() + 10 * 60 * 1000;
    schedulePoll();
  }
  function schedulePoll() {
    clearTimeout(pollTimer);
    if (Date.now() > pollUntil) return;
    pollTimer = setTimeout(function () {
      refresh().then(function () { pollDelay = Math.min(pollDelay * 1.5, 10000); if (pollTimer) schedulePoll(); });
    }, pollDelay);
  }
  function stopPolling() { clearTimeout(pollTimer); pollTimer = null; pollUntil = 0; }
  function note(entry, text, isError) {
    var p = entry.li.querySelector(".requirement-note");
    p.textContent = text;
    p.classList.toggle("error", !!isError);
  }

  // ---- credential forms from the connection-type catalog -------------------------------------
  function openForm(entry, r, type, opener) {
    opener.hidden = true;
    var form = document.createElement("form");
    form.noValidate = true;
    form.className = "credentials";
    var inputs = (type.fields || []).map(function (field) { return fieldControl(form, r, field); });
    var row = document.createElement("div"), save = document.createElement("button"), cancel = document.createElement("button");
    row.className = "form-actions";
    save.type = "submit";
    save.className = "button";
    save.textContent = t("save");
    cancel.type = "button";
    cancel.className = "button secondary";
    cancel.textContent = t("cancel");
    row.append(save, cancel);
    form.appendChild(row);
    entry.li.querySelector(".requirement-actions").appendChild(form);
    entry.form = form;
    opener.setAttribute("aria-expanded", "true");
    function close() { form.remove(); entry.form = null; opener.hidden = false; opener.setAttribute("aria-expanded", "false"); opener.focus(); }
    cancel.addEventListener("click", close);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var bad = inputs.filter(function (i) { return !check(i); });
      if (bad.length) { note(entry, t("error_form"), true); return bad[0].control.focus(); }
      var config = {};
      inputs.forEach(function (i) { var v = value(i); if (v !== null) config[i.field.name] = v; });
      save.disabled = true;
      save.textContent = t("saving");
      request("POST", API + "/" + encodeURIComponent(r.id) + "/credentials", { type: type.type, config: config }, true).then(function (reply) {
        save.disabled = false;
        save.textContent = t("save");
        if (reply.status === 201) { form.reset(); close(); note(entry, ""); entry.status = null; return refresh(); }
        if (reply.status === 401) return problem("expired", false);
        var details = reply.status === 400 && reply.json && reply.json.error && reply.json.error.details || {}, placed = false;
        inputs.forEach(function (i) {
          var message = details["config." + i.field.name];
          if (message) { showError(i, message); placed = true; }
        });
        note(entry, placed ? t("error_form") : t("error_generic"), true);
      });
    });
    if (inputs[0]) inputs[0].control.focus();
  }
  function fieldControl(form, r, field) {
    var box = document.getElementById("field-template").content.firstElementChild.cloneNode(true);
    var id = "f-" + r.id + "-" + field.name, control;
    if (field.type === "enum") {
      control = document.createElement("select");
      [""].concat(field.enum || []).forEach(function (v) { var o = document.createElement("option"); o.value = v; o.textContent = v; control.appendChild(o); });
    } else if (field.type === "object") {
      control = document.createElement("textarea");
      control.rows = 3;
    } else {
      control = document.createElement("input");
      control.type = field.secret ? "password" : field.type === "url" ? "url" : "text";
      if (field.type === "integer") control.inputMode = "numeric";
      control.spellcheck = false;
      control.autocapitalize = "off";
    }
    control.id = id;
    control.name = field.name;
    control.autocomplete = "off";
    if (field.default) control.placeholder = field.default;
    control.required = !!field.required;
    box.querySelector("label").htmlFor = id;
    box.querySelector(".field-name").textContent = field.label;
    box.querySelector(".field-required").hidden = !field.required;
    var help = box.querySelector(".field-help"), error = box.querySelector(".field-error");
    help.id = id + "-help";
    error.id = id + "-error";
    help.textContent = field.type === "object" ? [field.help, t("object_hint")].filter(Boolean).join(" ") : field.help || "";
    control.setAttribute("aria-describedby", help.id + " " + error.id);
    box.querySelector(".field-control").appendChild(control);
    var input = { field: field, control: control, error: error };
    if (field.secret && control.tagName === "INPUT") {
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "toggle";
      toggle.textContent = t("show");
      toggle.setAttribute("aria-pressed", "false");
      toggle.setAttribute("aria-controls", id);
      toggle.addEventListener("click", function () {
        var shown = control.type === "password";
        control.type = shown ? "text" : "password";
        toggle.textContent = t(shown ? "hide" : "show");
        toggle.setAttribute("aria-pressed", String(shown));
      });
      box.querySelector(".field-control").appendChild(toggle);
    }
    // Pasted values often carry a stray space or line break.
    control.addEventListener("paste", function () { setTimeout(function () { trim(control); }, 0); });
    control.addEventListener("blur", function () { trim(control); if (control.value) check(input); });
    control.addEventListener("input", function () { if (control.getAttribute("aria-invalid")) check(input); });
    form.appendChild(box);
    return input;
  }
  function trim(control) { if (control.tagName !== "TEXTAREA") control.value = control.value.trim(); }
  function showError(input, message) {
    input.error.textContent = message;
    if (message) input.control.setAttribute("aria-invalid", "true"); else input.control.removeAttribute("aria-invalid");
  }
  function check(input) {
    var v = input.control.value.trim(), f = input.field, message = "";
    if (!v) message = f.required ? t("error_required") : "";
    else if (f.type === "url") { try { var u = new URL(v); if (!/^https?:$/.test(u.protocol) || !u.hostname) message = t("error_url"); } catch (e) { message = t("error_url"); } }
    else if (f.type === "integer" && !/^-?\d+$/.test(v)) message = t("error_integer");
    else if (f.type === "enum" && (f.enum || []).indexOf(v) < 0) message = t("error_enum");
    else if (f.type === "object" && v.split("\n").some(function (l) { return l.trim() && l.indexOf(":") < 1; })) message = t("error_object");
    showError(input, message);
    return !message;
  }
  function value(input) {
    var v = input.control.value.trim(), f = input.field;
    if (!v) return null;
    if (f.type === "integer") return parseInt(v, 10);
    if (f.type !== "object") return v;
    var object = {};
    v.split("\n").forEach(function (line) {
      var at = line.indexOf(":");
      if (at > 0) object[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    });
    return object;
  }

  // ---- start ---------------------------------------------------------------------------------
  function start() {
    token = takeToken();
    claims = decode(token);
    var lang = pickLanguage();
    Promise.all([
      request("GET", main.dataset["strings" + lang.charAt(0).toUpperCase() + lang.slice(1)]),
      request("GET", main.dataset.catalog)
    ]).then(function (replies) {
      if (!replies[0].json || !replies[1].json) {
        // Without its words the page can still say, in English, what went wrong.
        words = { network_title: "The service cannot be reached", network_text: "Check your internet connection, then try again.",
                  server_title: "Something went wrong on our side", server_text: "Try again in a moment.", retry: "Try again" };
        $("retry").textContent = words.retry;
        $("retry").onclick = function () { location.reload(); };
        return answerProblem(replies[0].status && replies[1].status);
      }
      words = replies[0].json;
      catalog = replies[1].json;
      applyWords(lang);
      if (!token) return problem("missing", false);
      if (!claims) return problem("malformed", false);
      showExpiry();
      expiryTimer = setInterval(showExpiry, 30000);
      if (!$("problem").hidden) return;
      return refresh();
    });
    $("retry").addEventListener("click", function () {
      if ($("retry").onclick) return;
      $("problem").hidden = true;
      $("checklist").hidden = false;
      $("progress").textContent = t("checking");
      refresh();
    });
    $("language").addEventListener("change", function () {
      var query = new URLSearchParams(location.search);
      query.set("lang", $("language").value);
      location.search = query.toString();
    });
    // Back from a provider's window: read the statuses again at once.
    window.addEventListener("focus", function () { if (checked && $("problem").hidden && $("done").hidden) refresh(); });
  }
  start();
})();

// connect-embed.js: opens the hosted connect page from an App's own page, in a modal
// iframe or a popup, and hands it the connect token by postMessage, so that the token is in
// no URL, log or history. Every message is checked both ways: it goes to the connect page's
// origin by name (never '*'), and only the connect page's window is listened to.
//
//   var connect = DynamiqConnect.open({
//     url: "https://connect.example.com/connect/", // the hosted page
//     token: fetchTokenFromYourBackend(),          // a string, or a promise of one
//     mode: "modal",                               // or "popup"; call open() inside the click
//     app: "0c9a7e51-…",                           // the App's id, when the token has no `app` claim
//     onEvent: function (event) { … }              // connect:ready, :requirement_completed, :completed, :closed, :error
//   });
//   connect.close();
(function () {
  "use strict";
  function open(options) {
    var page = new URL(options.url, location.href), origin = page.origin, onEvent = options.onEvent || function () {};
    page.searchParams.set("embed", "1");
    if (options.app) page.searchParams.set("app", options.app);
    var token = Promise.resolve(options.token), target = null, frame = null, overlay = null, closed = false, inert = [];
    var before = document.activeElement;
    if (options.mode === "popup") {
      // Opened now, inside the click: a window opened after an await is blocked (Safari).
      target = window.open(page.href, "dynamiq-connect", "popup,width=520,height=760");
      if (!target) { onEvent({ type: "connect:error", code: "popup_blocked" }); return { close: function () {} }; }
    } else {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "dialog");
      overlay.setAttribute("aria-modal", "true");
      overlay.setAttribute("aria-label", options.title || "Connect your accounts");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;display:flex;align-items:center;justify-content:center;background:rgba(15,17,21,.6)";
      var box = document.createElement("div");
      box.style.cssText = "position:relative;width:min(36rem,100vw);height:min(48rem,100vh);background:#fff;border-radius:12px;overflow:hidden";
      var shut = document.createElement("button");
      shut.type = "button";
      shut.textContent = "×";
      shut.setAttribute("aria-label", options.closeLabel || "Close");
      shut.style.cssText = "position:absolute;top:.5rem;right:.5rem;width:2.75rem;height:2.75rem;font:1.5rem/1 system-ui,sans-serif;border:0;border-radius:8px;background:#fff;color:#1b1f24;cursor:pointer";
      frame = document.createElement("iframe");
      frame.src = page.href;
      frame.title = options.title || "Connect your accounts";
      frame.style.cssText = "width:100%;height:100%;border:0";
      box.append(frame, shut);
      overlay.appendChild(box);
      // The focus stays in the dialog: the rest of the App's page is inert while it is open.
      // (Escape inside the frame reaches the connect page, which says connect:closed.)
      inert = Array.prototype.filter.call(document.body.children, function (el) { return !el.inert; });
      inert.forEach(function (el) { el.inert = true; });
      document.body.appendChild(overlay);
      shut.addEventListener("click", close);
      overlay.addEventListener("keydown", function (event) { if (event.key === "Escape") { event.preventDefault(); close(); } });
      frame.addEventListener("load", function () { frame.focus(); });
      target = frame.contentWindow;
    }
    function listen(event) {
      if (event.origin !== origin || event.source !== target || !event.data || typeof event.data.type !== "string") return;
      if (event.data.type === "connect:ready") {
        token.then(function (value) { if (!closed && value) target.postMessage({ type: "connect:token", token: value }, origin); });
      }
      if (event.data.type === "connect:closed") return close();
      onEvent(event.data);
    }
    var watch = options.mode === "popup" && setInterval(function () { if (target.closed) finish(); }, 500);
    window.addEventListener("message", listen);
    function finish() {
      if (closed) return;
      closed = true;
      clearInterval(watch);
      window.removeEventListener("message", listen);
      if (overlay) overlay.remove();
      inert.forEach(function (el) { el.inert = false; });
      if (before && before.focus) before.focus();
      onEvent({ type: "connect:closed" });
    }
    function close() {
      if (options.mode === "popup" && target && !target.closed) target.close();
      finish();
    }
    return { close: close };
  }
  window.DynamiqConnect = { open: open };
})();

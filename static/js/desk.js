/* The desk's keyboard and focus behaviour, on top of htmx. A file of its own: the content
   security policy allows scripts from the site only, never inline.

   - After an in-place action (a form posted through htmx), focus moves to what changed: its
     error, else its message, else the updated region; a polite live region says the message,
     and the page's "Claim created." banner goes once the next action succeeds.
   - Keyboard shortcuts on the queue and the claim page (the panel in desk/_shortcuts.html
     lists them); never while typing in a field, never with Ctrl, Alt or Meta. */
(function () {
  "use strict";

  var handled = new WeakSet();

  function announcer() {
    var live = document.getElementById("desk-announce");
    if (!live) {
      live = document.createElement("div");
      live.id = "desk-announce";
      live.className = "visually-hidden";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      document.body.appendChild(live);
    }
    return live;
  }

  function announce(text) {
    var live = announcer();
    live.textContent = "";
    // A change after the region is in place is what screen readers announce.
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function focusOn(element) {
    if (!element.hasAttribute("tabindex") && !element.matches("a, button, input, select, textarea")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: false });
  }

  function spoken(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function outcome(region, succeeded) {
    var alert = region.querySelector("[role=alert]");
    if (alert && spoken(alert)) {
      return { focus: alert, words: spoken(alert) };
    }
    var invalid = region.querySelector(".has-error input, .has-error select, .has-error textarea");
    if (!succeeded && invalid) {
      return { focus: invalid, words: spoken(region.querySelector(".errorlist")) };
    }
    var messages = region.querySelectorAll("[role=status]");
    for (var i = 0; i < messages.length; i++) {
      if (spoken(messages[i])) {
        return { focus: messages[i], words: spoken(messages[i]) };
      }
    }
    return { focus: region, words: "" };
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail;
    var config = detail.requestConfig;
    // Searches, suggestions and polls (GET) keep the focus where the user is typing.
    if (!config || config.verb === "get" || !detail.xhr || handled.has(detail.xhr)) {
      return;
    }
    handled.add(detail.xhr);
    var target = detail.target;
    var region = target && target.id ? document.getElementById(target.id) : null;
    if (!region && target && target.isConnected) {
      region = target;
    }
    if (!region) {
      return;
    }
    var succeeded = detail.xhr.status >= 200 && detail.xhr.status < 300;
    if (succeeded) {
      document.querySelectorAll("main > .messages").forEach(function (banner) { banner.remove(); });
    }
    var found = outcome(region, succeeded);
    focusOn(found.focus);
    if (found.words) {
      announce(found.words);
    }
  });

  // Keyboard shortcuts ---------------------------------------------------------------------

  function typing(element) {
    return !!element && (element.isContentEditable ||
      element.matches("input, textarea, select, [contenteditable]"));
  }

  function rows() {
    var queue = document.querySelectorAll("table.queue tbody tr");
    if (queue.length) {
      return Array.prototype.slice.call(queue);
    }
    return Array.prototype.slice.call(document.querySelectorAll(".claim-page .card"));
  }

  function rowLink(row) {
    return row.querySelector(".col-claim a, a[href]");
  }

  function move(step) {
    var all = rows();
    if (!all.length) {
      return;
    }
    var current = all.findIndex(function (row) { return row.classList.contains("is-current"); });
    var next = current < 0 ? (step > 0 ? 0 : all.length - 1)
      : Math.min(Math.max(current + step, 0), all.length - 1);
    all.forEach(function (row) { row.classList.remove("is-current"); });
    var row = all[next];
    row.classList.add("is-current");
    var link = row.matches("tr") ? rowLink(row) : null;
    focusOn(link || row);
    row.scrollIntoView({ block: "nearest" });
  }

  function openCurrent() {
    var row = document.querySelector(".is-current");
    var link = row ? rowLink(row) : null;
    if (link) {
      link.click();
    }
  }

  function visible(element) {
    var details = element.closest("details");
    if (details && !details.open) {
      details.open = true;
    }
    return element;
  }

  function focusFirst(selector) {
    var element = document.querySelector(selector);
    if (element) {
      focusOn(visible(element));
    }
  }

  function toggleHelp() {
    var panel = document.getElementById("desk-shortcuts");
    if (panel) {
      panel.open = !panel.open;
      if (panel.open) {
        panel.querySelector("summary").focus();
      }
    }
  }

  var KEYS = {
    j: function () { move(1); },
    k: function () { move(-1); },
    o: openCurrent,
    "/": function () { focusFirst("[role=search] input[type=search]"); },
    s: function () { focusFirst("#form-status select, #id_status"); },
    "?": toggleHelp,
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (typing(event.target) || !document.getElementById("desk-shortcuts")) {
      return;
    }
    if (event.key === "Enter" && event.target.matches && event.target.matches(".is-current")) {
      openCurrent();
      return;
    }
    if (event.key === "Escape") {
      var panel = document.getElementById("desk-shortcuts");
      if (panel.open) { panel.open = false; }
      return;
    }
    var action = Object.prototype.hasOwnProperty.call(KEYS, event.key) ? KEYS[event.key] : null;
    if (action) {
      event.preventDefault();
      action();
    }
  });

  function start() {
    var panel = document.getElementById("desk-shortcuts");
    if (panel) {
      panel.hidden = false;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

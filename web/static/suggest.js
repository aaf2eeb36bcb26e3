// Catalogue suggestions while typing. An input marked data-suggest="skill|tool|language|item"
// whose <datalist> the server left empty (the catalogue is too large to send whole) gets
// its options from GET <data-suggest-url of this script>?kind=…&q=… a moment after the
// last keystroke. Without this script the form still works: the server resolves a typed
// label on save and offers the closest ones when it names nothing.
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = script && script.getAttribute("data-suggest-url");
  var DELAY_MS = 250;
  var MIN_LENGTH = 2;
  if (!endpoint || !window.fetch) {
    return;
  }

  // Datalists that had options when the page arrived hold the whole catalogue already.
  var complete = new WeakSet();
  document.querySelectorAll("datalist").forEach(function (list) {
    if (list.options.length > 0) {
      complete.add(list);
    }
  });

  function fill(list, entries) {
    var seen = new Set();
    var fragment = document.createDocumentFragment();
    entries.forEach(function (entry) {
      if (typeof entry.label !== "string" || seen.has(entry.label)) {
        return;
      }
      seen.add(entry.label);
      var option = document.createElement("option");
      option.value = entry.label;
      fragment.appendChild(option);
    });
    list.replaceChildren(fragment);
  }

  function attach(input) {
    var list = input.list;
    var kind = input.getAttribute("data-suggest");
    if (!list || !kind || complete.has(list)) {
      return;
    }
    var timer = null;
    var controller = null;
    var asked = null;

    function ask() {
      var text = input.value.trim();
      if (text.length < MIN_LENGTH || text === asked) {
        return;
      }
      asked = text;
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      var url = endpoint + "?kind=" + encodeURIComponent(kind) + "&q=" + encodeURIComponent(text);
      fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (entries) {
          // Only the answer to what the field still says; older answers are dropped.
          if (Array.isArray(entries) && input.value.trim() === text) {
            fill(list, entries);
          }
        })
        .catch(function () {
          // Aborted or offline: the typed text is still checked on save.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("focus", function () {
      // Rows share one datalist: refresh it for the row now being edited.
      asked = null;
      ask();
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();

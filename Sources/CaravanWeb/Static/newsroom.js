// Caravan newsroom: a live preview of the story body as it is typed. Without JavaScript the Preview button does the
// same through a normal form post; this only saves the click. The HTML comes from the server's own renderer and
// sanitiser, the same one the Preview button and the public page use.
(function () {
  "use strict";
  var form = document.querySelector("form.story-form");
  if (!form || !window.fetch || !window.DOMParser || !window.FormData || !window.URLSearchParams) return;
  var body = form.querySelector("#body");
  var fields = form.querySelector(".story-fields");
  if (!body || !fields) return;

  var pane = fields.querySelector(".preview");
  if (!pane) {
    pane = document.createElement("section");
    pane.className = "preview";
    var heading = document.createElement("h2");
    heading.textContent = "Preview";
    var content = document.createElement("div");
    content.className = "story-body";
    pane.appendChild(heading);
    pane.appendChild(content);
    fields.appendChild(pane);
  }
  pane.setAttribute("aria-live", "polite");
  var target = pane.querySelector(".story-body");
  var timer = null;
  var latest = 0;

  function refresh() {
    var data = new URLSearchParams(new FormData(form));
    data.set("intent", "preview");
    var ticket = ++latest;
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: data.toString()
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      // A slower, older answer must not replace a newer one.
      if (html === null || ticket !== latest) return;
      var rendered = new DOMParser().parseFromString(html, "text/html").querySelector(".preview .story-body");
      if (!rendered) return;
      while (target.firstChild) target.removeChild(target.firstChild);
      Array.prototype.forEach.call(rendered.childNodes, function (node) {
        target.appendChild(document.importNode(node, true));
      });
    }).catch(function () { /* Offline for a moment: the next keystroke tries again. */ });
  }

  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 500);
  });
  if (!target.firstChild && body.value.trim() !== "") refresh();
})();

// The media library: photographs dropped on the upload form go into its file input (the form still posts as
// usual), and a photograph's "Insert in body" button puts its Markdown at the cursor of the story's body.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-drop-zone]"), function (zone) {
    var input = zone.querySelector("input[type=file]");
    if (!input || !window.DataTransfer) return;
    zone.addEventListener("dragover", function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("dragging"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("dragging");
      if (event.dataTransfer && event.dataTransfer.files.length) input.files = event.dataTransfer.files;
    });
  });
  var body = document.querySelector("form.story-form #body");
  Array.prototype.forEach.call(document.querySelectorAll("button[data-insert]"), function (button) {
    if (!body) return;
    button.hidden = false;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var text = "\n\n" + button.getAttribute("data-insert") + "\n\n";
      var start = body.selectionStart, end = body.selectionEnd;
      body.value = body.value.slice(0, start) + text + body.value.slice(end);
      body.selectionStart = body.selectionEnd = start + text.length;
      body.focus();
      body.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });
})();

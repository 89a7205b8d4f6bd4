/* zone: small progressive enhancements; every page works without them.
 * - After a refused save, the page opens at its error summary, which takes the focus (WCAG 3.3.1, 2.4.3).
 * - A table wider than the screen scrolls in its box; that box takes the keyboard focus (arrow keys scroll
 *   it) and is a group named after the table's caption (WCAG 2.1.1).
 * - A form being sent shows it: its button is disabled and says so, so a slow line does not invite a second
 *   click (the server refuses duplicates anyway). Coming back with the browser's Back button re-enables it.
 * - A form with an upload progress bar ([data-upload-progress]) sends a chosen file with XMLHttpRequest and
 *   shows how much has gone; the answer (the page the server redirects to, or the form with its errors)
 *   then replaces the page, as a normal submission would. On a network failure the page says so and keeps
 *   the form as it was.
 */
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary, .flash-error, [data-error-summary]");
    if (!summary) return;
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.scrollIntoView({block: "start"});
    summary.focus({preventScroll: true});
  }

  function markSending(event) {
    var form = event.target;
    if (form.method.toLowerCase() !== "post") return;
    var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    if (!button) return;
    // After the browser has read the button's name and value for the request.
    window.setTimeout(function () {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      button.dataset.label = button.textContent;
      if (button.dataset.sending) button.textContent = button.dataset.sending;
    }, 0);
    // A form whose answer is a file leaves the page as it is: give the button back after a while. (An upload
    // sent with its progress bar gives it back itself, when it fails.)
    if (!event.defaultPrevented) window.setTimeout(restoreButtons, 20000);
  }

  function restoreButtons() {
    document.querySelectorAll("button[aria-busy=true]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      if (button.dataset.label) button.textContent = button.dataset.label;
    });
  }

  var LARGE_UPLOAD = 64 * 1024;  // smaller files go as a plain submission: it is over before a bar would help

  function chosenBytes(form) {
    var total = 0;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
    });
    return total;
  }

  function showAnswer(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/html") !== 0) {  // not a page: let the browser open it
      window.location.assign(xhr.responseURL);
      return;
    }
    var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    document.title = page.title;
    document.body.replaceWith(document.adoptNode(page.body));
    if (xhr.responseURL && xhr.responseURL !== window.location.href) {
      window.history.replaceState(null, "", xhr.responseURL);
    }
    window.scrollTo(0, 0);
    ready();
    if (!document.querySelector(".error-summary, .flash-error, [data-error-summary]")) {
      var heading = document.querySelector(".flashes, main h1");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
  }

  function sendWithProgress(event) {
    var form = event.target;
    var box = form.querySelector("[data-upload-progress]");
    if (!box || event.defaultPrevented || !window.FormData || !window.DOMParser) return;
    if (form.method.toLowerCase() !== "post" || chosenBytes(form) < LARGE_UPLOAD) return;
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
    var bar = box.querySelector("progress");
    var percent = box.querySelector("[data-percent]");
    var format = new Intl.NumberFormat(document.documentElement.lang || undefined, {style: "percent"});
    box.hidden = false;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      bar.value = Math.round(e.loaded * 100 / e.total);
      percent.textContent = format.format(e.loaded / e.total);
    });
    xhr.addEventListener("load", function () { showAnswer(xhr); });
    xhr.addEventListener("error", function () {
      box.hidden = true;
      restoreButtons();
      var failed = document.createElement("div");
      failed.className = "flash flash-error";
      failed.setAttribute("role", "alert");
      failed.textContent = box.dataset.failed;
      box.parentNode.insertBefore(failed, box);
    });
    xhr.send(data);
  }

  function focusableScrollers() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")) return;
      var caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      // A named group, not a region: the box is part of its section (often named like its caption), and
      // landmarks of the same name twice over would blur the page's outline for a screen reader.
      box.setAttribute("role", "group");
      if (caption) box.setAttribute("aria-label", caption.textContent.trim());
    });
  }

  function ready() {
    focusErrorSummary();
    focusableScrollers();
  }

  document.addEventListener("DOMContentLoaded", ready);
  document.addEventListener("submit", sendWithProgress);
  document.addEventListener("submit", markSending);
  window.addEventListener("pageshow", restoreButtons);
})();

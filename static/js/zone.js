/* zone: small progressive enhancements; every page works without them.
 * - After a refused save, the page opens at its error summary, which takes the focus (WCAG 3.3.1, 2.4.3).
 * - A table wider than the screen scrolls in its box; that box takes the keyboard focus (arrow keys scroll
 *   it) and is a group named after the table's caption (WCAG 2.1.1).
 * - A form being sent shows it: its button is disabled and says so, so a slow line does not invite a second
 *   click (the server refuses duplicates anyway). Coming back with the browser's Back button re-enables it.
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
    // A form whose answer is a file leaves the page as it is: give the button back after a while.
    window.setTimeout(restoreButtons, 20000);
  }

  function restoreButtons() {
    document.querySelectorAll("button[aria-busy=true]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      if (button.dataset.label) button.textContent = button.dataset.label;
    });
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

  document.addEventListener("DOMContentLoaded", focusErrorSummary);
  document.addEventListener("DOMContentLoaded", focusableScrollers);
  document.addEventListener("submit", markSending);
  window.addEventListener("pageshow", restoreButtons);
})();

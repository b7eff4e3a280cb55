// A form whose button carries data-once is sent once: the button is disabled
// after the first submit and says so. The server's form token still makes a
// second POST (a replay, a script) the same ticket; this spares the wait.
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var b = e.submitter || e.target.querySelector("button[data-once]");
    if (!b || !b.hasAttribute("data-once") || e.defaultPrevented) { return; }
    if (e.target.dataset.sent) { e.preventDefault(); return; }
    e.target.dataset.sent = "1";
    // Disable after this event: a disabled submitter would drop its name.
    window.setTimeout(function () {
      b.disabled = true;
      b.dataset.label = b.textContent;
      b.textContent = b.dataset.sending || b.textContent;
    }, 0);
  });
  // Back from the next page (bfcache): the form may be used again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (f) {
      delete f.dataset.sent;
      f.querySelectorAll("button[data-once][disabled]").forEach(function (b) {
        b.disabled = false;
        if (b.dataset.label) { b.textContent = b.dataset.label; }
      });
    });
  });
})();
